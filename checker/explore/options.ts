// What a run of check() may be told: the options of every strategy, in one place.

import type { Progress } from '../result.js';
import type { Keeper } from './stop.js';
import type { Loader } from './worker.js';

export interface CheckOptions {
  /** Only these invariants / action properties (by name); default all. */
  invariants?: readonly string[];
  /**
   * Report states without successors that are not terminal (default: the spec's
   * `check.deadlock`, else true).
   */
  deadlock?: boolean;
  /** Stop as incomplete rather than store more than this many distinct states. */
  maxStates?: number;
  /** Do not explore beyond this depth (initial states are depth 1). */
  maxDepth?: number;
  /**
   * Budget in bytes for the seen-set, parent pointers and frontier (default: 80% of the
   * machine's or container's memory). When the next growth would exceed it the search
   * stops as `incomplete` (reason 'memory') with its statistics.
   */
  memory?: number;
  /**
   * What the exhaustive search does when its stores would exceed `memory`
   * (docs/decisions/disk-spill.md):
   *  - 'auto' (the default): write parent pointers to disk (they are read back only to
   *    rebuild a trace), then, when the fingerprint table is full under the budget, merge
   *    it into a sorted file on disk and go on, as TLC's DiskFPSet does; the counts and the
   *    shortest counterexample are those of the in-memory search;
   *  - 'always': the same from the first level on, and the fingerprint table merged into
   *    the file at every level (the least memory; slower);
   *  - 'never': everything in memory; the search stops as `incomplete` (reason 'memory').
   */
  spill?: SpillMode;
  /** Directory under which a spilling search makes its temporary directory (default os.tmpdir()); removed at the end of the run. */
  spillDir?: string;
  /** Action semantics: 'fast' (default) or 'immer' (the reference). */
  engine?: 'fast' | 'immer';
  /**
   * Worker threads (default 1: the search runs in the calling thread). With N > 1 each
   * level is expanded by N workers sharing one seen-set; counts and counterexamples are
   * identical to a single-threaded run. Workers load the spec from `module`.
   */
  workers?: number;
  /** Path or file URL of the module whose default export (or `spec` export) is the instance's spec; needed for workers > 1. */
  module?: string;
  /**
   * Temporal properties to check: all (`true`, the default), none (`false`) or these names.
   * When absent and `invariants` names some claims, exactly the temporal properties named
   * there are checked (so `--invariant Progress` selects one temporal property).
   */
  temporal?: boolean | readonly string[];
  /**
   * When a fairness condition counts as enabled in a state (liveness only):
   *  - 'action' (the default, as TLC): when some choice of it is enabled there and changes
   *    the state, even if every such successor lies outside the state constraint;
   *  - 'explored': only when such a successor is in the explored graph (inside the
   *    constraint), the reading migcheck had before issue 12.
   */
  enabledness?: 'action' | 'explored';
  /**
   * Stops the search (as `incomplete`) when aborted: reason 'SIGTERM' reads as `terminated`,
   * any other as `interrupted`. Only checkAsync() lets it be aborted during the search.
   */
  signal?: AbortSignal;
  /** Stops the search (as `incomplete`, reason 'time-limit') after this many milliseconds. */
  timeLimit?: number;
  /**
   * Where the exhaustive search keeps its work, for --checkpoint / --resume
   * (checkpoint.ts); one per run.
   */
  keeper?: Keeper;
  /**
   * Coverage (coverage.ts): evaluate the temporal premises on every explored state and
   * report the whole table; the per-action counts are kept in every run.
   */
  coverage?: boolean;
  /** Knobs of the parallel search (parallel.ts), for tests; the defaults suit real runs. */
  parallel?: ParallelTuning;
  /** Random walks instead of exhaustive search (simulate.ts). */
  simulate?: SimulateOptions;
  /** Called about every `progressInterval` ms during long runs. */
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
}

/** When the search's stores go to disk (CheckOptions.spill). */
export type SpillMode = 'auto' | 'always' | 'never';

/** A simulation: random walks from the initial states (simulate.ts). */
export interface SimulateOptions {
  /** Seed of the first walk; walk k uses seed + k. Default 0. */
  seed?: number;
  /** States per walk at most (the initial state is depth 1). Default 100. */
  depth?: number;
  /** Walks to run. Default 1000 when `seconds` is absent. */
  runs?: number;
  /** Stop after this many seconds (checked between steps), whichever of runs/seconds comes first. */
  seconds?: number;
}

/** The parallel search's knobs (per run: no module state outlives a run). */
export interface ParallelTuning {
  /** Levels smaller than this many states are expanded by the coordinator alone (default 2048). */
  minLevel?: number;
  /** Parents per chunk of a level (default 131072). */
  chunk?: number;
  /** Wait for the workers before the first level instead of going on alone meanwhile (default false). */
  waitForWorkers?: boolean;
  /** Told at the end of a parallel run how it went (tests, diagnostics). */
  onReport?: (r: ParallelReport) => void;
}

/** How a parallel run went. */
export interface ParallelReport {
  /** Chunks of levels expanded and placed by the workers. */
  chunksInParallel: number;
  /** How each worker loaded the spec (empty if the run ended before they answered). */
  loaders: Loader[];
  /** Whether the workers' bundle came from the cache, was made, or was not tried. */
  bundle: 'cached' | 'made' | 'none';
}
