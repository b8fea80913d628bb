// Linear temporal logic over the behaviours of a spec, in TLA+'s vocabulary.
//
// A behaviour is an infinite sequence of states s0 s1 s2 …; position i sees the state s_i
// and the step s_i -> s_{i+1}. Formulas are built from three kinds of atoms:
//   - state predicates, true or false of s_i;
//   - action predicates, true or false of the step at i: a step of a named action (with a
//     parameter in a given set), any predicate of (before, after, step), or `unchanged(v)`,
//     TLA+'s v' = v. A stuttering step (the state, or its view, does not change) is a step
//     of no action, so `action('A')` is false on it;
//   - ENABLED A for an action-level formula A: some step from s_i satisfies A.
// and combined with ~, /\, \/, =>, [], <>, ~>. `<<A>>_v` and `[A]_v` are the TLA+ abbreviations
// A /\ v' # v and A \/ v' = v, so `[]<><<A>>_v` is `always(eventually(angle(A, v)))`.
// There is no next-state operator: TLA+ has none. Formulas that use action atoms only as
// TLA+ allows (`[][A]_v`, `<><<A>>_v`) cannot tell a behaviour from one with extra
// stuttering steps; `isStutterInvariant` recognises them.
//
// Fairness (`Fair`) is declared per action formula, not only per action name, and for a set
// of parameter values either as one condition for the set or one condition per value.
//
// The engine works on the negation normal form (`Nnf`): literals, /\, \/, U and R; `buchi.ts`
// translates it to a generalised Büchi automaton (docs/decisions/ltl.md).

import { isDeepStrictEqual } from 'node:util';
import type { Fairness, Meta, Step, Temporal } from './spec.js';
import { SpecError } from './errors.js';
import { show as showValue } from './schema.js';
import { rejectUnknownKeys, suggest } from './names.js';

/** The `v` of `<<A>>_v` and `[A]_v`: a function of the state, compared by value. Absent: the whole state. */
export type Vars<S> = (s: S) => unknown;

/**
 * Which parameter values of a named action count: a list of values (compared by value),
 * a predicate on the value, or the step's default label (`'Send(c1, m2)'`, as fairness
 * entries were written before).
 */
export type ParamFilter<P = unknown> = readonly P[] | ((p: P) => boolean) | { readonly label: string };

export type Atom<S = unknown> =
  /** A state predicate, true or false of s_i. */
  | { readonly kind: 'state'; readonly name: string; readonly fn: (s: S) => boolean }
  /** A step of the named action, with a parameter the filter admits (all when absent). */
  | { readonly kind: 'action'; readonly name: string; readonly action: string; readonly params?: ParamFilter }
  /** Any action predicate, of the states before and after the step and the step itself. */
  | { readonly kind: 'step'; readonly name: string; readonly fn: (before: S, after: S, step: Step) => boolean }
  /** v' = v: the step leaves `vars` (the whole state when absent) unchanged. */
  | { readonly kind: 'unchanged'; readonly name: string; readonly vars?: Vars<S> }
  /** ENABLED A: some step from the state satisfies the action-level formula A. */
  | { readonly kind: 'enabled'; readonly name: string; readonly action: Formula<S> };

/** A formula as written by the spec author. */
export type Formula<S = unknown> =
  | { readonly op: 'true' }
  | { readonly op: 'false' }
  | { readonly op: 'atom'; readonly atom: Atom<S> }
  | { readonly op: 'not'; readonly arg: Formula<S> }
  | { readonly op: 'and'; readonly args: readonly Formula<S>[] }
  | { readonly op: 'or'; readonly args: readonly Formula<S>[] }
  | { readonly op: 'implies'; readonly left: Formula<S>; readonly right: Formula<S> }
  | { readonly op: 'always'; readonly arg: Formula<S> }
  | { readonly op: 'eventually'; readonly arg: Formula<S> }
  | { readonly op: 'leadsTo'; readonly left: Formula<S>; readonly right: Formula<S> };

/** A builder argument: a formula, or a plain function of the state (a state predicate). */
export type Arg<S> = Formula<S> | ((s: S) => boolean);

// ---------------------------------------------------------------------------------------
// Builders. They read like TLA+: `leadsTo(p, q)`, `always(eventually(angle(action('Next'))))`.

export const TRUE: Formula<unknown> = { op: 'true' };
export const FALSE: Formula<unknown> = { op: 'false' };

/** A named state predicate (a plain function works too; the name appears in messages). */
export function pred<S>(name: string, fn: (s: S) => boolean): Formula<S> {
  if (typeof fn !== 'function') throw new SpecError(`state predicate '${name}' must be a function of the state`);
  return { op: 'atom', atom: { kind: 'state', name, fn } };
}

/**
 * A step of action `name`: `action('Send')`, `action('Send', [m1, m2])`,
 * `action('Send', (p) => p.client === 'c1')`. A stuttering step is no step of any action.
 * `display` replaces the name shown in messages (by default `Send`, `Send(p \in {…})`, `Send(…)`).
 */
export function action<P = unknown>(name: string, params?: ParamFilter<P>, display?: string): Formula<unknown> {
  if (typeof name !== 'string' || name === '') throw new SpecError(`action(): expected an action name, got ${String(name)}`);
  if (params !== undefined && !Array.isArray(params) && typeof params !== 'function' && !(typeof params === 'object' && params !== null && typeof (params as { label?: unknown }).label === 'string'))
    throw new SpecError(`action('${name}'): the parameter filter must be a list of values, a predicate or { label }`);
  const shown = display ?? (params === undefined ? name
    : Array.isArray(params) ? `${name}(p \\in {${params.map(showValue).join(', ')}})`
    : typeof params === 'function' ? `${name}(…)` : (params as { label: string }).label);
  return { op: 'atom', atom: { kind: 'action', name: shown, action: name, params: params as ParamFilter | undefined } };
}

/** An action predicate over the step: `step('Grows', (s, t) => t.x > s.x)`. */
export function step<S>(name: string, fn: (before: S, after: S, step: Step) => boolean): Formula<S> {
  if (typeof fn !== 'function') throw new SpecError(`action predicate '${name}' must be a function (before, after, step) => boolean`);
  return { op: 'atom', atom: { kind: 'step', name, fn } };
}

/** v' = v (UNCHANGED v); the whole state when `vars` is absent. Shown as the function's name, or `v`. */
export function unchanged<S>(vars?: Vars<S>, name?: string): Formula<S> {
  if (vars !== undefined && typeof vars !== 'function') throw new SpecError(`unchanged(): 'vars' must be a function of the state`);
  return { op: 'atom', atom: { kind: 'unchanged', name: name ?? (vars ? vars.name || 'v' : 'vars'), vars } };
}

/** <<A>>_v = A /\ v' # v. */
export function angle<S>(a: Formula<S> | string, vars?: Vars<S>): Formula<S> {
  return and(actionArg(a), not(unchanged(vars)));
}

/** [A]_v = A \/ v' = v. */
export function square<S>(a: Formula<S> | string, vars?: Vars<S>): Formula<S> {
  return or(actionArg(a), unchanged(vars));
}

/** ENABLED A, for an action name or an action-level formula (no temporal operator inside). */
export function enabled<S>(a: Formula<S> | string, name?: string): Formula<S> {
  const f = actionArg(a);
  const bad = findTemporal(f);
  if (bad) throw new SpecError(`ENABLED takes an action formula, but its argument contains ${bad}`);
  if (findEnabled(f)) throw new SpecError(`ENABLED inside ENABLED is not supported: ${show(f)}`);
  return { op: 'atom', atom: { kind: 'enabled', name: name ?? `ENABLED ${showAtomArg(f)}`, action: f } };
}

export function not<S>(a: Arg<S>): Formula<S> {
  return { op: 'not', arg: lift(a) };
}

export function and<S>(...args: Arg<S>[]): Formula<S> {
  return args.length === 0 ? TRUE : args.length === 1 ? lift(args[0]) : { op: 'and', args: args.map(lift) };
}

export function or<S>(...args: Arg<S>[]): Formula<S> {
  return args.length === 0 ? FALSE : args.length === 1 ? lift(args[0]) : { op: 'or', args: args.map(lift) };
}

export function implies<S>(p: Arg<S>, q: Arg<S>): Formula<S> {
  return { op: 'implies', left: lift(p), right: lift(q) };
}

/** []F */
export function always<S>(a: Arg<S>): Formula<S> {
  return { op: 'always', arg: lift(a) };
}

/** <>F */
export function eventually<S>(a: Arg<S>): Formula<S> {
  return { op: 'eventually', arg: lift(a) };
}

/** P ~> Q = [](P => <>Q) */
export function leadsTo<S>(p: Arg<S>, q: Arg<S>): Formula<S> {
  return { op: 'leadsTo', left: lift(p), right: lift(q) };
}

const OPS = new Set<string>(['true', 'false', 'atom', 'not', 'and', 'or', 'implies', 'always', 'eventually', 'leadsTo']);

function lift<S>(a: Arg<S>): Formula<S> {
  if (typeof a === 'function') return { op: 'atom', atom: { kind: 'state', name: a.name || 'p', fn: a } };
  if (typeof a !== 'object' || a === null || !OPS.has((a as { op?: unknown }).op as string))
    throw new SpecError(`expected a temporal formula or a state predicate, got ${typeof a === 'object' && a !== null ? JSON.stringify(a) : String(a)}`);
  return a;
}

function actionArg<S>(a: Formula<S> | string): Formula<S> {
  return typeof a === 'string' ? (action(a) as Formula<S>) : lift(a);
}

function findTemporal<S>(f: Formula<S>): string | undefined {
  switch (f.op) {
    case 'true': case 'false': case 'atom': return undefined;
    case 'always': return '[]';
    case 'eventually': return '<>';
    case 'leadsTo': return '~>';
    case 'not': return findTemporal(f.arg);
    case 'and': case 'or': return f.args.map(findTemporal).find((x) => x !== undefined);
    case 'implies': return findTemporal(f.left) ?? findTemporal(f.right);
  }
}

function findEnabled<S>(f: Formula<S>): boolean {
  switch (f.op) {
    case 'atom': return f.atom.kind === 'enabled';
    case 'not': case 'always': case 'eventually': return findEnabled(f.arg);
    case 'and': case 'or': return f.args.some(findEnabled);
    case 'implies': case 'leadsTo': return findEnabled(f.left) || findEnabled(f.right);
    default: return false;
  }
}

// ---------------------------------------------------------------------------------------
// Fairness.

/**
 * A fairness condition: WF_v(A) or SF_v(A) for an action-level formula A. With `perValue`,
 * A must be a named action (possibly filtered): it stands for one condition per parameter
 * value it admits, TLA+'s `\A p \in P: WF_v(A(p))` (PlusCal's per-process fairness).
 */
export interface Fair<S = unknown> {
  readonly kind: 'weak' | 'strong';
  readonly action: Formula<S>;
  readonly vars?: Vars<S>;
  readonly perValue?: boolean;
  /** For messages: `WF_vars(Send)`. */
  readonly name: string;
}

export interface FairOptions<S> {
  readonly vars?: Vars<S>;
  /** One condition per parameter value of the (named) action. */
  readonly perValue?: boolean;
  readonly name?: string;
}

/** WF_v(A): if <<A>>_v is enabled for ever from some point, <<A>>_v steps happen infinitely often. */
export function wf<S>(a: Formula<S> | string, opts: FairOptions<S> = {}): Fair<S> {
  return fair('weak', a, opts);
}

/** SF_v(A): if <<A>>_v is enabled infinitely often, <<A>>_v steps happen infinitely often. */
export function sf<S>(a: Formula<S> | string, opts: FairOptions<S> = {}): Fair<S> {
  return fair('strong', a, opts);
}

/**
 * One condition per value: `each(clients, (c) => wf(action('Send', (p) => p.client === c)))`.
 * Conditions that would share a name (as filters by predicate print as `Send(…)`) get the
 * value appended: `WF_vars(Send(…)) for c1`.
 */
export function each<T, S>(values: readonly T[], make: (v: T) => Fair<S>): Fair<S>[] {
  const out = values.map(make);
  const names = out.map((f) => f.name);
  return out.map((f, i) => (names.indexOf(f.name) !== names.lastIndexOf(f.name) ? { ...f, name: `${f.name} for ${showValue(values[i])}` } : f));
}

function fair<S>(kind: 'weak' | 'strong', a: Formula<S> | string, opts: FairOptions<S>): Fair<S> {
  const f = actionArg(a);
  if (typeof opts !== 'object' || opts === null) throw new SpecError(`${kind === 'weak' ? 'wf' : 'sf'}(${show(f)}): options must be { vars?, perValue?, name? }`);
  rejectUnknownKeys(opts, ['vars', 'perValue', 'name'], `${kind === 'weak' ? 'wf' : 'sf'}(${show(f)})`, (m) => new SpecError(m));
  if (opts.vars !== undefined && typeof opts.vars !== 'function') throw new SpecError(`${kind === 'weak' ? 'wf' : 'sf'}(${show(f)}): 'vars' must be a function of the state`);
  const bad = findTemporal(f);
  if (bad) throw new SpecError(`${kind === 'weak' ? 'WF' : 'SF'} takes an action formula, but its argument contains ${bad}`);
  if (opts.perValue && !(f.op === 'atom' && f.atom.kind === 'action'))
    throw new SpecError(`${kind === 'weak' ? 'WF' : 'SF'}(${show(f)}): perValue needs a named action, e.g. action('Send')`);
  const name = opts.name ?? `${kind === 'weak' ? 'WF' : 'SF'}_${opts.vars ? 'v' : 'vars'}(${show(f)}${opts.perValue ? '(*)' : ''})`;
  return { kind, action: f, vars: opts.vars, perValue: opts.perValue, name };
}

/**
 * The fairness condition as a formula: WF_v(A) = <>[]ENABLED <<A>>_v => []<><<A>>_v,
 * SF_v(A) = []<>ENABLED <<A>>_v => []<><<A>>_v. (`perValue` is expanded by the engine, which
 * knows the parameter values; here it is an error.)
 */
export function fairnessFormula<S>(f: Fair<S>): Formula<S> {
  if (f.perValue) throw new SpecError(`${f.name}: a per-value condition has one formula per parameter value; expand it first`);
  const step = angle(f.action, f.vars);
  const en = enabled(step);
  return implies(f.kind === 'weak' ? eventually(always(en)) : always(eventually(en)), always(eventually(step)));
}

// ---------------------------------------------------------------------------------------
// The three forms of `Temporal` and the `Fairness` entries, in this language.

/** `{ leadsTo: [p, q] }` is p ~> q, `{ alwaysEventually: p }` is []<>p, `{ eventuallyAlways: p }` is <>[]p. */
export function fromTemporal<S>(t: Temporal<S>): Formula<S> {
  if ('leadsTo' in t) return leadsTo(t.leadsTo[0], t.leadsTo[1]);
  if ('alwaysEventually' in t) return always(eventually(t.alwaysEventually));
  return eventually(always(t.eventuallyAlways));
}

/**
 * `{ weak: ['A', 'B(p)', 'C(*)'] }` as `Fair` conditions, weak ones first, each in the order
 * written: `'A'` is WF(A), `'B(p)'` the one value whose default label is `B(p)`, `'C(*)'` one
 * condition per value. Names are resolved by the engine against the spec's actions.
 */
export function fromFairness(f: Fairness): Fair<unknown>[] {
  const out: Fair<unknown>[] = [];
  for (const key of Object.keys(f)) {
    if (key === 'weak' || key === 'strong') continue;
    throw new SpecError(`fairness: unknown key '${key}'; expected weak and strong${suggest(key, ['weak', 'strong'])}`);
  }
  for (const kind of ['weak', 'strong'] as const) {
    const list = f[kind] ?? [];
    if (!Array.isArray(list)) throw new SpecError(`fairness.${kind} must be a list of action names`);
    for (const entry of list as unknown[]) {
      if (typeof entry !== 'string') throw new SpecError(`fairness.${kind} lists ${String(entry)}, not an action name`);
      const m = /^\s*([^(]+?)\s*(?:\((.*)\))?\s*$/s.exec(entry);
      if (!m) throw new SpecError(`fairness.${kind}: '${entry}' is not an action name`);
      const name = m[1];
      if (m[2] === undefined) out.push(fair(kind, action(name), { name: entry }));
      else if (m[2].trim() === '*') out.push(fair(kind, action(name), { perValue: true, name: entry }));
      else out.push(fair(kind, action(name, { label: entry }), { name: entry }));
    }
  }
  return out;
}

/**
 * A temporal property as a spec may write it: one of the three forms of `Temporal`, a
 * formula, or a formula with its metadata (`{ formula, doc, clause, level }`).
 */
export type Property<S> = Temporal<S> | Formula<S> | (Meta & { readonly formula: Formula<S> });

/** The keys a temporal property object may have. */
export const PROPERTY_KEYS = ['formula', 'leadsTo', 'alwaysEventually', 'eventuallyAlways', 'doc', 'clause', 'level'] as const;

/** A property's formula and metadata, whichever way it was written; `where` prefixes errors. */
export function propertyFormula<S>(where: string, p: Property<S>): Meta & { readonly formula: Formula<S> } {
  if (typeof p !== 'object' || p === null) throw new SpecError(`${where}: expected a temporal formula or { formula }, got ${String(p)}`);
  const meta = (m: Meta): Meta => ({ doc: m.doc, clause: m.clause, level: m.level });
  if ('op' in p) return { formula: lift(p as Formula<S>) };
  if ('formula' in p) {
    rejectUnknownKeys(p, PROPERTY_KEYS, where, (m) => new SpecError(m));
    return { ...meta(p), formula: lift(p.formula) };
  }
  const forms = ['leadsTo', 'alwaysEventually', 'eventuallyAlways'].filter((k) => k in p);
  rejectUnknownKeys(p, PROPERTY_KEYS, where, (m) => new SpecError(m));
  if (forms.length !== 1)
    throw new SpecError(`${where}: expected a formula, { formula }, { leadsTo: [p, q] }, { alwaysEventually: p } or { eventuallyAlways: p }; got keys ${Object.keys(p).join(', ') || '(none)'}`);
  return { ...meta(p as Meta), formula: fromTemporal(p as Temporal<S>) };
}

/** Fairness as a spec may write it: the named lists of `Fairness`, or `Fair` conditions. */
export type FairnessSpec<S> = Fairness | readonly Fair<S>[];

/** The conditions, whichever way they were written. */
export function fairConditions<S>(f: FairnessSpec<S>): Fair<S>[] {
  if (Array.isArray(f)) {
    (f as unknown[]).forEach((x, i) => {
      if (typeof x !== 'object' || x === null || ((x as Fair<S>).kind !== 'weak' && (x as Fair<S>).kind !== 'strong'))
        throw new SpecError(`fairness[${i}] is not a condition built with wf(…) or sf(…)`);
    });
    return [...(f as readonly Fair<S>[])];
  }
  return fromFairness(f as Fairness) as Fair<S>[];
}

// ---------------------------------------------------------------------------------------
// Negation normal form: negation only on atoms; [] and <> as R and U.
//   []F = FALSE R F,  <>F = TRUE U F,  P ~> Q = FALSE R (~P \/ (TRUE U Q)),
//   ~(P U Q) = ~P R ~Q,  ~(P R Q) = ~P U ~Q.

export type Nnf<S = unknown> =
  | { readonly op: 'true' }
  | { readonly op: 'false' }
  | { readonly op: 'lit'; readonly atom: Atom<S>; readonly positive: boolean }
  | { readonly op: 'and'; readonly left: Nnf<S>; readonly right: Nnf<S> }
  | { readonly op: 'or'; readonly left: Nnf<S>; readonly right: Nnf<S> }
  /** P U Q: Q holds now or later, and P holds at every position before. */
  | { readonly op: 'until'; readonly left: Nnf<S>; readonly right: Nnf<S> }
  /** P R Q: Q holds up to and including the first position where P holds (for ever if none). */
  | { readonly op: 'release'; readonly left: Nnf<S>; readonly right: Nnf<S> };

const T = { op: 'true' } as const;
const F = { op: 'false' } as const;

/** The negation normal form of `f` (of `~f` when `negate`), with constants folded. */
export function toNnf<S>(f: Formula<S>, negate = false): Nnf<S> {
  switch (f.op) {
    case 'true': return negate ? F : T;
    case 'false': return negate ? T : F;
    case 'atom': return { op: 'lit', atom: f.atom, positive: !negate };
    case 'not': return toNnf(f.arg, !negate);
    case 'and': return f.args.map((a) => toNnf(a, negate)).reduce<Nnf<S>>((l, r) => (negate ? mkOr(l, r) : mkAnd(l, r)), negate ? F : T);
    case 'or': return f.args.map((a) => toNnf(a, negate)).reduce<Nnf<S>>((l, r) => (negate ? mkAnd(l, r) : mkOr(l, r)), negate ? T : F);
    case 'implies': return negate ? mkAnd(toNnf(f.left), toNnf(f.right, true)) : mkOr(toNnf(f.left, true), toNnf(f.right));
    case 'always': return negate ? mkUntil(T, toNnf(f.arg, true)) : mkRelease(F, toNnf(f.arg));
    case 'eventually': return negate ? mkRelease(F, toNnf(f.arg, true)) : mkUntil(T, toNnf(f.arg));
    case 'leadsTo': {
      // ~(P ~> Q) = <>(P /\ []~Q)
      if (negate) return mkUntil(T, mkAnd(toNnf(f.left), mkRelease(F, toNnf(f.right, true))));
      return mkRelease(F, mkOr(toNnf(f.left, true), mkUntil(T, toNnf(f.right))));
    }
  }
}

function mkAnd<S>(l: Nnf<S>, r: Nnf<S>): Nnf<S> {
  if (l.op === 'false' || r.op === 'false') return F;
  if (l.op === 'true') return r;
  if (r.op === 'true') return l;
  return { op: 'and', left: l, right: r };
}

function mkOr<S>(l: Nnf<S>, r: Nnf<S>): Nnf<S> {
  if (l.op === 'true' || r.op === 'true') return T;
  if (l.op === 'false') return r;
  if (r.op === 'false') return l;
  return { op: 'or', left: l, right: r };
}

function mkUntil<S>(l: Nnf<S>, r: Nnf<S>): Nnf<S> {
  if (r.op === 'true' || r.op === 'false') return r; // P U TRUE = TRUE, P U FALSE = FALSE
  if (l.op === 'false') return r;
  return { op: 'until', left: l, right: r };
}

function mkRelease<S>(l: Nnf<S>, r: Nnf<S>): Nnf<S> {
  if (r.op === 'true' || r.op === 'false') return r;
  if (l.op === 'true') return r;
  return { op: 'release', left: l, right: r };
}

// ---------------------------------------------------------------------------------------
// Atoms and printing.

/** Whether an atom is judged on a state (state predicates, ENABLED) or on a step. */
export function atomLevel<S>(a: Atom<S>): 'state' | 'action' {
  return a.kind === 'state' || a.kind === 'enabled' ? 'state' : 'action';
}

/** Two atoms that always have the same value: the same predicate, action and filter, or vars. */
export function sameAtom<S>(a: Atom<S>, b: Atom<S>): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'state': return b.kind === 'state' && a.fn === b.fn;
    case 'step': return b.kind === 'step' && a.fn === b.fn;
    case 'unchanged': return b.kind === 'unchanged' && a.vars === b.vars;
    case 'action': {
      if (b.kind !== 'action' || a.action !== b.action) return false;
      const p = a.params, q = b.params;
      if (p === q) return true;
      if (p && q && !Array.isArray(p) && typeof p === 'object' && !Array.isArray(q) && typeof q === 'object')
        return (p as { label: string }).label.replace(/\s+/g, '') === (q as { label: string }).label.replace(/\s+/g, '');
      return false;
    }
    case 'enabled': return b.kind === 'enabled' && sameFormula(a.action, b.action);
  }
}

/** Structural equality of formulas, atoms compared by `sameAtom`. */
export function sameFormula<S>(f: Formula<S>, g: Formula<S>): boolean {
  if (f === g) return true;
  switch (f.op) {
    case 'true': case 'false': return g.op === f.op;
    case 'atom': return g.op === 'atom' && sameAtom(f.atom, g.atom);
    case 'not': case 'always': case 'eventually': return g.op === f.op && sameFormula(f.arg, (g as typeof f).arg);
    case 'and': case 'or': {
      if (g.op !== f.op) return false;
      const h = g as typeof f;
      return f.args.length === h.args.length && f.args.every((x, i) => sameFormula(x, h.args[i]));
    }
    case 'implies': case 'leadsTo': {
      if (g.op !== f.op) return false;
      const h = g as typeof f;
      return sameFormula(f.left, h.left) && sameFormula(f.right, h.right);
    }
  }
}

/** The distinct atoms of a formula (by `sameAtom`), in order of first occurrence. */
export function atomsOf<S>(f: Formula<S> | Nnf<S>): Atom<S>[] {
  const out: Atom<S>[] = [];
  const visit = (g: Formula<S> | Nnf<S>): void => {
    switch (g.op) {
      case 'true': case 'false': return;
      case 'atom': case 'lit': if (!out.some((a) => sameAtom(a, g.atom))) out.push(g.atom); return;
      case 'not': case 'always': case 'eventually': visit(g.arg); return;
      case 'and': case 'or':
        if ('args' in g) g.args.forEach(visit);
        else { visit(g.left); visit(g.right); }
        return;
      case 'implies': case 'leadsTo': case 'until': case 'release': visit(g.left); visit(g.right); return;
    }
  };
  visit(f);
  return out;
}

function showAtomArg<S>(f: Formula<S>): string {
  const s = show(f);
  return f.op === 'atom' || isAngleOrSquare(f) ? s : `(${s})`;
}

function atomText<S>(a: Atom<S>): string {
  return a.kind === 'unchanged' ? `UNCHANGED ${a.name}` : a.name;
}

function isAngleOrSquare<S>(g: Formula<S> | Nnf<S>): boolean {
  if (!('args' in g) || g.args.length !== 2) return false;
  const u = g.args[1];
  return g.op === 'and' ? u.op === 'not' && u.arg.op === 'atom' && u.arg.atom.kind === 'unchanged' : u.op === 'atom' && u.atom.kind === 'unchanged';
}

/** A formula in TLA+ notation, e.g. `[]<>(ENABLED Send => <<Send>>_vars)`. */
export function show<S>(f: Formula<S> | Nnf<S>): string {
  const par = (g: Formula<S> | Nnf<S>) => (isAngleOrSquare(g) || g.op === 'atom' || g.op === 'lit' || g.op === 'true' || g.op === 'false' || g.op === 'not' || g.op === 'always' || g.op === 'eventually' ? show(g) : `(${show(g)})`);
  switch (f.op) {
    case 'true': return 'TRUE';
    case 'false': return 'FALSE';
    case 'atom': return atomText(f.atom);
    case 'lit': return f.positive ? atomText(f.atom) : `~${atomText(f.atom)}`;
    case 'not': return `~${par(f.arg)}`;
    case 'and':
      if ('args' in f) {
        const [a, u] = f.args;
        if (f.args.length === 2 && u.op === 'not' && u.arg.op === 'atom' && u.arg.atom.kind === 'unchanged') return `<<${show(a)}>>_${u.arg.atom.name}`;
        return f.args.map(par).join(' /\\ ');
      }
      return `${par(f.left)} /\\ ${par(f.right)}`;
    case 'or':
      if ('args' in f) {
        const [a, u] = f.args;
        if (f.args.length === 2 && u.op === 'atom' && u.atom.kind === 'unchanged') return `[${show(a)}]_${u.atom.name}`;
        return f.args.map(par).join(' \\/ ');
      }
      return `${par(f.left)} \\/ ${par(f.right)}`;
    case 'implies': return `${par(f.left)} => ${par(f.right)}`;
    case 'always': return `[]${par(f.arg)}`;
    case 'eventually': return `<>${par(f.arg)}`;
    case 'leadsTo': return `${par(f.left)} ~> ${par(f.right)}`;
    case 'until': return `${par(f.left)} U ${par(f.right)}`;
    case 'release': return `${par(f.left)} R ${par(f.right)}`;
  }
}

/**
 * Whether `f` is insensitive to stuttering by TLA+'s syntax rule: action atoms (`action`,
 * `step`, `unchanged`) occur only in `[][A]_v` and `<><<A>>_v` (and their negations
 * `<><<~A>>_v`, `[][~A]_v`, and as the right side of `P ~> <<A>>_v`), or inside ENABLED.
 * Then adding or removing finitely many stuttering steps does not change the value of `f`,
 * so a counterexample may drop them. (With a view, `v` must be a function of the view.)
 * `false` means "not shown", not "sensitive": `[]<<A>>_v` is false on every behaviour that
 * can stutter, and `<>[A]_v` is true on it.
 */
export function isStutterInvariant<S>(f: Formula<S>): boolean {
  switch (f.op) {
    case 'true': case 'false': return true;
    case 'atom': return atomLevel(f.atom) === 'state';
    case 'not': return isStutterInvariant(f.arg);
    case 'always': return isSquare(f.arg) || (f.arg.op === 'not' && isAngle(f.arg.arg)) || isStutterInvariant(f.arg);
    case 'eventually': return isAngle(f.arg) || (f.arg.op === 'not' && isSquare(f.arg.arg)) || isStutterInvariant(f.arg);
    case 'leadsTo': return isStutterInvariant(f.left) && (isAngle(f.right) || isStutterInvariant(f.right));
    case 'implies': return isStutterInvariant(f.left) && isStutterInvariant(f.right);
    case 'and': case 'or': return f.args.every(isStutterInvariant);
  }
}

function isAngle<S>(f: Formula<S>): boolean {
  return f.op === 'and' && isAngleOrSquare(f) && findTemporal(f.args[0]) === undefined;
}

function isSquare<S>(f: Formula<S>): boolean {
  return f.op === 'or' && isAngleOrSquare(f) && findTemporal(f.args[0]) === undefined;
}

// ---------------------------------------------------------------------------------------
// The value of atoms on a state and a step: the one definition the graph builder, ENABLED
// and the counterexample check all use.

/** A step as action atoms judge it. */
export interface StepContext<S> {
  readonly before: S;
  readonly after: S;
  /** The action and parameter; ignored when `stutter`. */
  readonly step: Step;
  /** The step's default label (`Send(c1, m2)`), for `{ label }` filters. */
  readonly label: string;
  /** The state (or its view) does not change: a step of no action. */
  readonly stutter: boolean;
}

/** Whether a named-action atom admits a step of `action` with parameter `param` and default label `label`. */
export function admitsStep(a: Extract<Atom<unknown>, { kind: 'action' }>, action: string, param: unknown, label: string): boolean {
  if (a.action !== action) return false;
  const f = a.params;
  if (f === undefined) return true;
  if (Array.isArray(f)) return f.some((v) => isDeepStrictEqual(v, param));
  if (typeof f === 'function') return f(param) === true;
  return (f as { label: string }).label.replace(/\s+/g, '') === label.replace(/\s+/g, '');
}

/** The value of an action-level atom on a step (state-level atoms are an error here). */
export function actionAtomHolds<S>(a: Atom<S>, x: StepContext<S>): boolean {
  switch (a.kind) {
    case 'action': return !x.stutter && admitsStep(a as Extract<Atom<unknown>, { kind: 'action' }>, x.step.action, x.step.param, x.label);
    case 'step': return a.fn(x.before, x.after, x.stutter ? STUTTER : x.step) === true;
    case 'unchanged': return x.stutter || (a.vars !== undefined && isDeepStrictEqual(a.vars(x.before), a.vars(x.after)));
    case 'state': case 'enabled': throw new Error(`ltl: ${a.name} is judged on a state, not on a step`);
  }
}

/**
 * The value of an action-level formula (no temporal operator) on a step: state atoms are
 * judged on the state before it, ENABLED atoms by `enabledAt` (the engine's table).
 */
export function actionFormulaHolds<S>(f: Formula<S>, x: StepContext<S>, enabledAt: (a: Atom<S>) => boolean = () => {
  throw new Error('ltl: an ENABLED atom needs the engine to judge it');
}): boolean {
  const go = (g: Formula<S>): boolean => {
    switch (g.op) {
      case 'true': return true;
      case 'false': return false;
      case 'atom':
        return g.atom.kind === 'state' ? g.atom.fn(x.before) === true : g.atom.kind === 'enabled' ? enabledAt(g.atom) : actionAtomHolds(g.atom, x);
      case 'not': return !go(g.arg);
      case 'and': return g.args.every(go);
      case 'or': return g.args.some(go);
      case 'implies': return !go(g.left) || go(g.right);
      case 'always': case 'eventually': case 'leadsTo':
        throw new SpecError(`${show(g)} is temporal, not an action formula`);
    }
  };
  return go(f);
}

// ---------------------------------------------------------------------------------------
// Evaluation on a lasso, to re-check a counterexample on its replayed states.

/**
 * What a `step` atom is given for a stuttering step (the state, or its view, unchanged): no
 * action. The engine evaluates `action` atoms as false and `unchanged` atoms as true there.
 */
export const STUTTER: Step = Object.freeze({ action: '', param: undefined });

/** A lasso of `length` distinct positions; the successor of the last position is `loop`. */
export interface LassoShape {
  readonly length: number;
  readonly loop: number;
}

/**
 * Whether `f` holds of the behaviour that walks the lasso for ever, where `value(atom, i)` is
 * the atom's value at position i (for an action atom: on the step from i to its successor).
 * Each U and R is computed by one backward pass over the prefix after two over the loop
 * (the second pass sees the values the first one left at the loop's start).
 */
export function holdsOnLasso<S>(f: Formula<S>, lasso: LassoShape, value: (atom: Atom<S>, i: number) => boolean): boolean {
  const { length: n, loop } = lasso;
  if (!(Number.isInteger(n) && Number.isInteger(loop) && n >= 1 && loop >= 0 && loop < n)) throw new RangeError(`not a lasso: length ${n}, loop ${loop}`);
  const fixpoint = (least: boolean, now: (i: number, later: boolean) => boolean): Uint8Array => {
    const out = new Uint8Array(n);
    let later = !least;
    for (let round = 0; round < 2; round++)
      for (let i = n - 1; i >= loop; i--) out[i] = (later = now(i, later)) ? 1 : 0;
    for (let i = loop - 1; i >= 0; i--) out[i] = (later = now(i, later)) ? 1 : 0;
    return out;
  };
  const go = (g: Nnf<S>): Uint8Array => {
    switch (g.op) {
      case 'true': return new Uint8Array(n).fill(1);
      case 'false': return new Uint8Array(n);
      case 'lit': return Uint8Array.from({ length: n }, (_, i) => (value(g.atom, i) === g.positive ? 1 : 0));
      case 'and': { const a = go(g.left), b = go(g.right); return a.map((x, i) => x & b[i]); }
      case 'or': { const a = go(g.left), b = go(g.right); return a.map((x, i) => x | b[i]); }
      case 'until': { const a = go(g.left), b = go(g.right); return fixpoint(true, (i, later) => b[i] === 1 || (a[i] === 1 && later)); }
      case 'release': { const a = go(g.left), b = go(g.right); return fixpoint(false, (i, later) => b[i] === 1 && (a[i] === 1 || later)); }
    }
  };
  return go(toNnf(f))[0] === 1;
}
