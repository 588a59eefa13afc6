#!/usr/bin/env node
// `npm run bench`: loads the TypeScript benchmark through tsx.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('./index.ts');
process.exitCode = await main(process.argv.slice(2));
