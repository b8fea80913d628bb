// Parent pointers for trace reconstruction. States are numbered in discovery (BFS) order;
// for each state we keep the number of its parent and the index of the choice (action and
// parameter, or the initial state for roots) that produced it. Eight bytes a state, in
// fixed-size chunks so that growth never copies. A trace is rebuilt by walking parents back
// to a root and replaying the choices forward.

const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;

export class ParentStore {
  private parents: Int32Array[] = [];
  private choices: Uint32Array[] = [];
  private n = 0;

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.parents.length * CHUNK * 8;
  }

  /** Bytes that the next chunk would add when the current one is full (0 otherwise). */
  get nextChunkBytes(): number {
    return (this.n & (CHUNK - 1)) === 0 ? CHUNK * 8 : 0;
  }

  /** Appends a state and returns its number. `parent` is -1 for an initial state. */
  add(parent: number, choice: number): number {
    const id = this.n;
    const c = id >>> CHUNK_BITS;
    if (c === this.parents.length) {
      this.parents.push(new Int32Array(CHUNK));
      this.choices.push(new Uint32Array(CHUNK));
    }
    const k = id & (CHUNK - 1);
    this.parents[c][k] = parent;
    this.choices[c][k] = choice;
    this.n = id + 1;
    return id;
  }

  parent(id: number): number {
    return this.parents[id >>> CHUNK_BITS][id & (CHUNK - 1)];
  }

  choice(id: number): number {
    return this.choices[id >>> CHUNK_BITS][id & (CHUNK - 1)];
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

  constructor(readonly words: number, initial = 1024) {
    this.data = new Uint32Array(Math.max(1, initial) * words);
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  /** Ensures room for one more state and returns its word offset. */
  reserve(): number {
    const o = this.count * this.words;
    if (o + this.words > this.data.length) {
      const next = new Uint32Array(Math.max(this.data.length * 2, this.words * 1024));
      next.set(this.data);
      this.data = next;
    }
    return o;
  }

  commit(): void {
    this.count++;
  }

  clear(): void {
    this.count = 0;
  }

  /** Drops the storage when it has grown far beyond what is in use. */
  shrink(): void {
    if (this.data.length > 4 * Math.max(1024, this.count) * this.words) this.data = new Uint32Array(Math.max(1024, this.count) * this.words);
  }
}
