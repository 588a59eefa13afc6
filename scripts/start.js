// `npm start`: build when the sources are newer than the build, then serve (migrating and
// seeding the demo data set on first start; see src/lib/server/app.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.HOCTHI_ROOT ??= root;
process.chdir(root);
const status = buildIfStale();
if (status !== 0) process.exit(status);

await import('./server.js');
