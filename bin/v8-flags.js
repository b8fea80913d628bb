// V8 settings for the checker's hot loop, set by the entry points (bin/migcheck.js,
// bin/run-ts.js) before any checker code is compiled. docs/decisions/model-speed.md (Round 6)
// gives the measurements.
//
// A search spends its time in one loop (Successors.expand) that calls the spec's guards,
// recipes and properties and the layout's generated encoder, and each of those calls more
// small functions. TurboFan's default inlining budget (460 bytes of bytecode per function,
// 920 in all per optimised function) stops well short of that loop's callees, so a
// successor pays for calls and for objects that inlining would have let escape analysis
// remove. A larger budget only changes what the optimising compiler puts in one piece of
// machine code: no result can depend on it.
//
// A flag the user already gave to node (`node --max-inlined-bytecode-size=460 …`) wins.
import { setFlagsFromString } from 'node:v8';

/**
 * [flag, value]: inline callees of up to 2,000 bytes of bytecode, 6,000 in all into one
 * function (V8 11's defaults: 460, 920 and 4,600). Larger budgets make long searches faster
 * still but short ones and two workers slower: compiling the larger code takes longer.
 */
export const V8_FLAGS = [
  ['--max-inlined-bytecode-size', '2000'],
  ['--max-inlined-bytecode-size-cumulative', '6000'],
  ['--max-inlined-bytecode-size-absolute', '6000'],
];

/** The settings of V8_FLAGS that node's own arguments (`execArgv`) leave to us, as `--flag=value`. */
export function v8FlagsToSet(execArgv = process.execArgv) {
  const given = new Set(execArgv.map((a) => a.split('=')[0].replace(/_/g, '-')));
  return V8_FLAGS.filter(([flag]) => !given.has(flag)).map(([flag, value]) => `${flag}=${value}`);
}

/** Where applyV8Flags records what it set in this process (the tests read it). */
export const V8_FLAGS_SET = Symbol.for('migcheck.v8flags');

/** Sets V8_FLAGS, except those the user gave node. Call before importing the checker. Returns what it set. */
export function applyV8Flags() {
  const set = v8FlagsToSet();
  for (const f of set) setFlagsFromString(f);
  globalThis[V8_FLAGS_SET] = set;
  return set;
}
