// check(): a safety strategy chosen from STRATEGIES (sequential BFS, parallel BFS with
// `workers > 1`, or random walks with `simulate`, which checks no temporal property) and, when it passes and the spec has temporal properties, the liveness
// check on the explicit graph (liveness.ts). Safety comes first, as in TLC: a liveness
// verdict on a graph that breaks an invariant would be moot, and the safety search is the
// lean hot path that most runs need alone.
//
// Adding a strategy (e.g. simulation) touches three places: its module (a function
// `(succ: Successors<S>, opts: CheckOptions, pacer: Pacer) => CheckResult<S>` built on
// Successors, or a generator that yields between slices of its work and returns the result,
// which the async driver can stop), its options in options.ts, and one row of STRATEGIES
// plus its case in `strategyOf` below.
//
// Two drivers run a strategy: check() runs it through (a --time-limit still stops it), and
// checkAsync() lets the event loop run between slices so that a signal can stop it
// (CheckOptions.signal). The spec's code runs with Math.random and Date.now trapped
// (determinism.ts).

import type { Instance, NamedTemporal } from '../spec.js';
import type { CheckResult, Progress } from '../result.js';
import { ConfigError } from '../errors.js';
import { suggest } from '../names.js';
import type { CheckOptions } from './options.js';
import { Successors } from './successors.js';
import { checkSequential } from './bfs.js';
import { checkParallel } from './parallel.js';
import { checkSimulation } from './simulate.js';
import { checkTemporal } from './liveness.js';
import { Pacer } from './stop.js';
import { deterministic, untrapped } from './determinism.js';

export type { CheckOptions } from './options.js';

/** A run of a strategy: its result, or a generator of it that yields between slices. */
type Run<S> = CheckResult<S> | Generator<unknown, CheckResult<S>>;

/** A way to explore the state space for the safety verdict. */
type Strategy = <S>(succ: Successors<S>, opts: CheckOptions, pacer: Pacer) => Run<S>;

/** The safety strategies, by name. */
const STRATEGIES = {
  bfs: checkSequential,
  parallel: (succ, opts, pacer) => checkParallel(succ, opts, opts.workers ?? 1, pacer),
  // Random walks keep their own bounds (--runs, --time); a signal ends them as incomplete.
  simulate: (succ, opts, pacer) => checkSimulation(succ, opts, pacer),
} satisfies Record<string, Strategy>;

/** Which strategy the options ask for. */
function strategyOf(opts: CheckOptions): keyof typeof STRATEGIES {
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`workers must be a whole number >= 1, got ${workers}`);
  if (opts.simulate) {
    // Walks are seeded one by one; threads would not make them faster to reproduce.
    if (workers > 1) throw new ConfigError('simulate runs its walks in one thread: workers must be 1');
    return 'simulate';
  }
  return workers > 1 ? 'parallel' : 'bfs';
}

/** Explores the instance and checks its invariants, action properties, deadlock and temporal properties. Problems in the spec's own code come back as `error`. */
export function check<S>(inst: Instance<S>, opts: CheckOptions = {}): CheckResult<S> {
  const { run, finish } = begin(inst, opts);
  if (!isGenerator(run)) return finish(run);
  for (;;) {
    const x = deterministic(() => run.next());
    if (x.done) return finish(x.value);
  }
}

/**
 * check(), letting the event loop run about every 50 ms, so that the signal handlers of the
 * caller can abort `opts.signal` (with reason 'SIGINT' or 'SIGTERM'): the run then stops at
 * the next slice as `incomplete` with the statistics so far (and, with --workers, its
 * workers stopped). The temporal check after the safety search is not sliced.
 */
export async function checkAsync<S>(inst: Instance<S>, opts: CheckOptions = {}): Promise<CheckResult<S>> {
  const { run, finish, pacer } = begin(inst, opts);
  if (!isGenerator(run)) return finish(run);
  try {
    for (;;) {
      const x = deterministic(() => run.next());
      if (x.done) return finish(x.value);
      if (pacer.yieldDue()) await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    run.return(undefined as never);
  }
}

function isGenerator<S>(r: Run<S>): r is Generator<unknown, CheckResult<S>> {
  return typeof (r as Generator<unknown, CheckResult<S>>).next === 'function';
}

/** Starts the safety strategy; `finish` adds the temporal check to its result. */
function begin<S>(inst: Instance<S>, opts: CheckOptions): { run: Run<S>; finish: (r: CheckResult<S>) => CheckResult<S>; pacer: Pacer } {
  const all = inst.temporal ?? [];
  const { selected, invariants } = select(inst, all, opts);
  // The caller's progress callback runs with the real Math.random and Date.now.
  const report = opts.onProgress;
  if (report) opts = { ...opts, onProgress: (p: Progress) => untrapped(() => report(p)) };
  const safetyOpts = invariants === opts.invariants ? opts : { ...opts, invariants };
  const strategy = strategyOf(opts);
  if (strategy === 'simulate') {
    const names = new Set(all.map((t) => t.name));
    const asked = Array.isArray(opts.temporal) ? opts.temporal : (opts.invariants ?? []).filter((n) => names.has(n));
    if (asked.length > 0) throw new ConfigError(`simulation checks no temporal property (a finite walk cannot refute one): ${asked.join(', ')}; check it without simulate`);
  }
  if (opts.timeLimit !== undefined && !(opts.timeLimit > 0)) throw new ConfigError(`timeLimit must be a positive number of milliseconds, got ${opts.timeLimit}`);
  const pacer = new Pacer(opts.signal, opts.timeLimit);
  pacer.keeper = opts.keeper;
  const succ = new Successors(inst, { engine: opts.engine, invariants: safetyOpts.invariants });
  const run = deterministic(() => STRATEGIES[strategy](succ, safetyOpts, pacer));
  return { run, pacer, finish: (r) => deterministic(() => withTemporal(succ, selected, opts, r)) };
}

/** The temporal check, on the explored graph, after a safety search that passed. */
function withTemporal<S>(succ: Successors<S>, selected: readonly NamedTemporal<S>[], opts: CheckOptions, r: CheckResult<S>): CheckResult<S> {
  // Simulation checks no temporal property (simulate.ts); the report says so.
  if (r.status !== 'ok' || selected.length === 0) return r;
  const inst = succ.inst;
  const coverage = r.coverage;
  const live = checkTemporal(succ, selected, { memory: opts.memory, enabledness: opts.enabledness ?? inst.check?.enabledness, onProgress: opts.onProgress, progressInterval: opts.progressInterval });
  const stats = { ...r.stats, seconds: r.stats.seconds + live.seconds };
  switch (live.status) {
    case 'ok':
      return { status: 'ok', stats: { ...stats, storeBytes: Math.max(stats.storeBytes, live.bytes) }, coverage };
    case 'violation':
      return { status: 'violation', violation: live.violation, stats: { ...stats, storeBytes: Math.max(stats.storeBytes, live.bytes) }, coverage };
    case 'error':
      return { status: 'error', error: live.error, stats, coverage };
    case 'incomplete':
      return { status: 'incomplete', reason: live.reason, stats, coverage };
  }
}

/** Which temporal properties run, and the invariant list to hand to the safety search. */
function select<S>(inst: Instance<S>, all: readonly NamedTemporal<S>[], opts: CheckOptions): { selected: readonly NamedTemporal<S>[]; invariants: readonly string[] | undefined } {
  const names = new Set(all.map((t) => t.name));
  let invariants = opts.invariants;
  let fromInvariants: string[] | undefined;
  if (opts.invariants && opts.invariants.length > 0) {
    fromInvariants = opts.invariants.filter((n) => names.has(n));
    if (fromInvariants.length > 0) {
      const safety = opts.invariants.filter((n) => !names.has(n));
      // Only temporal names: the safety search still checks TypeOK (and deadlock).
      invariants = safety.length > 0 ? safety : ['TypeOK'];
    }
  }
  const t = opts.temporal;
  if (t === false) return { selected: [], invariants };
  if (Array.isArray(t)) {
    for (const n of t)
      if (!names.has(n)) throw new ConfigError(`unknown temporal property '${n}' in spec ${inst.name}; known: ${[...names].join(', ') || '(none)'}${suggest(n, names)}`);
    return { selected: all.filter((x) => t.includes(x.name)), invariants };
  }
  if (t === undefined && fromInvariants !== undefined) return { selected: all.filter((x) => fromInvariants!.includes(x.name)), invariants };
  return { selected: all, invariants };
}
