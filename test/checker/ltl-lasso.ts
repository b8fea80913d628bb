// A brute-force semantics of LTL on ultimately periodic words, written without the code
// under test: a lasso u·v^ω has |u| + |v| positions, the successor of the last one is the
// first position of v, and the value of every subformula at every position is computed
// bottom-up, U and <> as least fixpoints, R and [] as greatest fixpoints of their one-step
// unfoldings (|u| + |v| rounds reach them, since every position has one successor).
// Whether a Büchi automaton accepts the lasso is decided on the finite product of the lasso's
// positions with the automaton's states: it accepts iff a reachable strongly connected part
// with at least one edge meets every acceptance set.

import type { Atom, Formula, Nnf } from '../../checker/ltl.js';
import type { Buchi } from '../../checker/explore/buchi.js';

/** u·v^ω; each letter gives the value of every atom (bit k: atom k of the test's list). */
export interface Lasso {
  readonly prefix: readonly number[];
  readonly loop: readonly number[];
}

/** The value of an atom at a position of the lasso. */
export type AtomValue = (atom: Atom<unknown>, letter: number) => boolean;

function positions(w: Lasso): { n: number; succ: (i: number) => number; letter: (i: number) => number } {
  const n = w.prefix.length + w.loop.length;
  if (w.loop.length === 0) throw new Error('a lasso needs a non-empty loop');
  return {
    n,
    succ: (i) => (i + 1 < n ? i + 1 : w.prefix.length),
    letter: (i) => (i < w.prefix.length ? w.prefix[i] : w.loop[i - w.prefix.length]),
  };
}

function fix(n: number, succ: (i: number) => number, start: boolean, step: (i: number, later: boolean) => boolean): boolean[] {
  let v = new Array<boolean>(n).fill(start);
  for (let round = 0; round <= n; round++) v = v.map((_, i) => step(i, v[succ(i)]));
  return v;
}

/** The value of a formula as written (with =>, [], <>, ~>) at every position. */
export function evalFormula(f: Formula<unknown>, w: Lasso, value: AtomValue): boolean[] {
  const { n, succ, letter } = positions(w);
  const go = (g: Formula<unknown>): boolean[] => {
    const all = (x: boolean) => new Array<boolean>(n).fill(x);
    switch (g.op) {
      case 'true': return all(true);
      case 'false': return all(false);
      case 'atom': return all(false).map((_, i) => value(g.atom, letter(i)));
      case 'not': return go(g.arg).map((x) => !x);
      case 'and': return g.args.map(go).reduce((a, b) => a.map((x, i) => x && b[i]), all(true));
      case 'or': return g.args.map(go).reduce((a, b) => a.map((x, i) => x || b[i]), all(false));
      case 'implies': { const a = go(g.left), b = go(g.right); return a.map((x, i) => !x || b[i]); }
      case 'always': { const a = go(g.arg); return fix(n, succ, true, (i, later) => a[i] && later); }
      case 'eventually': { const a = go(g.arg); return fix(n, succ, false, (i, later) => a[i] || later); }
      case 'leadsTo': {
        const p = go(g.left), q = go(g.right);
        const evq = fix(n, succ, false, (i, later) => q[i] || later);
        return fix(n, succ, true, (i, later) => (!p[i] || evq[i]) && later);
      }
    }
  };
  return go(f);
}

/** The value of a negation-normal-form formula (with U and R) at every position. */
export function evalNnf(f: Nnf<unknown>, w: Lasso, value: AtomValue): boolean[] {
  const { n, succ, letter } = positions(w);
  const go = (g: Nnf<unknown>): boolean[] => {
    switch (g.op) {
      case 'true': return new Array<boolean>(n).fill(true);
      case 'false': return new Array<boolean>(n).fill(false);
      case 'lit': return new Array<boolean>(n).fill(false).map((_, i) => value(g.atom, letter(i)) === g.positive);
      case 'and': { const a = go(g.left), b = go(g.right); return a.map((x, i) => x && b[i]); }
      case 'or': { const a = go(g.left), b = go(g.right); return a.map((x, i) => x || b[i]); }
      case 'until': { const a = go(g.left), b = go(g.right); return fix(n, succ, false, (i, later) => b[i] || (a[i] && later)); }
      case 'release': { const a = go(g.left), b = go(g.right); return fix(n, succ, true, (i, later) => b[i] && (a[i] || later)); }
    }
  };
  return go(f);
}

/** Whether the automaton has an accepting run on the lasso. */
export function accepts(b: Buchi<unknown>, w: Lasso, value: AtomValue): boolean {
  const { n, succ, letter } = positions(w);
  const m = b.states.length;
  const id = (i: number, q: number) => i * m + q;
  const N = n * m;
  const out: number[][] = Array.from({ length: N }, () => []);
  for (let i = 0; i < n; i++)
    for (let q = 0; q < m; q++) {
      const ok = b.states[q].label.every((l) => value(b.atoms[l.atom], letter(i)) === l.positive);
      if (ok) for (const r of b.states[q].next) out[id(i, q)].push(id(succ(i), r));
    }
  const reached = new Uint8Array(N);
  const stack = b.initial.map((q) => id(0, q));
  for (const x of stack) reached[x] = 1;
  while (stack.length) for (const y of out[stack.pop()!]) if (!reached[y]) { reached[y] = 1; stack.push(y); }

  // Tarjan's SCCs (recursive: these graphs are tiny).
  const index = new Int32Array(N).fill(-1), low = new Int32Array(N), on = new Uint8Array(N);
  const st: number[] = [];
  let counter = 0;
  let found = false;
  const visit = (x: number): void => {
    index[x] = low[x] = counter++;
    st.push(x); on[x] = 1;
    for (const y of out[x]) {
      if (index[y] < 0) { visit(y); low[x] = Math.min(low[x], low[y]); }
      else if (on[y]) low[x] = Math.min(low[x], index[y]);
    }
    if (low[x] !== index[x]) return;
    const comp: number[] = [];
    let y: number;
    do { y = st.pop()!; on[y] = 0; comp.push(y); } while (y !== x);
    const inside = new Set(comp);
    const hasEdge = comp.some((c) => out[c].some((d) => inside.has(d)));
    if (hasEdge && b.acceptance.every((set) => comp.some((c) => set[c % m] === 1))) found = true;
  };
  for (let x = 0; x < N; x++) if (reached[x] && index[x] < 0) visit(x);
  return found;
}

export { rng } from '../helpers/random.js';

/** A random lasso over `atoms` atoms: prefix of 0..maxPrefix letters, loop of 1..maxLoop. */
export function randomLasso(rand: () => number, atoms: number, maxPrefix = 3, maxLoop = 4): Lasso {
  const letter = () => Math.floor(rand() * (1 << atoms));
  const prefix = Array.from({ length: Math.floor(rand() * (maxPrefix + 1)) }, letter);
  const loop = Array.from({ length: 1 + Math.floor(rand() * maxLoop) }, letter);
  return { prefix, loop };
}

export function showLasso(w: Lasso, atoms: number): string {
  const l = (x: number) => Array.from({ length: atoms }, (_, k) => ((x >> k) & 1 ? '1' : '0')).join('');
  return `${w.prefix.map(l).join(' ')} (${w.loop.map(l).join(' ')})^w`;
}
