#!/usr/bin/env node
// `npm run test:chaos`: loads the TypeScript fault-injection run through tsx.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('./index.ts');
process.exitCode = await main(process.argv.slice(2));
