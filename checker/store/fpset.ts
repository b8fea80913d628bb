// The set of seen states. Two tables with the same interface:
//  - FingerprintSet: 64-bit fingerprints, two 32-bit halves per slot ((0,0) marks an empty
//    slot; fingerprints are never (0,0));
//  - WordSet: for states that pack into one 32-bit word that is never all ones
//    (Layout.compact), the word itself plus one, 4 bytes a slot: exact and half the size.
// Both use linear probing and double when three-quarters full. V8's Set and Map stop at
// 2^24 entries; these tables are bounded only by memory and a budget. Their arrays live
// outside V8's heap, so the heap limit never stops a large search.

import { prefault } from './parents.js';
import { sortKeys } from './spill.js';

/** What the search needs of a seen-set. */
export interface SeenSet {
  readonly size: number;
  readonly bytes: number;
  /** Inserts; 1 if new, 0 if already present, -1 if the table is full under its budget. */
  put(hi: number, lo: number): 1 | 0 | -1;
  has(hi: number, lo: number): boolean;
  /**
   * Reads the slot where the fingerprint's probe starts and returns its contents. Touching
   * the slots of a batch of fingerprints before inserting them lets the processor fetch
   * those cache lines in parallel instead of one miss at a time.
   */
  touch(hi: number, lo: number): number;
  /**
   * The entries as [hi, lo] pairs (for a one-word set, [0, word]), in table order: what a
   * checkpoint keeps (store/checkpoint.ts). `put` of each pair, into a set of any kind and
   * size with the same `compact`, gives the same set.
   */
  entries(): Uint32Array;
  /** Words of a table key: 2 for a fingerprint (hi, lo), 1 for a one-word exact key (word + 1). */
  readonly keyWords: 1 | 2;
  /** Writes the table key of a fingerprint at key position `at` of `out` (spill.ts orders keys). */
  key(hi: number, lo: number, out: Uint32Array, at: number): void;
  /**
   * Moves the entries to the front of the table(s) and sorts them in place, in the order of
   * spill.ts (sortKeys), as ascending runs (sortedRuns: shared tables in blocks): what is
   * merged into the disk file. The set holds garbage until
   * `clear()`.
   */
  drainSorted(): { keys: Uint32Array; n: number }[];
  /**
   * Removes every entry. The capacity is kept, unless `release`: then the table goes back to
   * its smallest size and its memory is given up (a search short of memory for its frontier
   * after merging the table to disk).
   */
  clear(release?: boolean): void;
}

/** Slots of the smallest table (a new or released one). */
export const MIN_CAPACITY = 1 << 4;

/** Asks whether the table may grow to `bytes` more (the old table stays alive while rehashing). */
export type GrowthCheck = (extraBytes: number) => boolean;

export class FingerprintSet implements SeenSet {
  // Set together by use().
  private table!: Uint32Array;
  private mask!: number;
  private count = 0;
  private limit!: number;

  /**
   * @param initialCapacity slots to start with (rounded up to a power of two)
   * @param maxBytes        the table never grows beyond this many bytes; `put` then returns
   *                        `FULL` and the caller stops the search as incomplete
   * @param canGrow         a further say on each growth (the search's overall memory budget)
   */
  constructor(initialCapacity = 1 << 16, private readonly maxBytes = Number.POSITIVE_INFINITY, private readonly canGrow?: GrowthCheck) {
    let cap = MIN_CAPACITY;
    while (cap < initialCapacity) cap *= 2;
    this.use(new Uint32Array(cap * 2));
  }

  /** Takes `t` (empty, or filled by grow) as the table: two words a slot. */
  private use(t: Uint32Array): void {
    const cap = t.length / 2;
    this.table = t;
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  /** Bytes the table would occupy after its next growth. */
  get nextBytes(): number {
    return this.table.byteLength * 2;
  }

  /** Inserts the fingerprint. Returns 1 if it was new, 0 if already present, -1 if the table is full under its budget. */
  put(hi: number, lo: number): 1 | 0 | -1 {
    // Full under the budget: a state already seen is still answered (the table has room
    // to probe); only a new one stops the search.
    if (this.count >= this.limit && !this.grow()) return this.has(hi, lo) ? 0 : -1;
    const t = this.table;
    const mask = this.mask;
    let i = slot(hi, lo) & mask;
    for (;;) {
      const j = i << 1;
      const h = t[j];
      const l = t[j + 1];
      if (h === 0 && l === 0) {
        t[j] = hi;
        t[j + 1] = lo;
        this.count++;
        return 1;
      }
      if (h === hi && l === lo) return 0;
      i = (i + 1) & mask;
    }
  }

  has(hi: number, lo: number): boolean {
    const t = this.table;
    const mask = this.mask;
    let i = slot(hi, lo) & mask;
    for (;;) {
      const j = i << 1;
      const h = t[j];
      const l = t[j + 1];
      if (h === 0 && l === 0) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & mask;
    }
  }

  touch(hi: number, lo: number): number {
    return this.table[(slot(hi, lo) & this.mask) << 1];
  }

  entries(): Uint32Array {
    return pairEntries(this.table, this.count);
  }

  readonly keyWords = 2 as const;

  key(hi: number, lo: number, out: Uint32Array, at: number): void {
    out[2 * at] = hi;
    out[2 * at + 1] = lo;
  }

  drainSorted(): { keys: Uint32Array; n: number }[] {
    const n = compactPairs(this.table);
    sortKeys(this.table, n, 2);
    return [{ keys: this.table, n }];
  }

  clear(release = false): void {
    if (release) this.use(new Uint32Array(MIN_CAPACITY * 2));
    else if (this.count > 0) this.table.fill(0);
    this.count = 0;
  }

  private grow(): boolean {
    const old = this.table;
    if (old.byteLength * 2 + old.byteLength > this.maxBytes) return false;
    if (this.canGrow && !this.canGrow(old.byteLength * 2)) return false;
    const cap = (this.mask + 1) * 2;
    const t = allocate(cap * 2);
    if (!t) return false;
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j];
      const lo = old[j + 1];
      if (hi === 0 && lo === 0) continue;
      let i = slot(hi, lo) & mask;
      while (t[i << 1] !== 0 || t[(i << 1) + 1] !== 0) i = (i + 1) & mask;
      t[i << 1] = hi;
      t[(i << 1) + 1] = lo;
    }
    this.use(t);
    return true;
  }
}

/**
 * Exact set of one-word states that are never all ones: slot = word + 1, 0 = empty. The
 * fingerprint's `lo` is the word (Layout.fingerprint of a one-word layout); `hi` is ignored.
 */
export class WordSet implements SeenSet {
  // Set together by use().
  private table!: Uint32Array;
  private mask!: number;
  private count = 0;
  private limit!: number;

  constructor(initialCapacity = 1 << 16, private readonly maxBytes = Number.POSITIVE_INFINITY, private readonly canGrow?: GrowthCheck) {
    let cap = MIN_CAPACITY;
    while (cap < initialCapacity) cap *= 2;
    this.use(new Uint32Array(cap));
  }

  /** Takes `t` (empty, or filled by grow) as the table: one word a slot. */
  private use(t: Uint32Array): void {
    const cap = t.length;
    this.table = t;
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  put(_hi: number, lo: number): 1 | 0 | -1 {
    if (this.count >= this.limit && !this.grow()) return this.has(_hi, lo) ? 0 : -1;
    const t = this.table;
    const mask = this.mask;
    const key = (lo + 1) >>> 0;
    let i = wordSlot(key) & mask;
    for (;;) {
      const k = t[i];
      if (k === 0) {
        t[i] = key;
        this.count++;
        return 1;
      }
      if (k === key) return 0;
      i = (i + 1) & mask;
    }
  }

  has(_hi: number, lo: number): boolean {
    const t = this.table;
    const mask = this.mask;
    const key = (lo + 1) >>> 0;
    let i = wordSlot(key) & mask;
    for (;;) {
      const k = t[i];
      if (k === 0) return false;
      if (k === key) return true;
      i = (i + 1) & mask;
    }
  }

  touch(_hi: number, lo: number): number {
    return this.table[wordSlot((lo + 1) >>> 0) & this.mask];
  }

  entries(): Uint32Array {
    return wordEntries(this.table, this.count);
  }

  readonly keyWords = 1 as const;

  key(_hi: number, lo: number, out: Uint32Array, at: number): void {
    out[at] = (lo + 1) >>> 0;
  }

  drainSorted(): { keys: Uint32Array; n: number }[] {
    const n = compactWords(this.table);
    sortKeys(this.table, n, 1);
    return [{ keys: this.table, n }];
  }

  clear(release = false): void {
    if (release) this.use(new Uint32Array(MIN_CAPACITY));
    else if (this.count > 0) this.table.fill(0);
    this.count = 0;
  }

  private grow(): boolean {
    const old = this.table;
    if (old.byteLength * 2 + old.byteLength > this.maxBytes) return false;
    if (this.canGrow && !this.canGrow(old.byteLength * 2)) return false;
    const cap = (this.mask + 1) * 2;
    const t = allocate(cap);
    if (!t) return false;
    const mask = cap - 1;
    for (let j = 0; j < old.length; j++) {
      const key = old[j];
      if (key === 0) continue;
      let i = wordSlot(key) & mask;
      while (t[i] !== 0) i = (i + 1) & mask;
      t[i] = key;
    }
    this.use(t);
    return true;
  }
}

/** The [hi, lo] pairs of a two-word table holding `count` entries. */
export function pairEntries(t: Uint32Array, count: number, out = new Uint32Array(count * 2), at = 0): Uint32Array {
  for (let j = 0; j < t.length; j += 2) {
    if (t[j] === 0 && t[j + 1] === 0) continue;
    out[at++] = t[j];
    out[at++] = t[j + 1];
  }
  return out;
}

/** The [0, word] pairs of a one-word table (slot = word + 1) holding `count` entries. */
export function wordEntries(t: Uint32Array, count: number, out = new Uint32Array(count * 2), at = 0): Uint32Array {
  for (let j = 0; j < t.length; j++) {
    if (t[j] === 0) continue;
    out[at++] = 0;
    out[at++] = (t[j] - 1) >>> 0;
  }
  return out;
}

/** Moves the occupied two-word slots of a table to its front, in table order; returns how many. */
export function compactPairs(t: Uint32Array): number {
  let n = 0;
  for (let j = 0; j < t.length; j += 2) {
    const hi = t[j];
    const lo = t[j + 1];
    if (hi === 0 && lo === 0) continue;
    t[2 * n] = hi;
    t[2 * n + 1] = lo;
    n++;
  }
  return n;
}

/** Moves the occupied one-word slots of a table to its front; returns how many. */
export function compactWords(t: Uint32Array): number {
  let n = 0;
  for (let j = 0; j < t.length; j++) if (t[j] !== 0) t[n++] = t[j];
  return n;
}

/** A zeroed array, or undefined when the system refuses the memory (never a crash). */
function allocate(n: number): Uint32Array | undefined {
  try {
    return prefault(new Uint32Array(n));
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Slot hash: mixes both halves so that exact (unhashed) fingerprints spread too. */
export function slot(hi: number, lo: number): number {
  let h = (lo ^ Math.imul(hi, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Slot hash of a one-word key (fmix32). */
export function wordSlot(key: number): number {
  let h = key | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
