// The explored state graph of a small instance, for `check --dump dot|json FILE`: every
// reachable state inside the constraint (the same breadth-first exploration as the search,
// graph.ts, so states are numbered in discovery order), an edge for every step between two
// different states labelled with the step's label, and the path of a counterexample marked.
// Steps that leave the state (or its view) unchanged are not drawn, as in the liveness graph.
//
// It is meant for reading, so it is bounded: an instance with more than DUMP_MAX_STATES
// reachable states is refused (the run is not started) with a message naming the bound.

import { leaves, show, canonical, validate, type Schema } from '../schema.js';
import { stepLabel } from '../spec.js';
import type { TraceStep, Violation } from '../result.js';
import type { Successors } from './successors.js';
import { buildGraph, type StateGraph } from './graph.js';

export const DUMP_MAX_STATES = 10_000;
export const DUMP_FORMATS = ['dot', 'json'] as const;
export type DumpFormat = (typeof DUMP_FORMATS)[number];

/** The graph with its states computed, ready to be marked and written. */
export interface Explored<S> {
  readonly graph: StateGraph;
  readonly states: readonly S[];
}

export type ExploreOutcome<S> =
  | { readonly kind: 'ok'; readonly explored: Explored<S> }
  | { readonly kind: 'too-large'; readonly limit: number }
  | { readonly kind: 'error'; readonly message: string };

/** Explores the instance for a dump: refused above `limit` states. */
export function exploreForDump<S>(succ: Successors<S>, limit = DUMP_MAX_STATES): ExploreOutcome<S> {
  const b = buildGraph(succ, [], { maxStates: limit });
  if (b.status === 'incomplete') return { kind: 'too-large', limit };
  if (b.status === 'error') return { kind: 'error', message: `the spec threw in ${b.failure.phase} while exploring: ${(b.failure.error as Error)?.message ?? String(b.failure.error)}` };
  const g = b.graph;
  // Discovery order puts every parent before its children: each state is one step from its parent's.
  const states: S[] = new Array(g.n);
  for (let v = 0; v < g.n; v++) {
    const p = g.parent[v];
    const c = g.parentChoice[v];
    const s = p < 0 ? succ.copy(succ.inst.init[c]) : succ.step(states[p], c);
    if (s === undefined) return { kind: 'error', message: `state ${v} does not replay from its parent (the spec is not deterministic)` };
    states[v] = s;
  }
  return { kind: 'ok', explored: { graph: g, states } };
}

/** The dump document: states, edges, and the violation's path (state ids; -1 for a last state outside the graph). */
export interface DumpDoc {
  readonly spec: string;
  readonly states: readonly { id: number; initial: boolean; state: unknown; onPath: boolean }[];
  readonly edges: readonly { from: number; to: number; action: string; param?: unknown; label: string; onPath: boolean }[];
  readonly violation?: { kind: string; name: string; path: readonly number[]; outside?: { label: string; state: unknown } };
}

/** Marks the counterexample (if any) on the explored graph. */
export function dumpDoc<S>(succ: Successors<S>, ex: Explored<S>, violation: Violation<S> | undefined, traceOf?: readonly TraceStep<S>[]): DumpDoc {
  const inst = succ.inst;
  const { graph: g, states } = ex;
  const buf = new Uint32Array(succ.W);
  const fp = new Uint32Array(2);
  const key = (s: S): string | undefined => {
    try {
      if (!succ.layout.encode(s, buf, 0)) return undefined;
      succ.fingerprint(s, buf, 0, fp);
      return `${fp[0]}:${fp[1]}`;
    } catch {
      return undefined;
    }
  };
  const byKey = new Map<string, number>();
  states.forEach((s, v) => {
    const k = key(s);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, v);
  });
  const trace = violation?.trace ?? traceOf ?? [];
  const path = trace.map((t) => {
    const k = key(t.state);
    return k === undefined ? -1 : byKey.get(k) ?? -1;
  });
  const onPathEdge = new Set<string>();
  for (let i = 1; i < path.length; i++) if (path[i - 1] >= 0 && path[i] >= 0) onPathEdge.add(`${path[i - 1]}>${path[i]}>${trace[i].label}`);
  const onPathState = new Set(path.filter((v) => v >= 0));
  const edges: DumpDoc['edges'][number][] = [];
  for (let v = 0; v < g.n; v++) {
    for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
      const w = g.edgeTarget[e];
      const c = g.edgeChoice[e];
      const ch = inst.choices[c];
      const a = inst.actions[ch.action];
      const label = stepLabel(inst as never, c, states[v], states[w]);
      const row = { from: v, to: w, action: a.name, label, onPath: onPathEdge.has(`${v}>${w}>${label}`) };
      edges.push(a.hasParams ? { ...row, param: ch.param } : row);
    }
  }
  const shown = (s: unknown) => (validate(inst.schema, s) === null ? canonical(inst.schema, s) : s);
  const doc: DumpDoc = {
    spec: inst.name,
    states: states.map((s, id) => ({ id, initial: g.parent[id] < 0, state: shown(s), onPath: onPathState.has(id) })),
    edges,
  };
  if (violation) {
    const last = trace.length - 1;
    const outside = last >= 0 && path[last] < 0 ? { label: trace[last].label, state: trace[last].state } : undefined;
    return { ...doc, violation: { kind: violation.kind, name: violation.name, path, ...(outside ? { outside } : {}) } };
  }
  return doc;
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\l')}"`;
}

function stateText(schema: Schema, s: unknown): string {
  try {
    return leaves(schema, s).map((l) => `${l.path} = ${show(l.value)}`).join('\n') + '\n';
  } catch {
    return `${show(s)}\n`;
  }
}

/** The dump as Graphviz DOT or as JSON. */
export function renderDump(doc: DumpDoc, schema: Schema, format: DumpFormat): string {
  if (format === 'json') return JSON.stringify({ migcheck: 1, graph: doc }, null, 2) + '\n';
  const out: string[] = [];
  out.push(`digraph ${dotString(doc.spec)} {`);
  out.push('  node [shape=box, fontname="monospace", fontsize=10];');
  out.push('  edge [fontname="monospace", fontsize=9];');
  if (doc.violation) out.push(`  label=${dotString(`${doc.spec}: ${doc.violation.kind} ${doc.violation.name} (path in red)`)};`);
  for (const s of doc.states) {
    const attrs = [`label=${dotString(`#${s.id}${s.initial ? ' (initial)' : ''}\n${stateText(schema, s.state)}`)}`];
    if (s.initial) attrs.push('peripheries=2');
    if (s.onPath) attrs.push('color=red', 'penwidth=2');
    out.push(`  s${s.id} [${attrs.join(', ')}];`);
  }
  for (const e of doc.edges) out.push(`  s${e.from} -> s${e.to} [label=${dotString(e.label)}${e.onPath ? ', color=red, fontcolor=red, penwidth=2' : ''}];`);
  const v = doc.violation;
  if (v?.outside) {
    const prev = v.path.length >= 2 ? v.path[v.path.length - 2] : -1;
    out.push(`  violating [label=${dotString(`violating state (not in the graph)\n${stateText(schema, v.outside.state)}`)}, color=red, style=dashed];`);
    if (prev >= 0) out.push(`  s${prev} -> violating [label=${dotString(v.outside.label)}, color=red, fontcolor=red, penwidth=2, style=dashed];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
