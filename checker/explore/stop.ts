// When a search stops before its end for a reason from outside the state space: a signal
// (through an AbortSignal the caller aborts with 'SIGINT' or 'SIGTERM'), or a time limit.
// The search is synchronous; the strategies run their level loops as generators that
// yield between slices of a level (Pacer), and the async driver (check.ts, checkAsync)
// lets the event loop run at those yields, so that signal handlers get to abort the
// signal. Slices are sized to take about SLICE_MS, so that a stop is seen within a
// fraction of a second and the slicing costs nothing measurable.

import type { IncompleteReason } from '../result.js';
import type { Search } from './search.js';
import { untrapped } from './determinism.js';

/** Target duration of one slice of a level. */
const SLICE_MS = 20;
/** How often the async driver lets the event loop run. */
export const YIELD_MS = 50;

export type StopReason = Extract<IncompleteReason, 'interrupted' | 'terminated' | 'time-limit'>;

/**
 * Where a run saves and takes up its work (checkpoint.ts): `start` fills a new search
 * (from a checkpoint, or with the initial states), `level` is told of each level boundary,
 * `end` of the end of the search.
 */
export interface Keeper {
  start(search: Search<unknown>): void;
  level(search: Search<unknown>): void;
  end(search: Search<unknown>, stopped: boolean): void;
}

/** What ends a run from outside, and where it keeps its work; built once per run. */
export class Pacer {
  private readonly deadline: number;
  /** Set by the first stop this pacer reported. */
  stopped: StopReason | undefined;
  keeper: Keeper | undefined;
  /** States to expand before the next look at the clock. */
  private n = 64;
  private lastYield = performance.now();

  /**
   * @param signal    aborted with reason 'SIGTERM' means terminated; any other reason, interrupted
   * @param timeLimit milliseconds from now
   * @param sliced    whether anything can ask for a stop (else a level is one slice)
   */
  constructor(private readonly signal?: AbortSignal, timeLimit?: number, private readonly sliced = signal !== undefined || timeLimit !== undefined) {
    this.deadline = timeLimit === undefined ? Number.POSITIVE_INFINITY : performance.now() + timeLimit;
  }

  /** Why the run must stop now, if it must. */
  get reason(): StopReason | undefined {
    if (this.stopped) return this.stopped;
    if (this.signal?.aborted) this.stopped = this.signal.reason === 'SIGTERM' ? 'terminated' : 'interrupted';
    else if (performance.now() >= this.deadline) this.stopped = 'time-limit';
    return this.stopped;
  }

  /** Fills a new search: from the checkpoint being resumed, else with the initial states. */
  start<S>(search: Search<S>): void {
    const k = this.keeper;
    if (k) untrapped(() => k.start(search as Search<unknown>));
    else search.initial();
  }

  /** At a level boundary (the search has just advanced). */
  atLevel<S>(search: Search<S>): void {
    const k = this.keeper;
    if (k) untrapped(() => k.level(search as Search<unknown>));
  }

  /** When the search has ended, stopped or not. */
  atEnd<S>(search: Search<S>): void {
    const k = this.keeper;
    if (k) untrapped(() => k.end(search as Search<unknown>, this.stopped !== undefined));
  }

  /** States in the next slice. */
  get slice(): number {
    return this.sliced ? this.n : Number.POSITIVE_INFINITY;
  }

  /** Adapts the slice to take about SLICE_MS: `states` took `ms`. */
  took(states: number, ms: number): void {
    if (!this.sliced || states < this.n) return;
    if (ms < SLICE_MS / 2 && this.n < 1 << 22) this.n *= 2;
    else if (ms > SLICE_MS * 2 && this.n > 1) this.n = Math.max(1, this.n >> 1);
  }

  /** Whether the driver should let the event loop run now (at most every YIELD_MS). */
  yieldDue(): boolean {
    const now = performance.now();
    if (now - this.lastYield < YIELD_MS) return false;
    this.lastYield = now;
    return true;
  }
}

/** A pacer that never stops a run. */
export const unpaced = (): Pacer => new Pacer(undefined, undefined, false);
