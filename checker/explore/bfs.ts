// The exhaustive breadth-first safety search: in this thread (search.ts), or with
// `workers > 1` by worker threads (parallel.ts) with the same counts and the same
// counterexample.

import type { CheckResult } from '../result.js';
import type { CheckOptions } from './options.js';
import { Search } from './search.js';
import type { Successors } from './successors.js';

/** The sequential search: initial states, then level by level in this thread. */
export function checkSequential<S>(succ: Successors<S>, opts: CheckOptions): CheckResult<S> {
  const search = new Search(succ, opts);
  search.initial();
  search.run();
  return search.result();
}
