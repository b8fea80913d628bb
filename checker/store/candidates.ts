// Candidate successors of one worker in a parallel level (explore/parallel.ts): the states
// a worker generated that were not seen in earlier levels, in the worker's generation order
// (parent, then choice), with what the insertion and placement phases need: packed words,
// parent index within the level, choice, fingerprint (when it cannot be recomputed from the
// words), for each shard the list of its candidates, and a flag set by the shard's owner
// when the candidate was new. All arrays are SharedArrayBuffers, read by the other workers.

import { allocBuffer } from './parents.js';

/** Size of the cache of recently listed fingerprints: 2^16 entries, 512 KB, stays in L2. */
const RECENT_BITS = 16;
const RECENT = 1 << RECENT_BITS;

export interface CandidateBuffers {
  words: SharedArrayBuffer;
  parent: SharedArrayBuffer;
  choice: SharedArrayBuffer;
  hi: SharedArrayBuffer | null;
  lo: SharedArrayBuffer | null;
  win: SharedArrayBuffer;
  /** Per shard: indexes of its candidates, in order, and how many. */
  shardIndex: SharedArrayBuffer[];
  shardCount: number[];
  count: number;
}

class U32List {
  data: Uint32Array;
  count = 0;
  constructor(cap: number) {
    this.data = new Uint32Array(allocBuffer(cap * 4, true));
  }
  push(v: number): void {
    if (this.count === this.data.length) {
      const d = new Uint32Array(allocBuffer(this.data.length * 8, true));
      d.set(this.data);
      this.data = d;
    }
    this.data[this.count++] = v;
  }
}

export class Candidates {
  words!: Uint32Array;
  parent!: Uint32Array;
  choice!: Uint32Array;
  hi: Uint32Array | null = null;
  lo: Uint32Array | null = null;
  win!: Uint8Array;
  readonly byShard: U32List[];
  count = 0;
  private cap = 0;
  /**
   * A direct-mapped cache of the fingerprints listed recently in this level: a state that
   * the same worker reaches again from a nearby parent is listed once (the first time,
   * which is the sequential order). It catches about 95% of such repeats on the bench
   * models while staying in cache; a complete per-level set costs more in cache misses
   * than the insertion attempts in phase B it saves (docs/decisions/0003-parallel-levels.md).
   */
  private readonly recentHi = new Uint32Array(RECENT);
  private readonly recentLo = new Uint32Array(RECENT);

  /**
   * @param W        words per state
   * @param keepFp   store fingerprints (hashed or viewed states); otherwise they are the words
   * @param shards   shards of the seen-set
   * @param maxBytes the lists never grow beyond this; `push` then returns false
   */
  constructor(readonly W: number, readonly keepFp: boolean, shards: number, public maxBytes = Number.POSITIVE_INFINITY, initial = 1 << 12) {
    this.byShard = Array.from({ length: shards }, () => new U32List(initial));
    this.resize(initial);
  }

  /** Bytes per candidate. */
  get unit(): number {
    return this.W * 4 + 4 + 4 + (this.keepFp ? 8 : 0) + 1 + 4;
  }

  get bytes(): number {
    return this.cap * this.unit;
  }

  private resize(cap: number): void {
    const n = this.count;
    const u32 = (old: Uint32Array | null, per = 1): Uint32Array => {
      const a = new Uint32Array(allocBuffer(cap * per * 4, true));
      if (old && n > 0) a.set(old.subarray(0, n * per));
      return a;
    };
    this.words = u32(this.cap ? this.words : null, this.W);
    this.parent = u32(this.cap ? this.parent : null);
    this.choice = u32(this.cap ? this.choice : null);
    if (this.keepFp) {
      this.hi = u32(this.hi);
      this.lo = u32(this.lo);
    }
    const win = new Uint8Array(allocBuffer(cap, true));
    if (this.cap && n > 0) win.set(this.win.subarray(0, n));
    this.win = win;
    this.cap = cap;
  }

  /** Empties the lists (keeping their storage) for the next level. */
  clear(): void {
    this.win.fill(0, 0, this.count);
    this.count = 0;
    for (const l of this.byShard) l.count = 0;
    this.recentHi.fill(0);
    this.recentLo.fill(0);
  }

  /** Appends a candidate unless already listed; false when the lists would exceed their byte budget. */
  push(src: Uint32Array, o: number, parent: number, choice: number, hi: number, lo: number, shard: number): boolean {
    const h = Math.imul(lo ^ hi, 0x9e3779b1) >>> (32 - RECENT_BITS);
    if (this.recentHi[h] === hi && this.recentLo[h] === lo) return true;
    this.recentHi[h] = hi;
    this.recentLo[h] = lo;
    const n = this.count;
    if (n === this.cap) {
      if (this.cap * 2 * this.unit > this.maxBytes) return false;
      this.resize(this.cap * 2);
    }
    const W = this.W;
    const d = n * W;
    for (let k = 0; k < W; k++) this.words[d + k] = src[o + k];
    this.parent[n] = parent;
    this.choice[n] = choice;
    if (this.hi) {
      this.hi[n] = hi;
      this.lo![n] = lo;
    }
    this.byShard[shard].push(n);
    this.count = n + 1;
    return true;
  }

  buffers(): CandidateBuffers {
    return {
      words: this.words.buffer as SharedArrayBuffer,
      parent: this.parent.buffer as SharedArrayBuffer,
      choice: this.choice.buffer as SharedArrayBuffer,
      hi: this.hi ? (this.hi.buffer as SharedArrayBuffer) : null,
      lo: this.lo ? (this.lo.buffer as SharedArrayBuffer) : null,
      win: this.win.buffer as SharedArrayBuffer,
      shardIndex: this.byShard.map((l) => l.data.buffer as SharedArrayBuffer),
      shardCount: this.byShard.map((l) => l.count),
      count: this.count,
    };
  }
}

/** Read access to another worker's candidates. */
export interface CandidateView {
  words: Uint32Array;
  hi: Uint32Array | null;
  lo: Uint32Array | null;
  win: Uint8Array;
  shardIndex: Uint32Array[];
  shardCount: number[];
  count: number;
}

export function viewCandidates(b: CandidateBuffers): CandidateView {
  return {
    words: new Uint32Array(b.words),
    hi: b.hi ? new Uint32Array(b.hi) : null,
    lo: b.lo ? new Uint32Array(b.lo) : null,
    win: new Uint8Array(b.win),
    shardIndex: b.shardIndex.map((x) => new Uint32Array(x)),
    shardCount: b.shardCount,
    count: b.count,
  };
}

/** Bytes held by a worker's candidate lists. */
export function candidateBytes(b: CandidateBuffers): number {
  return b.words.byteLength + b.parent.byteLength + b.choice.byteLength + (b.hi?.byteLength ?? 0) + (b.lo?.byteLength ?? 0) + b.win.byteLength +
    b.shardIndex.reduce((a, x) => a + x.byteLength, 0);
}
