// The server the Playwright suite runs against: a fresh PGlite data dir with the demo data set.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, `.e2e-data-${process.env.E2E_PORT ?? 4173}`);
fs.rmSync(dataDir, { recursive: true, force: true });
process.env.DATA_DIR = dataDir;
process.env.PORT = process.env.E2E_PORT ?? '4173';
process.env.HOCTHI_DEMO = '1';
delete process.env.DATABASE_URL;
await import('./start.js');
