// check(): the exhaustive breadth-first safety search. The search itself is in search.ts;
// with `workers > 1` the levels are expanded by worker threads (parallel.ts) with the same
// counts and the same counterexample as a single-threaded run.

import type { Instance } from '../spec.js';
import type { CheckResult } from '../result.js';
import { ConfigError } from '../errors.js';
import { Search, type CheckOptions } from './search.js';
import { checkParallel } from './parallel.js';

export type { CheckOptions } from './search.js';

/** Explores the instance's state space. Never throws for problems in the spec's own code: those come back as `error`. */
export function check<S>(inst: Instance<S>, opts: CheckOptions = {}): CheckResult<S> {
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`workers must be a whole number >= 1, got ${workers}`);
  if (workers > 1) return checkParallel(inst, opts, workers);
  const search = new Search(inst, opts);
  search.initial();
  search.run();
  return search.result();
}
