import type { Instance } from '../spec.js';
import type { CheckResult } from '../result.js';
import { Search, type CheckOptions } from './search.js';

export function checkParallel<S>(inst: Instance<S>, opts: CheckOptions, _workers: number): CheckResult<S> {
  const search = new Search(inst, opts);
  search.initial();
  search.run();
  return search.result();
}
