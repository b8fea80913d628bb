// Parent pointers for trace reconstruction. States are numbered in discovery (BFS) order;
// for each state we keep the number of its parent and the index of the choice (action and
// parameter, or the initial state for roots) that produced it: 4 bytes for the parent and
// 1, 2 or 4 for the choice (the narrowest type that holds every choice index), in
// fixed-size chunks so that growth never copies. A trace is rebuilt by walking parents back
// to a root and replaying the choices forward. With `shared`, chunks live in
// SharedArrayBuffers that worker threads write directly (explore/parallel.ts).

import { closeSync, openSync, readSync } from 'node:fs';
import { writeAll } from './spill.js';

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

/** Shared chunk buffers of a parent store, as workers adopt them; `null` for a chunk spilled to disk. */
export interface ParentBuffers {
  parents: (SharedArrayBuffer | null)[];
  choices: (SharedArrayBuffer | null)[];
  choiceBytes: number;
}

export class ParentStore {
  /** Chunks in memory; `undefined` for chunks written to the spill file. */
  private parents: (Int32Array | undefined)[] = [];
  private choices: (ChoiceArray | undefined)[] = [];
  private n = 0;
  private readonly choiceBytes: 1 | 2 | 4;
  /** Chunks [0, spilled) are in the file, not in memory. */
  private spilled = 0;
  private file: { fd: number; path: string } | undefined;
  private readonly record: Buffer;

  /**
   * @param maxChoice the largest choice index (or initial-state index) that will be stored
   * @param shared    chunks in SharedArrayBuffers (for worker threads)
   */
  constructor(maxChoice = 0xffffffff, private readonly shared = false) {
    this.choiceBytes = maxChoice < 0x100 ? 1 : maxChoice < 0x10000 ? 2 : 4;
    this.record = Buffer.alloc(4 + this.choiceBytes);
  }

  get size(): number {
    return this.n;
  }

  /** Bytes of the chunks in memory. */
  get bytes(): number {
    return (this.parents.length - this.spilled) * CHUNK * (4 + this.choiceBytes);
  }

  /** Bytes the store would hold in memory with `n` states. */
  bytesFor(n: number): number {
    return Math.max(0, Math.ceil(n / CHUNK) - this.spilled) * CHUNK * (4 + this.choiceBytes);
  }

  /** Bytes that the next chunk would add when the current one is full (0 otherwise). */
  get nextChunkBytes(): number {
    return (this.n & (CHUNK - 1)) === 0 && this.n >>> CHUNK_BITS >= this.parents.length ? CHUNK * (4 + this.choiceBytes) : 0;
  }

  /** States whose records are in the spill file. */
  get onDisk(): number {
    return this.spilled * CHUNK;
  }

  /** Appends a state and returns its number. `parent` is -1 for an initial state. */
  add(parent: number, choice: number): number {
    const id = this.n;
    const c = id >>> CHUNK_BITS;
    if (c === this.parents.length) this.addChunk();
    const k = id & (CHUNK - 1);
    this.parents[c]![k] = parent;
    this.choices[c]![k] = choice;
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
    this.parents[id >>> CHUNK_BITS]![id & (CHUNK - 1)] = parent;
    this.choices[id >>> CHUNK_BITS]![id & (CHUNK - 1)] = choice;
  }

  /** Sets the number of states (after workers have written them with `set`, or to drop the last ones). */
  setSize(n: number): void {
    this.n = n;
  }

  /** Moves the record of state `from` to `to` (to < from, both in memory): the search drops states found on disk (search.ts). */
  move(from: number, to: number): void {
    this.set(to, this.parent(from), this.choice(from));
  }

  /** The chunk buffers, to hand to worker threads (shared stores only); spilled chunks are null. */
  buffers(): ParentBuffers {
    return {
      parents: this.parents.map((a) => (a ? (a.buffer as SharedArrayBuffer) : null)),
      choices: this.choices.map((a) => (a ? (a.buffer as SharedArrayBuffer) : null)),
      choiceBytes: this.choiceBytes,
    };
  }

  /** A view over chunks allocated by another thread. */
  static adopt(b: ParentBuffers): ParentStore {
    const s = new ParentStore(b.choiceBytes === 1 ? 0xff : b.choiceBytes === 2 ? 0xffff : 0xffffffff, true);
    s.adoptMore(b);
    return s;
  }

  /** Adds the chunks of `b` not yet known here, and lets go of those spilled since (so that their memory can be freed); returns the bytes let go of. */
  adoptMore(b: ParentBuffers): number {
    let dropped = 0;
    for (let i = 0; i < b.parents.length; i++) {
      const pb = b.parents[i];
      const cb = b.choices[i];
      if (pb === null || cb === null) {
        dropped += (this.parents[i]?.byteLength ?? 0) + (this.choices[i]?.byteLength ?? 0);
        this.parents[i] = undefined;
        this.choices[i] = undefined;
      } else if (i >= this.parents.length) {
        this.parents.push(new Int32Array(pb));
        this.choices.push(this.choiceBytes === 1 ? new Uint8Array(cb) : this.choiceBytes === 2 ? new Uint16Array(cb) : new Uint32Array(cb));
      }
    }
    return dropped;
  }

  /**
   * Keeps the records on disk from now on: chunks go to `path` (an append-only file of
   * fixed-size records in state order: parent as a 32-bit little-endian integer, then the
   * choice in `choiceBytes`) when `spill` is called.
   */
  spillTo(path: string): void {
    if (this.file) return;
    this.file = { fd: openSync(path, 'w+'), path };
  }

  /** Whether records go to disk. */
  get spilling(): boolean {
    return this.file !== undefined;
  }

  /**
   * Writes the full chunks whose states are all below `upTo` to the file, in order, and
   * drops them from memory. Returns the bytes freed.
   */
  spill(upTo = this.n): number {
    const f = this.file;
    if (!f) return 0;
    const rec = 4 + this.choiceBytes;
    const end = Math.min(upTo, this.n) >>> CHUNK_BITS;
    let freed = 0;
    if (this.spilled >= end) return 0;
    const out = Buffer.allocUnsafe(CHUNK * rec);
    while (this.spilled < end) {
      const c = this.spilled;
      const p = this.parents[c]!;
      const ch = this.choices[c]!;
      for (let k = 0, o = 0; k < CHUNK; k++, o += rec) {
        out.writeInt32LE(p[k], o);
        if (rec === 5) out[o + 4] = ch[k];
        else if (rec === 6) out.writeUInt16LE(ch[k], o + 4);
        else out.writeUInt32LE(ch[k], o + 4);
      }
      writeAll(f.fd, out, c * CHUNK * rec, f.path);
      this.parents[c] = undefined;
      this.choices[c] = undefined;
      this.spilled++;
      freed += CHUNK * rec;
    }
    return freed;
  }

  /** Closes the spill file (the run's SpillDir removes it). */
  close(): void {
    if (this.file) closeSync(this.file.fd);
    this.file = undefined;
  }

  /** Reads the record of a spilled state. */
  private read(id: number): Buffer {
    const rec = 4 + this.choiceBytes;
    const got = readSync(this.file!.fd, this.record, 0, rec, id * rec);
    if (got !== rec) throw new Error(`parent pointers: short read of state ${id} from ${this.file!.path}`);
    return this.record;
  }

  parent(id: number): number {
    const c = id >>> CHUNK_BITS;
    if (c < this.spilled) return this.read(id).readInt32LE(0);
    return this.parents[c]![id & (CHUNK - 1)];
  }

  choice(id: number): number {
    const c = id >>> CHUNK_BITS;
    if (c < this.spilled) {
      const r = this.read(id);
      return this.choiceBytes === 1 ? r[4] : this.choiceBytes === 2 ? r.readUInt16LE(4) : r.readUInt32LE(4);
    }
    return this.choices[c]![id & (CHUNK - 1)];
  }

  /** Calls `f(parent, choice)` for every state in order, reading spilled chunks sequentially. */
  forEach(f: (parent: number, choice: number) => void): void {
    const rec = 4 + this.choiceBytes;
    const buf = this.spilled > 0 ? Buffer.allocUnsafe(CHUNK * rec) : undefined;
    for (let c = 0, at = 0; at < this.n; c++) {
      const k = Math.min(CHUNK, this.n - at);
      if (c < this.spilled) {
        const got = readSync(this.file!.fd, buf!, 0, CHUNK * rec, c * CHUNK * rec);
        if (got !== CHUNK * rec) throw new Error(`parent pointers: short read of chunk ${c} from ${this.file!.path}`);
        for (let j = 0, o = 0; j < k; j++, o += rec) f(buf!.readInt32LE(o), rec === 5 ? buf![o + 4] : rec === 6 ? buf!.readUInt16LE(o + 4) : buf!.readUInt32LE(o + 4));
      } else {
        const p = this.parents[c]!;
        const ch = this.choices[c]!;
        for (let j = 0; j < k; j++) f(p[j], ch[j]);
      }
      at += k;
    }
  }

  /** The parent and choice of every state, in state order (what a checkpoint keeps). */
  contents(): { parents: Int32Array; choices: Uint32Array } {
    const parents = new Int32Array(this.n);
    const choices = new Uint32Array(this.n);
    let at = 0;
    this.forEach((p, c) => {
      parents[at] = p;
      choices[at++] = c;
    });
    return { parents, choices };
  }

  /** Appends the states of `contents()` (to an empty store). */
  load(parents: Int32Array, choices: Uint32Array): void {
    if (this.n !== 0 || parents.length !== choices.length) throw new Error('ParentStore.load: not empty, or lengths differ');
    this.reserve(parents.length);
    for (let c = 0, at = 0; at < parents.length; c++) {
      const k = Math.min(CHUNK, parents.length - at);
      this.parents[c]!.set(parents.subarray(at, at + k));
      this.choices[c]!.set(choices.subarray(at, at + k));
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

  /** Whether one more state needs the buffer to grow (by nextBytes). */
  get full(): boolean {
    return (this.count + 1) * this.words > this.data.length;
  }

  /** Ensures room for one more state and returns its word offset. */
  reserve(): number {
    const o = this.count * this.words;
    if (this.full) this.resize(Math.max(this.data.length * 2, this.words * 1024));
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
