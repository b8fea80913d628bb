// The seen-set of a parallel search: 2^k independent open-addressing tables (shards) in
// SharedArrayBuffers, one owned by each worker during the insertion phase of a level. The
// top bits of a fingerprint's slot hash choose the shard, the low bits the slot in it, so
// two workers never write the same table at the same time and no atomic operation is
// needed. Between phases any thread may read any shard; only the coordinator (or a shard's
// owner) inserts. Slot formats are those of FingerprintSet (two words) and WordSet (one
// word plus one) in fpset.ts.

import { slot, wordSlot, pairEntries, wordEntries, compactPairs, compactWords, MIN_CAPACITY, type SeenSet } from './fpset.js';
import { sortedRuns } from './spill.js';
import { allocBuffer, prefault } from './parents.js';

export interface ShardedBuffers {
  tables: SharedArrayBuffer[];
  counts: SharedArrayBuffer;
  compact: boolean;
}

export class ShardedSet implements SeenSet {
  private tables: Uint32Array[] = [];
  private masks: number[] = [];
  private limits: number[] = [];
  /**
   * Entries per shard, shared so that every thread sees the owner's insertions; one per
   * 64-byte line (index s * 16), so that owners counting at once do not share a cache line.
   */
  private readonly counts: Int32Array;
  private readonly shift: number;
  /** Words per slot: 1 (compact) or 2. */
  private readonly spw: number;
  /** Shards replaced by growth since the last `takeGrown()`. */
  private grown = new Set<number>();
  /**
   * Told the bytes of each table this thread's growth replaced, so that its owner can have
   * them collected (store/reclaim.ts): a worker's growth of many shards in one insertion
   * step otherwise leaves the old tables mapped beside the new ones until a collection that
   * its small heap may not need for minutes. Tables replaced by another thread's growth or
   * release are counted by `adoptTables`'s result, a release by `clear`'s caller.
   */
  onDrop: (bytes: number) => void = () => {};

  /**
   * @param shards   a power of two
   * @param compact  one-word exact keys (Layout.compact) instead of 64-bit fingerprints
   * @param canGrow  a say on each growth (the search's memory budget); none in workers
   */
  constructor(readonly shards: number, readonly compact: boolean, initialCapacity = 1 << 12, private readonly canGrow?: (extra: number) => boolean, adopt?: ShardedBuffers) {
    if (shards < 1 || (shards & (shards - 1)) !== 0) throw new Error('shards must be a power of two');
    this.shift = shards === 1 ? 32 : 32 - Math.log2(shards);
    this.spw = compact ? 1 : 2;
    if (adopt) {
      this.counts = new Int32Array(adopt.counts);
      adopt.tables.forEach((b, s) => this.setTable(s, new Uint32Array(b)));
    } else {
      this.counts = new Int32Array(allocBuffer(64 * shards, true));
      let cap = MIN_CAPACITY;
      while (cap < initialCapacity) cap *= 2;
      for (let s = 0; s < shards; s++) this.setTable(s, new Uint32Array(allocBuffer(cap * this.spw * 4, true)));
    }
  }

  private setTable(s: number, t: Uint32Array): void {
    const cap = t.length / this.spw;
    this.tables[s] = t;
    this.masks[s] = cap - 1;
    this.limits[s] = Math.floor(cap * 0.75);
  }

  get size(): number {
    let n = 0;
    for (let s = 0; s < this.shards; s++) n += this.counts[s << 4];
    return n;
  }

  get bytes(): number {
    let b = 0;
    for (const t of this.tables) b += t.byteLength;
    return b;
  }

  /**
   * Bytes the tables would need, at most, while taking `extra` more entries: the grown
   * tables, and the ones each growth replaces, which stay alive beside them during the
   * insertion (the coordinator holds the old table until it adopts the new one; a worker
   * collects the tables in between once they add up, store/reclaim.ts).
   */
  bytesFor(extra: number): number {
    let b = 0;
    const per = Math.ceil(extra / this.shards) * 1.25 + 16;
    for (let s = 0; s < this.shards; s++) {
      let cap = this.masks[s] + 1;
      while (this.counts[s << 4] + per > cap * 0.75) {
        b += cap * this.spw * 4;
        cap *= 2;
      }
      b += cap * this.spw * 4;
    }
    return b;
  }

  /** The shard a fingerprint belongs to. */
  shardOf(hi: number, lo: number): number {
    return this.shards === 1 ? 0 : (this.compact ? wordSlot((lo + 1) >>> 0) : slot(hi, lo)) >>> this.shift;
  }

  put(hi: number, lo: number): 1 | 0 | -1 {
    if (this.compact) {
      const key = (lo + 1) >>> 0;
      const h = wordSlot(key);
      const s = this.shards === 1 ? 0 : h >>> this.shift;
      if (this.counts[s << 4] >= this.limits[s] && !this.grow(s)) return -1;
      const t = this.tables[s];
      const mask = this.masks[s];
      let i = h & mask;
      for (;;) {
        const k = t[i];
        if (k === 0) {
          t[i] = key;
          this.counts[s << 4]++;
          return 1;
        }
        if (k === key) return 0;
        i = (i + 1) & mask;
      }
    }
    const h = slot(hi, lo);
    const s = this.shards === 1 ? 0 : h >>> this.shift;
    if (this.counts[s << 4] >= this.limits[s] && !this.grow(s)) return -1;
    const t = this.tables[s];
    const mask = this.masks[s];
    let i = h & mask;
    for (;;) {
      const j = i << 1;
      const a = t[j];
      const b = t[j + 1];
      if (a === 0 && b === 0) {
        t[j] = hi;
        t[j + 1] = lo;
        this.counts[s << 4]++;
        return 1;
      }
      if (a === hi && b === lo) return 0;
      i = (i + 1) & mask;
    }
  }

  has(hi: number, lo: number): boolean {
    if (this.compact) {
      const key = (lo + 1) >>> 0;
      const h = wordSlot(key);
      const s = this.shards === 1 ? 0 : h >>> this.shift;
      const t = this.tables[s];
      const mask = this.masks[s];
      let i = h & mask;
      for (;;) {
        const k = t[i];
        if (k === 0) return false;
        if (k === key) return true;
        i = (i + 1) & mask;
      }
    }
    const h = slot(hi, lo);
    const s = this.shards === 1 ? 0 : h >>> this.shift;
    const t = this.tables[s];
    const mask = this.masks[s];
    let i = h & mask;
    for (;;) {
      const j = i << 1;
      const a = t[j];
      const b = t[j + 1];
      if (a === 0 && b === 0) return false;
      if (a === hi && b === lo) return true;
      i = (i + 1) & mask;
    }
  }

  touch(hi: number, lo: number): number {
    if (this.compact) {
      const h = wordSlot((lo + 1) >>> 0);
      const s = this.shards === 1 ? 0 : h >>> this.shift;
      return this.tables[s][h & this.masks[s]];
    }
    const h = slot(hi, lo);
    const s = this.shards === 1 ? 0 : h >>> this.shift;
    return this.tables[s][(h & this.masks[s]) << 1];
  }

  entries(): Uint32Array {
    const out = new Uint32Array(this.size * 2);
    let at = 0;
    for (let s = 0; s < this.shards; s++) {
      const n = this.counts[s << 4];
      if (this.compact) wordEntries(this.tables[s], n, out, at);
      else pairEntries(this.tables[s], n, out, at);
      at += 2 * n;
    }
    return out;
  }

  /**
   * Inserts `n` fingerprints that all belong to shard `s`, in order, after touching their
   * slots; `isNew[k]` becomes 1 for each one that was not present. Returns the number of new
   * ones, or -1 when the shard is full under its budget (the rest is then not inserted).
   */
  insertBatch(s: number, hi: Uint32Array, lo: Uint32Array, n: number, isNew: Uint8Array): number {
    let added = 0;
    if (this.counts[s << 4] + n > this.limits[s]) {
      // Near the growth threshold: one at a time, growing when needed.
      for (let k = 0; k < n; k++) {
        const r = this.put(hi[k], lo[k]);
        if (r < 0) return -1;
        isNew[k] = r;
        added += r;
      }
      return added;
    }
    const t = this.tables[s];
    const mask = this.masks[s];
    let sink = 0;
    if (this.compact) {
      for (let k = 0; k < n; k++) sink ^= t[wordSlot((lo[k] + 1) >>> 0) & mask];
      for (let k = 0; k < n; k++) {
        const key = (lo[k] + 1) >>> 0;
        let i = wordSlot(key) & mask;
        let fresh = 0;
        for (;;) {
          const e = t[i];
          if (e === 0) {
            t[i] = key;
            fresh = 1;
            break;
          }
          if (e === key) break;
          i = (i + 1) & mask;
        }
        isNew[k] = fresh;
        added += fresh;
      }
    } else {
      for (let k = 0; k < n; k++) sink ^= t[(slot(hi[k], lo[k]) & mask) << 1];
      for (let k = 0; k < n; k++) {
        const a = hi[k];
        const b = lo[k];
        let i = slot(a, b) & mask;
        let fresh = 0;
        for (;;) {
          const j = i << 1;
          const x = t[j];
          const y = t[j + 1];
          if (x === 0 && y === 0) {
            t[j] = a;
            t[j + 1] = b;
            fresh = 1;
            break;
          }
          if (x === a && y === b) break;
          i = (i + 1) & mask;
        }
        isNew[k] = fresh;
        added += fresh;
      }
    }
    this.counts[s << 4] += added;
    this.sink ^= sink;
    return added;
  }

  get keyWords(): 1 | 2 {
    return this.compact ? 1 : 2;
  }

  key(hi: number, lo: number, out: Uint32Array, at: number): void {
    if (this.compact) out[at] = (lo + 1) >>> 0;
    else {
      out[2 * at] = hi;
      out[2 * at + 1] = lo;
    }
  }

  /** Only between phases, in the coordinator: the workers see the same tables. */
  drainSorted(): { keys: Uint32Array; n: number }[] {
    return this.tables.flatMap((t) => sortedRuns(t, this.compact ? compactWords(t) : compactPairs(t), this.compact ? 1 : 2));
  }

  /** Empties every shard (keeping the capacities, unless `release`: then each shard is replaced by a smallest one, which the workers adopt with the next step's tables). */
  clear(release = false): void {
    for (let s = 0; s < this.shards; s++) {
      if (release) {
        this.setTable(s, new Uint32Array(allocBuffer(MIN_CAPACITY * this.spw * 4, true)));
      } else this.tables[s].fill(0);
      this.counts[s << 4] = 0;
    }
  }

  /** Keeps touched slots observable. */
  sink = 0;

  private grow(s: number): boolean {
    const old = this.tables[s];
    if (this.canGrow && !this.canGrow(old.byteLength * 2)) return false;
    const cap = (this.masks[s] + 1) * 2;
    let t: Uint32Array;
    try {
      t = prefault(new Uint32Array(allocBuffer(cap * this.spw * 4, true)));
    } catch {
      return false;
    }
    const mask = cap - 1;
    if (this.compact) {
      for (let j = 0; j < old.length; j++) {
        const key = old[j];
        if (key === 0) continue;
        let i = wordSlot(key) & mask;
        while (t[i] !== 0) i = (i + 1) & mask;
        t[i] = key;
      }
    } else {
      for (let j = 0; j < old.length; j += 2) {
        const hi = old[j];
        const lo = old[j + 1];
        if (hi === 0 && lo === 0) continue;
        let i = slot(hi, lo) & mask;
        while (t[i << 1] !== 0 || t[(i << 1) + 1] !== 0) i = (i + 1) & mask;
        t[i << 1] = hi;
        t[(i << 1) + 1] = lo;
      }
    }
    this.setTable(s, t);
    this.grown.add(s);
    this.onDrop(old.byteLength);
    return true;
  }

  buffers(): ShardedBuffers {
    return { tables: this.tables.map((t) => t.buffer as SharedArrayBuffer), counts: this.counts.buffer as SharedArrayBuffer, compact: this.compact };
  }

  /** Takes over tables that another thread replaced (by growing them). */
  /**
   * Takes the shard tables as another thread has them. Returns the bytes of the tables it
   * replaced by ones of another size (grown or released: their memory can go once every
   * thread lets go; a buffer posted again arrives as a new object of the same size).
   */
  adoptTables(tables: readonly SharedArrayBuffer[]): number {
    let dropped = 0;
    tables.forEach((b, s) => {
      const old = this.tables[s];
      if (old.buffer === b) return;
      if (old.byteLength !== b.byteLength) dropped += old.byteLength;
      this.setTable(s, new Uint32Array(b));
    });
    return dropped;
  }

  /** The shards this thread grew since the last call, with their new buffers. */
  takeGrown(): [number, SharedArrayBuffer][] {
    const out = [...this.grown].map((s) => [s, this.tables[s].buffer as SharedArrayBuffer] as [number, SharedArrayBuffer]);
    this.grown.clear();
    return out;
  }
}
