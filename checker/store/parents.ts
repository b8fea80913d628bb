// Parent pointers for trace reconstruction. States are numbered in discovery (BFS) order;
// for each state we keep the number of its parent and the index of the choice (action and
// parameter, or the initial state for roots) that produced it: 4 bytes for the parent and
// 1, 2 or 4 for the choice (the narrowest type that holds every choice index), in
// fixed-size chunks so that growth never copies. A trace is rebuilt by walking parents back
// to a root and replaying the choices forward. With `shared`, chunks live in
// SharedArrayBuffers that worker threads write directly (explore/parallel.ts).

// 64K states a chunk: small enough for small memory budgets, large enough that 10^8 states
// take only ~1,500 chunks.
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

type ChoiceArray = Uint8Array | Uint16Array | Uint32Array;

/** Thrown when the system refuses memory for a store; the search stops as incomplete. */
export class OutOfMemory extends Error {
  override name = 'OutOfMemory';
}

/**
 * Writes one byte of each 4 KiB page of a freshly allocated buffer, in address order, so
 * that the system maps its pages in one sequential sweep. A hash table that is rehashed
 * into a new buffer otherwise takes its page faults in scattered order; measured on this
 * kind of machine, that makes growing a 32 MB table 4x slower when two threads grow
 * tables at once (270 ms instead of 50-65 ms; docs/decisions/performance-parallel-levels.md).
 */
export function prefault<T extends { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }>(a: T): T {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0;
  return a;
}

/** Allocates a zeroed buffer, turning the engine's refusal into OutOfMemory. */
export function allocBuffer(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  try {
    return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  } catch (e) {
    if (e instanceof RangeError) throw new OutOfMemory(`cannot allocate ${bytes} bytes`);
    throw e;
  }
}

export class ParentStore {
  private parents: Int32Array[] = [];
  private choices: ChoiceArray[] = [];
  private n = 0;
  private readonly choiceBytes: 1 | 2 | 4;

  /**
   * @param maxChoice the largest choice index (or initial-state index) that will be stored
   * @param shared    chunks in SharedArrayBuffers (for worker threads)
   */
  constructor(maxChoice = 0xffffffff, private readonly shared = false) {
    this.choiceBytes = maxChoice < 0x100 ? 1 : maxChoice < 0x10000 ? 2 : 4;
  }

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.parents.length * CHUNK * (4 + this.choiceBytes);
  }

  /** Bytes the store would hold with `n` states. */
  bytesFor(n: number): number {
    return Math.ceil(n / CHUNK) * CHUNK * (4 + this.choiceBytes);
  }

  /** Bytes that the next chunk would add when the current one is full (0 otherwise). */
  get nextChunkBytes(): number {
    return (this.n & (CHUNK - 1)) === 0 && this.n >>> CHUNK_BITS >= this.parents.length ? CHUNK * (4 + this.choiceBytes) : 0;
  }

  /** Appends a state and returns its number. `parent` is -1 for an initial state. */
  add(parent: number, choice: number): number {
    const id = this.n;
    const c = id >>> CHUNK_BITS;
    if (c === this.parents.length) this.addChunk();
    const k = id & (CHUNK - 1);
    this.parents[c][k] = parent;
    this.choices[c][k] = choice;
    this.n = id + 1;
    return id;
  }

  private addChunk(): void {
    const p = new Int32Array(allocBuffer(CHUNK * 4, this.shared));
    const b = allocBuffer(CHUNK * this.choiceBytes, this.shared);
    this.parents.push(p);
    this.choices.push(this.choiceBytes === 1 ? new Uint8Array(b) : this.choiceBytes === 2 ? new Uint16Array(b) : new Uint32Array(b));
  }

  /** Makes room for states numbered below `n` (workers then write them with `set`). */
  reserve(n: number): void {
    while (this.parents.length * CHUNK < n) this.addChunk();
  }

  /** Records state `id` (below a reserved bound) and counts it when it extends the numbering. */
  set(id: number, parent: number, choice: number): void {
    this.parents[id >>> CHUNK_BITS][id & (CHUNK - 1)] = parent;
    this.choices[id >>> CHUNK_BITS][id & (CHUNK - 1)] = choice;
  }

  /** Sets the number of states (after workers have written them with `set`). */
  setSize(n: number): void {
    this.n = n;
  }

  /** The chunk buffers, to hand to worker threads (shared stores only). */
  buffers(): { parents: SharedArrayBuffer[]; choices: SharedArrayBuffer[]; choiceBytes: number } {
    return {
      parents: this.parents.map((a) => a.buffer as SharedArrayBuffer),
      choices: this.choices.map((a) => a.buffer as SharedArrayBuffer),
      choiceBytes: this.choiceBytes,
    };
  }

  /** A view over chunks allocated by another thread. */
  static adopt(b: { parents: SharedArrayBuffer[]; choices: SharedArrayBuffer[]; choiceBytes: number }): ParentStore {
    const s = new ParentStore(b.choiceBytes === 1 ? 0xff : b.choiceBytes === 2 ? 0xffff : 0xffffffff, true);
    s.adoptMore(b);
    return s;
  }

  /** Adds the chunks of `b` not yet known here. */
  adoptMore(b: { parents: SharedArrayBuffer[]; choices: SharedArrayBuffer[] }): void {
    for (let i = this.parents.length; i < b.parents.length; i++) {
      this.parents.push(new Int32Array(b.parents[i]));
      const cb = b.choices[i];
      this.choices.push(this.choiceBytes === 1 ? new Uint8Array(cb) : this.choiceBytes === 2 ? new Uint16Array(cb) : new Uint32Array(cb));
    }
  }

  parent(id: number): number {
    return this.parents[id >>> CHUNK_BITS][id & (CHUNK - 1)];
  }

  choice(id: number): number {
    return this.choices[id >>> CHUNK_BITS][id & (CHUNK - 1)];
  }

  /** The parent and choice of every state, in state order (what a checkpoint keeps). */
  contents(): { parents: Int32Array; choices: Uint32Array } {
    const parents = new Int32Array(this.n);
    const choices = new Uint32Array(this.n);
    for (let c = 0, at = 0; at < this.n; c++) {
      const k = Math.min(CHUNK, this.n - at);
      parents.set(this.parents[c].subarray(0, k), at);
      choices.set(this.choices[c].subarray(0, k), at);
      at += k;
    }
    return { parents, choices };
  }

  /** Appends the states of `contents()` (to an empty store). */
  load(parents: Int32Array, choices: Uint32Array): void {
    if (this.n !== 0 || parents.length !== choices.length) throw new Error('ParentStore.load: not empty, or lengths differ');
    this.reserve(parents.length);
    for (let c = 0, at = 0; at < parents.length; c++) {
      const k = Math.min(CHUNK, parents.length - at);
      this.parents[c].set(parents.subarray(at, at + k));
      this.choices[c].set(choices.subarray(at, at + k));
      at += k;
    }
    this.n = parents.length;
  }

  /** The path from a root to `id`: [rootChoice, choice1, …] where rootChoice indexes the initial states. */
  path(id: number): number[] {
    const out: number[] = [];
    for (let s = id; s >= 0; s = this.parent(s)) out.push(this.choice(s));
    return out.reverse();
  }
}

/** A growable buffer of packed states (one BFS level). */
export class StateBuffer {
  data: Uint32Array;
  count = 0;

  constructor(readonly words: number, initial = 1024, private readonly shared = false) {
    this.data = new Uint32Array(allocBuffer(Math.max(1, initial) * words * 4, shared));
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  /** Bytes after the next doubling. */
  get nextBytes(): number {
    return Math.max(this.data.length * 2, this.words * 1024) * 4;
  }

  /** Ensures room for one more state and returns its word offset. */
  reserve(): number {
    const o = this.count * this.words;
    if (o + this.words > this.data.length) this.resize(Math.max(this.data.length * 2, this.words * 1024));
    return o;
  }

  /** Ensures room for `n` states in all (growing by at least half, so that repeated calls cost linear time). */
  ensure(n: number): void {
    if (n * this.words > this.data.length) this.resize(Math.max(n * this.words, Math.floor(this.data.length * 1.5)));
  }

  private resize(words: number): void {
    const next = new Uint32Array(allocBuffer(words * 4, this.shared));
    next.set(this.data.subarray(0, this.count * this.words));
    this.data = next;
  }

  commit(): void {
    this.count++;
  }

  /** Reads a buffer filled by another thread: `count` states. */
  adopt(buffer: SharedArrayBuffer | ArrayBuffer, count: number): void {
    this.data = new Uint32Array(buffer);
    this.count = count;
  }

  clear(): void {
    this.count = 0;
  }

  /** The states held, packed (a view, not a copy). */
  contents(): Uint32Array {
    return this.data.subarray(0, this.count * this.words);
  }

  /** Replaces the contents with `count` packed states. */
  load(words: Uint32Array, count: number): void {
    this.count = 0;
    this.ensure(count);
    this.data.set(words.subarray(0, count * this.words));
    this.count = count;
  }

  /** Drops the storage when it has grown far beyond what is in use. */
  shrink(): void {
    if (this.data.length > 4 * Math.max(1024, this.count) * this.words) this.data = new Uint32Array(allocBuffer(Math.max(1024, this.count) * this.words * 4, this.shared));
  }
}
