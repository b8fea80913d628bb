#!/usr/bin/env node
// Registers the TypeScript loader (the checker and specs run from source) and makes
// `import … from 'migcheck'` resolve to this package from spec files anywhere on disk,
// then runs the CLI.
import { registerLoaders } from './loaders.js';

registerLoaders();
const { run } = await import('../checker/cli/main.ts');
await run(process.argv.slice(2));
