// Work arrays for the SCC searches of liveness.ts (on the state graph) and product.ts (on
// the product with an automaton): an iterative Tarjan, BFS scratch and reverse edges.

/** The part of a graph the SCC search reads: out-edges in CSR form. */
export interface Digraph {
  readonly n: number;
  readonly edgeStart: Uint32Array;
  readonly edgeTarget: Int32Array;
}

export class Workspace {
  /** Tarjan: discovery index (-1 = not yet), low-link, on-stack flag, the SCC stack, the call stack. */
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly onStack: Uint8Array;
  readonly stack: Int32Array;
  readonly callNode: Int32Array;
  readonly callEdge: Uint32Array;
  /** Which node set a node belongs to in the current Tarjan run (token). */
  readonly member: Int32Array;
  /** Which component is being analysed (token). */
  readonly comp: Int32Array;
  /** Fair component number of each node, or -1. */
  readonly fairComp: Int32Array;
  /** BFS scratch: distance / visit token, predecessor and its choice. */
  readonly dist: Int32Array;
  readonly seen: Int32Array;
  readonly prev: Int32Array;
  readonly prevChoice: Uint32Array;
  readonly queue: Int32Array;
  private token = 0;
  private rev?: { start: Uint32Array; source: Int32Array };

  constructor(private readonly g: Digraph) {
    const n = g.n;
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.callNode = new Int32Array(n);
    this.callEdge = new Uint32Array(n);
    this.member = new Int32Array(n);
    this.comp = new Int32Array(n);
    this.fairComp = new Int32Array(n);
    this.dist = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.prevChoice = new Uint32Array(n);
    this.queue = new Int32Array(n);
  }

  get bytes(): number {
    return this.g.n * 54 + (this.rev ? this.rev.start.byteLength + this.rev.source.byteLength : 0);
  }

  nextToken(): number {
    return ++this.token;
  }

  /** Reverse edges (built on first use). */
  reverse(): { start: Uint32Array; source: Int32Array } {
    if (this.rev) return this.rev;
    const { n, edgeStart, edgeTarget } = this.g;
    const start = new Uint32Array(n + 1);
    for (let e = 0; e < edgeTarget.length; e++) start[edgeTarget[e] + 1]++;
    for (let v = 0; v < n; v++) start[v + 1] += start[v];
    const fill = start.slice(0, n);
    const source = new Int32Array(edgeTarget.length);
    for (let v = 0; v < n; v++) for (let e = edgeStart[v]; e < edgeStart[v + 1]; e++) source[fill[edgeTarget[e]]++] = v;
    this.rev = { start, source };
    return this.rev;
  }

  /**
   * Tarjan's algorithm, iterative (no recursion, so no stack-depth limit), on the subgraph
   * induced by `nodes[0..len)`. Calls `visit` with each SCC (a view on an internal array,
   * valid only during the call), successors' components before their predecessors'.
   */
  sccs(nodes: Int32Array, len: number, visit: (comp: Int32Array) => void): void {
    const { edgeStart, edgeTarget } = this.g;
    const { index, low, onStack, stack, callNode, callEdge, member } = this;
    const tok = this.nextToken();
    for (let i = 0; i < len; i++) {
      member[nodes[i]] = tok;
      index[nodes[i]] = -1;
    }
    let counter = 0;
    let sp = 0;
    for (let i = 0; i < len; i++) {
      const root = nodes[i];
      if (index[root] !== -1) continue;
      let top = 0;
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = 1;
      callNode[top] = root;
      callEdge[top++] = edgeStart[root];
      while (top > 0) {
        const v = callNode[top - 1];
        const e = callEdge[top - 1];
        if (e < edgeStart[v + 1]) {
          callEdge[top - 1] = e + 1;
          const w = edgeTarget[e];
          if (member[w] !== tok) continue;
          if (index[w] === -1) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = 1;
            callNode[top] = w;
            callEdge[top++] = edgeStart[w];
          } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
          continue;
        }
        top--;
        if (top > 0) {
          const u = callNode[top - 1];
          if (low[v] < low[u]) low[u] = low[v];
        }
        if (low[v] === index[v]) {
          let k = sp;
          do onStack[stack[--k]] = 0;
          while (stack[k] !== v);
          visit(stack.subarray(k, sp));
          sp = k;
        }
      }
    }
  }
}

