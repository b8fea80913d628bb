// The set of seen states: 64-bit fingerprints in an open-addressing table on a typed
// array (two 32-bit halves per slot, (0,0) marks an empty slot; fingerprints are never
// (0,0)). Linear probing; the table doubles when it is three-quarters full. V8's Set and
// Map stop at 2^24 entries; this table is bounded only by memory (and a budget).

export class FingerprintSet {
  private table: Uint32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  /**
   * @param initialCapacity slots to start with (rounded up to a power of two)
   * @param maxBytes        the table never grows beyond this many bytes; `put` then returns
   *                        `FULL` and the caller stops the search as incomplete
   */
  constructor(initialCapacity = 1 << 16, private readonly maxBytes = Number.POSITIVE_INFINITY) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap *= 2;
    this.table = new Uint32Array(cap * 2);
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
    if (this.count >= this.limit) {
      if (!this.grow()) return -1;
    }
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

  private grow(): boolean {
    const old = this.table;
    if (old.byteLength * 2 + old.byteLength > this.maxBytes) return false;
    const cap = (this.mask + 1) * 2;
    const t = new Uint32Array(cap * 2);
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
    this.table = t;
    this.mask = mask;
    this.limit = Math.floor(cap * 0.75);
    return true;
  }
}

/** Slot hash: mixes both halves so that exact (unhashed) fingerprints spread too. */
function slot(hi: number, lo: number): number {
  let h = (lo ^ Math.imul(hi, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
