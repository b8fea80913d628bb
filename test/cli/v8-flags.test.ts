// The V8 settings the entry points make (bin/v8-flags.js): what is set, that a flag the user
// gave node wins, and that an entry point sets them before the code it runs (a script run
// through bin/run-ts.js reports what was set in its process).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain JavaScript module of bin/, without type declarations
import { V8_FLAGS, v8FlagsToSet } from '../../bin/v8-flags.js';

type Flag = readonly [string, string];

describe('V8 flags of the entry points', () => {
  it('sets every flag when node was given none of them', () => {
    expect(v8FlagsToSet([])).toEqual((V8_FLAGS as Flag[]).map(([f, v]) => `${f}=${v}`));
    expect(v8FlagsToSet(['--max-old-space-size=4096', '--enable-source-maps'])).toHaveLength(V8_FLAGS.length);
  });

  it('leaves a flag the user gave node, in either spelling', () => {
    const left = v8FlagsToSet(['--max-inlined-bytecode-size=460', '--max_inlined_bytecode_size_cumulative=920']);
    expect(left).toEqual(['--max-inlined-bytecode-size-absolute=6000']);
    expect(left.some((f: string) => f.startsWith('--max-inlined-bytecode-size='))).toBe(false);
  });

  it('bin/run-ts.js sets them before the script runs, and a flag on node\'s command line wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-v8-'));
    const script = join(dir, 'probe.mjs');
    // What applyV8Flags recorded in the script's process before the script ran (absent: not called).
    writeFileSync(script, "process.stdout.write(JSON.stringify(globalThis[Symbol.for('migcheck.v8flags')] ?? null));\n");
    const plain = spawnSync(process.execPath, ['bin/run-ts.js', script], { encoding: 'utf8' });
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual(v8FlagsToSet([]));
    const mine = spawnSync(process.execPath, ['--max-inlined-bytecode-size=100', 'bin/run-ts.js', script], { encoding: 'utf8' });
    expect(mine.status, mine.stderr).toBe(0);
    expect(JSON.parse(mine.stdout)).toEqual(v8FlagsToSet(['--max-inlined-bytecode-size=100']));
  });
});
