#!/usr/bin/env node
// Runs a TypeScript file from source: registers tsx's loader, then imports the file with the
// remaining arguments in process.argv (as if it had been run directly).
// Usage: node bin/run-ts.js FILE.ts [args...]
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bin/run-ts.js FILE.ts [args...]\n');
  process.exit(2);
}
register();
process.argv.splice(1, 2, resolve(file));
await import(pathToFileURL(resolve(file)).href);
