// What check() returns: data, never printed text. Reports and exit codes are derived from it.

import type { Level } from './spec.js';
import type { CoverageTable } from './explore/coverage.js';

export interface Stats {
  /** Initial states plus every successor computed, duplicates included (TLC's "generated"). */
  generated: number;
  /** Successor computations (edges of the explored graph, duplicates included). */
  transitions: number;
  /** Distinct states stored. */
  distinct: number;
  /** Number of BFS levels reached; a lone initial state has depth 1 (TLC's convention). */
  depth: number;
  /** States found but not yet explored when the search stopped. */
  queue: number;
  seconds: number;
  /** Bytes held by the fingerprint table, the parent pointers and the frontier at the end. */
  storeBytes: number;
  /** Words per packed state. */
  stateWords: number;
  /** True when fingerprints are exact (the packed state fits in 63 bits). */
  exactFingerprints: boolean;
  /** TLC-style optimistic estimate of the probability that a fingerprint collision hid a state. */
  collisionProbability: number;
}

export interface TraceStep<S = unknown> {
  /** Action name; `Init` for the first state. */
  action: string;
  param?: unknown;
  /** Human label of the step, e.g. `SET_STATE(STOP_COPY) = 0`. */
  label: string;
  state: S;
  /** Leaf paths whose value differs from the previous state. */
  changed: string[];
}

export type ViolationKind = 'invariant' | 'action-property' | 'deadlock' | 'TypeOK' | 'nondeterminism' | 'liveness';

export interface Violation<S = unknown> {
  kind: ViolationKind;
  /** Invariant or property name; `Deadlock` or `TypeOK` for those kinds. */
  name: string;
  message: string;
  clause?: string;
  level?: Level;
  doc?: string;
  /** From an initial state to the violating state (for action properties: the state after the bad step). */
  trace: TraceStep<S>[];
  /**
   * Liveness only: the trace is a lasso. The last state is state `loop` again (equal, or equal
   * in the view), so the steps after `loop` repeat for ever; when `loop` is the last index the
   * behaviour stutters in that state for ever.
   */
  loop?: number;
}

export interface EvalError<S = unknown> {
  message: string;
  /** Where the exception came from. */
  phase: 'setup' | 'init' | 'enabled' | 'next' | 'invariant' | 'property' | 'terminal' | 'constraint' | 'view' | 'temporal';
  action?: string;
  param?: unknown;
  /** Invariant, property or temporal property name for those phases. */
  name?: string;
  /** Trace to the state being evaluated (the attempted step is not included). */
  trace: TraceStep<S>[];
  stack?: string;
}

/**
 * Why a search stopped before the end: a bound (`max-states`, `max-depth`, `memory`,
 * `time-limit`), the disk holding spilled stores filling up (`disk-full`, with the file in
 * `detail`), or a stop asked from outside (`interrupted`: SIGINT / Ctrl-C; `terminated`:
 * SIGTERM).
 */
export type IncompleteReason = 'max-states' | 'max-depth' | 'memory' | 'disk-full' | 'time-limit' | 'interrupted' | 'terminated';

/** What a simulation run (random walks) did; `failing` names the walk that found the violation. */
export interface SimulationStats {
  /** The --seed of the run; walk k uses seed + k (so walk k alone is `--seed seed+k --runs 1`). */
  seed: number;
  /** Walks started. */
  runs: number;
  /** Steps taken over all walks. */
  steps: number;
  /** Walk length bound in states (--depth; the initial state is depth 1). */
  depth: number;
  stepsPerSecond: number;
  /** The walk that met the violation or error: its index and its own seed. */
  failing?: { run: number; seed: number };
}

export type CheckResult<S = unknown> = (
  | { status: 'ok'; stats: Stats }
  | { status: 'violation'; violation: Violation<S>; stats: Stats }
  | { status: 'error'; error: EvalError<S>; stats: Stats }
  /** `detail`: what exactly ran out, in words (for 'disk-full': the file being written). */
  | { status: 'incomplete'; reason: IncompleteReason; detail?: string; stats: Stats }
  /** Simulation only: the walks found nothing. Not a proof: most states may be unvisited. */
  | { status: 'no-violation-found'; stats: Stats }
) & {
  /** Per-action tallies (always; the full table with `coverage`). */
  coverage?: CoverageTable;
  /** Present when the run was a simulation. */
  simulation?: SimulationStats;
};

export interface Progress {
  distinct: number;
  generated: number;
  queue: number;
  depth: number;
  seconds: number;
}
