// Candidate successors of one worker in a parallel level (explore/parallel.ts): the states
// a worker generated (less repeats it noticed itself), in the worker's generation order
// (parent, then choice), with what the insertion and placement phases need: packed words,
// parent index within the level, choice, fingerprint (when it cannot be recomputed from the
// words), its shard, and for each shard the list of its candidates with a flag that the
// shard's owner sets when the candidate was new (kept per shard, so that two owners never
// write the same cache line). All arrays are SharedArrayBuffers, read by the other workers.

import { allocBuffer } from './parents.js';

/** Size of the cache of recently listed fingerprints: 2^16 entries, 512 KB, stays in L2. */
const RECENT_BITS = 16;
const RECENT = 1 << RECENT_BITS;

export interface CandidateBuffers {
  words: SharedArrayBuffer;
  parent: SharedArrayBuffer;
  choice: SharedArrayBuffer;
  /** Bytes per choice: 1, 2 or 4. */
  choiceBytes: number;
  hi: SharedArrayBuffer | null;
  lo: SharedArrayBuffer | null;
  shard: SharedArrayBuffer;
  /** Per shard: indexes of its candidates, in order, their win flags, and how many. */
  shardIndex: SharedArrayBuffer[];
  shardWin: SharedArrayBuffer[];
  shardCount: number[];
  count: number;
}

/** One shard's candidates: their indexes and the owner's win flags. */
class ShardList {
  data: Uint32Array;
  win: Uint8Array;
  count = 0;
  constructor(cap: number) {
    this.data = new Uint32Array(allocBuffer(cap * 4, true));
    this.win = new Uint8Array(allocBuffer(cap, true));
  }
  push(v: number): void {
    if (this.count === this.data.length) {
      const d = new Uint32Array(allocBuffer(this.data.length * 8, true));
      d.set(this.data);
      this.data = d;
      const w = new Uint8Array(allocBuffer(this.data.length, true));
      w.set(this.win);
      this.win = w;
    }
    this.data[this.count++] = v;
  }
  clear(): void {
    this.win.fill(0, 0, this.count);
    this.count = 0;
  }
}

export class Candidates {
  words!: Uint32Array;
  parent!: Uint32Array;
  choice!: Uint8Array | Uint16Array | Uint32Array;
  hi: Uint32Array | null = null;
  lo: Uint32Array | null = null;
  shard!: Uint8Array;
  readonly byShard: ShardList[];
  count = 0;
  private cap = 0;
  /**
   * A direct-mapped cache of the fingerprints listed recently in this level: a state that
   * the same worker reaches again from a nearby parent is listed once (the first time,
   * which is the sequential order). It catches about 95% of such repeats on the bench
   * models while staying in cache; a complete per-level set costs more in cache misses
   * than the insertion attempts in phase B it saves (docs/decisions/performance-parallel-levels.md).
   */
  private readonly recentHi = new Uint32Array(RECENT);
  private readonly recentLo = new Uint32Array(RECENT);

  /**
   * @param W        words per state
   * @param keepFp   store fingerprints (hashed or viewed states); otherwise they are the words
   * @param shards   shards of the seen-set
   * @param choiceBytes bytes per choice index (1, 2 or 4)
   * @param maxBytes the lists never grow beyond this; `push` then returns false
   */
  constructor(readonly W: number, readonly keepFp: boolean, shards: number, readonly choiceBytes: 1 | 2 | 4, public maxBytes = Number.POSITIVE_INFINITY, private readonly initial = 1 << 12) {
    this.byShard = Array.from({ length: shards }, () => new ShardList(initial));
    this.resize(initial);
  }

  /** Bytes per candidate. */
  get unit(): number {
    return this.W * 4 + 4 + this.choiceBytes + (this.keepFp ? 8 : 0) + 1 + 5;
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
    const cb = allocBuffer(cap * this.choiceBytes, true);
    const choice = this.choiceBytes === 1 ? new Uint8Array(cb) : this.choiceBytes === 2 ? new Uint16Array(cb) : new Uint32Array(cb);
    if (this.cap && n > 0) choice.set(this.choice.subarray(0, n));
    this.choice = choice;
    if (this.keepFp) {
      this.hi = u32(this.hi);
      this.lo = u32(this.lo);
    }
    const shard = new Uint8Array(allocBuffer(cap, true));
    if (this.cap && n > 0) shard.set(this.shard.subarray(0, n));
    this.shard = shard;
    this.cap = cap;
  }

  /**
   * Gives up storage beyond `maxBytes` (call it on empty lists): the lists keep the capacity
   * the largest chunk needed, and a chunk expanded while the fingerprint table was merged to
   * disk and released may have had most of the budget free; once the table grows back, that
   * capacity would sit outside the budget. Returns the bytes let go of.
   */
  fit(): number {
    if (this.count !== 0 || this.bytes <= this.maxBytes) return 0;
    const before = this.allBytes();
    let cap = this.initial;
    while (cap * 2 * this.unit <= this.maxBytes) cap *= 2;
    this.resize(cap);
    for (let s = 0; s < this.byShard.length; s++) if (this.byShard[s].data.length > cap) this.byShard[s] = new ShardList(cap);
    return Math.max(0, before - this.allBytes());
  }

  /** Bytes of every array, the per-shard lists included. */
  private allBytes(): number {
    return this.bytes + this.byShard.reduce((a, l) => a + l.data.byteLength + l.win.byteLength, 0);
  }

  /** Empties the lists (keeping their storage) for the next level. */
  clear(): void {
    this.count = 0;
    for (const l of this.byShard) l.clear();
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
    this.shard[n] = shard;
    this.byShard[shard].push(n);
    this.count = n + 1;
    return true;
  }

  buffers(): CandidateBuffers {
    return {
      words: this.words.buffer as SharedArrayBuffer,
      parent: this.parent.buffer as SharedArrayBuffer,
      choice: this.choice.buffer as SharedArrayBuffer,
      choiceBytes: this.choiceBytes,
      hi: this.hi ? (this.hi.buffer as SharedArrayBuffer) : null,
      lo: this.lo ? (this.lo.buffer as SharedArrayBuffer) : null,
      shard: this.shard.buffer as SharedArrayBuffer,
      shardIndex: this.byShard.map((l) => l.data.buffer as SharedArrayBuffer),
      shardWin: this.byShard.map((l) => l.win.buffer as SharedArrayBuffer),
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
  shardIndex: Uint32Array[];
  shardWin: Uint8Array[];
  shardCount: number[];
  count: number;
}

export function viewCandidates(b: CandidateBuffers): CandidateView {
  return {
    words: new Uint32Array(b.words),
    hi: b.hi ? new Uint32Array(b.hi) : null,
    lo: b.lo ? new Uint32Array(b.lo) : null,
    shardIndex: b.shardIndex.map((x) => new Uint32Array(x)),
    shardWin: b.shardWin.map((x) => new Uint8Array(x)),
    shardCount: b.shardCount,
    count: b.count,
  };
}

/** Bytes held by a worker's candidate lists. */
export function candidateBytes(b: CandidateBuffers): number {
  return b.words.byteLength + b.parent.byteLength + b.choice.byteLength + (b.hi?.byteLength ?? 0) + (b.lo?.byteLength ?? 0) + b.shard.byteLength +
    b.shardIndex.reduce((a, x) => a + x.byteLength * 1.25, 0);
}
