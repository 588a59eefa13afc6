#!/usr/bin/env node
// The `hocthi` admin CLI: loads scripts/cli.ts through tsx so it shares the app's TypeScript domain code.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

process.env.HOCTHI_ROOT ??= path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
register();
const { main } = await import('../scripts/cli.ts');
process.exitCode = await main(process.argv.slice(2));
