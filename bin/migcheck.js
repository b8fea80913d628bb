#!/usr/bin/env node
// The migcheck command. Runs the CLI from its plain-JavaScript build (dist/, bin/build.js)
// when that build matches the sources, else from the sources through the TypeScript loader.
// With the build, the loaders (TypeScript, and `import … from 'migcheck'` from spec files
// anywhere on disk) are registered only when a spec or wording file is loaded.
import { readFileSync, writeSync } from 'node:fs';
import { applyV8Flags } from './v8-flags.js';

// bin/loaders.js's LOADERS (not imported here: it loads tsx, which a build run may not need).
const LOADERS = Symbol.for('migcheck.loaders');

const argv = process.argv.slice(2);
// Before any checker code is compiled (bin/v8-flags.js).
applyV8Flags();
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Nothing to load for this one. Written as the CLI writes (checker/cli/output.ts): a full
  // or closed standard output is one line and exit 74 (EX_IOERR), not a stack trace.
  const line = `${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`;
  try {
    writeSync(1, line);
  } catch (e) {
    const words = { ENOSPC: 'no space left on device', EPIPE: 'the reader closed the pipe', EBADF: 'not open for writing', EIO: 'input/output error' };
    process.stderr.write(`migcheck: cannot write to standard output: ${e?.code ? `${e.code}${words[e.code] ? ` (${words[e.code]})` : ''}` : e?.message ?? e}\n`);
    process.exitCode = 74;
  }
} else if (process.env.MIGCHECK_FROM_SOURCE !== '1' && (await import('./fresh.js')).distIsFresh()) {
  globalThis[LOADERS] = { dist: true, registered: false };
  const { run } = await import('../dist/checker/cli/main.js');
  await run(argv);
} else {
  globalThis[LOADERS] = { dist: false, registered: true };
  (await import('./loaders.js')).registerLoaders();
  const { run } = await import('../checker/cli/main.ts');
  await run(argv);
}
