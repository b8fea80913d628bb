// Simulation (TLC's -simulate): random walks from the initial states over the same
// successors as the exhaustive search (Successors.expand), checking on the way what the
// search checks: TypeOK and the action properties on every successor computed (the walk
// computes all successors of each state it visits, then takes one of those inside the state
// constraint), the invariants on every state it visits for the first time, and deadlock.
// Temporal properties are not checked (a finite walk cannot refute them soundly).
//
// Walk k (k = 0, 1, …) draws from its own generator seeded with `seed + k` (mod 2^32): the
// initial state uniformly among those inside the constraint, then at each state one
// successor uniformly among those inside the constraint. So walk k alone is
// `--seed <seed+k> --runs 1`, which is the reproduction command a violation prints, and the
// walks do not depend on timing, on --workers or on how many walks ran before.
//
// A walk ends after `depth` states, at a state whose successors all lie outside the
// constraint, or at a state without successors (a deadlock unless terminal or deadlock
// checking is off). Nothing found is reported as 'no-violation-found', never 'ok': the
// walks visit a sample of the states, they prove nothing.

import { unpaced, type Pacer } from './stop.js';
import type { CheckResult, SimulationStats, Stats } from '../result.js';
import type { CheckOptions } from './options.js';
import type { Successors } from './successors.js';
import { FingerprintSet } from '../store/fpset.js';
import { ParentStore } from '../store/parents.js';
import { ConfigError } from '../errors.js';
import { verdict, type Failure } from './verdict.js';
import { Tally } from './coverage.js';
import { deadlockSetting, defaultBudget } from './search.js';

/** Walk length when --depth is not given (TLC's default). */
export const DEFAULT_DEPTH = 100;
/** Walks when neither --runs nor --time is given. */
export const DEFAULT_RUNS = 1000;

/** SplitMix32: a small, fast, well-mixed generator; the same sequence on every platform. */
export class SplitMix32 {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x9e3779b9) | 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** A whole number in [0, n), n >= 1. */
  below(n: number): number {
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }
}

/** The random-walk strategy: one row of STRATEGIES (check.ts). */
export function* checkSimulation<S>(succ: Successors<S>, opts: CheckOptions, pacer: Pacer = unpaced()): Generator<'slice', CheckResult<S>> {
  const sim = opts.simulate ?? {};
  const seed = sim.seed ?? 0;
  const depth = sim.depth ?? DEFAULT_DEPTH;
  const runs = sim.runs ?? (sim.seconds === undefined ? DEFAULT_RUNS : Number.POSITIVE_INFINITY);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ConfigError(`simulate: seed must be a whole number from 0 to 4294967295, got ${seed}`);
  if (!Number.isInteger(depth) || depth < 1) throw new ConfigError(`simulate: depth must be a whole number >= 1, got ${depth}`);
  if (runs !== Number.POSITIVE_INFINITY && (!Number.isInteger(runs) || runs < 1)) throw new ConfigError(`simulate: runs must be a whole number >= 1, got ${runs}`);
  if (sim.seconds !== undefined && !(sim.seconds > 0)) throw new ConfigError(`simulate: seconds must be positive, got ${sim.seconds}`);

  const t0 = performance.now();
  const deadline = sim.seconds === undefined ? Number.POSITIVE_INFINITY : t0 + sim.seconds * 1000;
  const inst = succ.inst;
  const W = succ.W;
  const deadlock = deadlockSetting(succ as Successors<unknown>, opts);
  const budget = opts.memory ?? defaultBudget();
  const tally = new Tally(inst, opts.coverage === true, succ);
  // States visited so far (for invariants on first visits, `distinct` and coverage). When
  // it may not grow any more, every visited state is checked and counted as not new.
  const seen: FingerprintSet = new FingerprintSet(1 << 16, Number.POSITIVE_INFINITY, (extra: number): boolean => seen.bytes + extra <= budget);
  const batch = succ.batch;
  const interval = opts.progressInterval ?? 1000;
  let lastProgress = t0;

  let generated = 0;
  /** How many of `generated` were initial states. */
  let initGenerated = 0;
  let steps = 0;
  let longest = 0;
  let started = 0;
  let failure: Failure | undefined;
  let failingRun = -1;
  const path: number[] = [];

  const stats = (): Stats => {
    const seconds = (performance.now() - t0) / 1000;
    const distinct = seen.size;
    const exact = succ.exact;
    return {
      generated,
      transitions: generated - initGenerated,
      distinct,
      depth: longest,
      queue: 0,
      seconds,
      storeBytes: seen.bytes,
      stateWords: W,
      exactFingerprints: exact,
      collisionProbability: exact ? 0 : (distinct * Math.max(0, generated - distinct)) / 2 ** 64,
    };
  };

  // The initial states, checked once in order as the exhaustive search checks them.
  const starts: Uint32Array[] = [];
  const startIndex: number[] = [];
  for (let i = 0; i < inst.init.length && !failure; i++) {
    generated++;
    initGenerated++;
    const r = succ.initial(i);
    if (r.kind === 'outside') continue;
    if (r.kind === 'TypeOK') failure = { kind: 'TypeOK', message: r.message, state: r.state, site: { at: 'init', index: i }, generated };
    else if (r.kind === 'error') failure = { kind: 'error', phase: r.phase, error: r.error, site: { at: 'init', index: i }, generated };
    else if (r.kind === 'ok') {
      tally.initial++;
      if (seen.put(succ.fp[0], succ.fp[1]) === 0) continue;
      path.length = 0;
      path.push(i);
      starts.push(succ.initWords.slice());
      startIndex.push(i);
      failure = checkInvariants(succ.initWords, generated);
      if (tally.premisesWanted) tally.premisesOn(succ.load(succ.initWords, 0));
    }
  }
  if (!failure && starts.length > 0) longest = 1;

  /** The invariants on the walk's current state (path), as a failure if one is violated or throws. */
  function checkInvariants(w: Uint32Array, gen: number): Failure | undefined {
    tally.statesChecked++;
    try {
      const j = succ.invariantsAt(w, 0);
      if (j >= 0) return { kind: 'invariant', name: succ.invariants[j].name, id: path.length - 1, generated: gen };
    } catch (e) {
      return { kind: 'error', phase: 'invariant', name: succ.invariants[succ.invariantIndex].name, error: e, site: { at: 'state', id: path.length - 1 }, generated: gen };
    }
    return undefined;
  }

  const cur = new Uint32Array(W);
  const nProps = succ.properties.length;
  // A signal or --time-limit (the pacer) ends the walks as `incomplete`; the generator yields
  // every 1024 steps so that the async driver can let signal handlers run (stop.ts).
  let stopped = false;
  for (let run = 0; !failure && starts.length > 0 && run < runs && performance.now() < deadline; run++) {
    if (pacer.reason) {
      stopped = true;
      break;
    }
    started++;
    const rng = new SplitMix32(seed + run);
    const s0 = rng.below(starts.length);
    cur.set(starts[s0]);
    path.length = 0;
    path.push(startIndex[s0]);
    for (let d = 1; d < depth; d++) {
      succ.expand(cur, 0);
      generated += batch.generated;
      if (nProps > 0) tally.stepsChecked += batch.generated;
      const n = batch.n;
      let inside = 0;
      for (let k = 0; k < n; k++) {
        tally.enabled[batch.choice[k]]++;
        inside += batch.kept[k];
      }
      const stop = batch.stop;
      const here = path.length - 1;
      if (stop !== undefined) {
        if (stop.kind === 'TypeOK') failure = { kind: 'TypeOK', message: stop.message, state: stop.state, site: { at: 'step', parent: here, choice: stop.choice }, generated };
        else if (stop.kind === 'property') failure = { kind: 'action', name: stop.name, parent: here, choice: stop.choice, generated };
        else failure = { kind: 'error', phase: stop.phase, name: stop.name, error: stop.error, site: { at: 'step', parent: here, choice: stop.choice }, generated };
        break;
      }
      if (n === 0) {
        if (deadlock) {
          try {
            if (!succ.terminalAt(cur, 0)) failure = { kind: 'deadlock', id: here, generated };
          } catch (e) {
            failure = { kind: 'error', phase: 'terminal', error: e, site: { at: 'state', id: here }, generated };
          }
        }
        break;
      }
      if (inside === 0) break;
      // The j-th successor inside the constraint.
      let j = rng.below(inside);
      let k = 0;
      for (; k < n; k++) if (batch.kept[k] === 1 && j-- === 0) break;
      const c = batch.choice[k];
      cur.set(batch.words.subarray(k * W, k * W + W));
      path.push(c);
      steps++;
      tally.fired[c]++;
      const put = seen.put(batch.hi[k], batch.lo[k]);
      if (put === 1) tally.fresh[c]++;
      if (put !== 0) {
        failure = checkInvariants(cur, generated);
        if (failure) break;
        if (tally.premisesWanted) tally.premisesOn(succ.load(cur, 0));
      }
      if ((steps & 0x3ff) === 0) {
        yield 'slice';
        if (pacer.reason) {
          stopped = true;
          break;
        }
        const now = performance.now();
        if (now >= deadline) break;
        if (opts.onProgress && now - lastProgress >= interval) {
          lastProgress = now;
          opts.onProgress({ distinct: seen.size, generated, queue: 0, depth: longest, seconds: (now - t0) / 1000 });
        }
      }
    }
    longest = Math.max(longest, path.length);
    if (failure) failingRun = run;
    if (stopped) break;
  }

  const st = stats();
  const simulation: SimulationStats = {
    seed,
    runs: started,
    steps,
    depth,
    stepsPerSecond: st.seconds > 0 ? Math.round(steps / st.seconds) : 0,
    ...(failure && failingRun >= 0 ? { failing: { run: failingRun, seed: (seed + failingRun) >>> 0 } } : {}),
  };
  const coverage = tally.table();
  if (!failure && stopped && pacer.stopped) return { status: 'incomplete', reason: pacer.stopped, stats: st, coverage, simulation };
  if (!failure) return { status: 'no-violation-found', stats: st, coverage, simulation };
  // The walk as a chain of parent pointers, for the one verdict builder (replay, confirmation).
  const parents = new ParentStore(Math.max(inst.choices.length, inst.init.length));
  for (let k = 0; k < path.length; k++) parents.add(k - 1, path[k]);
  return { ...verdict(succ, parents, failure, st), coverage, simulation };
}
