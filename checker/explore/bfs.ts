// The exhaustive breadth-first safety search: in this thread (search.ts), or with
// `workers > 1` by worker threads (parallel.ts) with the same counts and the same
// counterexample.

import type { CheckResult } from '../result.js';
import type { CheckOptions } from './options.js';
import { Search } from './search.js';
import type { Successors } from './successors.js';
import type { Pacer } from './stop.js';

/**
 * The sequential search: initial states (or a checkpoint), then level by level in this
 * thread, yielding between slices of a level (stop.ts).
 */
export function* checkSequential<S>(succ: Successors<S>, opts: CheckOptions, pacer: Pacer): Generator<'slice' | 'level', CheckResult<S>> {
  const search = new Search(succ, opts);
  pacer.start(search);
  yield* search.levels(pacer);
  pacer.atEnd(search);
  return search.result();
}
