// Giving the memory of large shared buffers back. A SharedArrayBuffer is freed only when
// every thread's wrapper of it has been collected, and a worker thread allocates so little
// on its own heap that its collector may not run for minutes: the spilled parent-pointer
// chunks, the frontiers a growth replaced and the fingerprint-table shards it saw stay
// mapped until then, outside the search's memory budget (measured before this: counters
// K=8 M=9 with two workers and --memory 384 MiB peaked at 1.24 GB resident, and the 10^9
// planted-bug run at 7.2 GB for a 3 GiB budget). A thread that lets go of large buffers
// counts their bytes; past a threshold it asks V8 for a full collection, which a worker's
// small heap makes cheap (milliseconds, at most a few times per level).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes let go of before a collection is asked for. */
const THRESHOLD = 64 << 20;

/** V8's collector as a function (--expose-gc, set for contexts made from now on), or null where the runtime refuses. */
function exposeGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

/** Counts the bytes of buffers a thread let go of and collects when they add up (one per thread and run). */
export class Reclaimer {
  private dropped = 0;
  private gc: (() => void) | null | undefined;
  /** Collections run so far (for tests and MIGCHECK_DEBUG). */
  collections = 0;

  constructor(private readonly threshold = THRESHOLD) {}

  /** This thread no longer refers to `bytes` of buffers; collects once enough were dropped. */
  drop(bytes: number): void {
    this.dropped += bytes;
    if (this.dropped < this.threshold) return;
    this.dropped = 0;
    if (this.gc === undefined) this.gc = exposeGc();
    if (this.gc) {
      this.gc();
      this.collections++;
    }
  }
}
