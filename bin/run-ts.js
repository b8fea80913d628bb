#!/usr/bin/env node
// Runs a TypeScript file from source: registers tsx's loader, then imports the file with the
// remaining arguments in process.argv (as if it had been run directly).
// Usage: node bin/run-ts.js FILE.ts [args...]
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { applyV8Flags } from './v8-flags.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bin/run-ts.js FILE.ts [args...]\n');
  process.exit(2);
}
// The CLI's V8 settings, so that a bench or script run from source compiles as `migcheck` does.
applyV8Flags();
register();
process.argv.splice(1, 2, resolve(file));
await import(pathToFileURL(resolve(file)).href);
