#!/usr/bin/env node
// Registers the TypeScript loader (so specs and the checker run from source), then runs the CLI.
import { register } from 'tsx/esm/api';
register();
const { run } = await import('../checker/cli/main.ts');
await run(process.argv.slice(2));
