// The spec-writing API: constants, typed state, initial states, actions (guard + immer-style
// recipe, nondeterminism through explicit parameters), invariants, action properties,
// terminal states, a state constraint and a view.
//
// A spec module's default export is the value returned by `defineSpec`. Its `setup`
// receives the constants (defaults merged with overrides) and returns the model; the state
// type is inferred from the schema given as `state`, and each action's parameter type from
// its `params` list.

import { validate, isSchema, show, codec, cardinality, MAX_SET_DOMAIN, type Infer, type Schema, type EnumType, type IntType } from './schema.js';
import { SpecError, ConfigError, cut } from './errors.js';
import { rejectUnknownKeys, suggest } from './names.js';
import { admitsStep, fairConditions, propertyFormula, show as showFormula, type Formula, type FairnessSpec, type Property, type Vars } from './ltl.js';
import { applyOverlay } from './store/overlay.js';

export type ConstValue = number | boolean | string;

/** A constant with a default and an optional domain. */
export interface ConstDef<T extends ConstValue = ConstValue> {
  readonly default: T;
  readonly doc?: string;
  /** Smallest allowed value (numbers). */
  readonly min?: number;
  /** Largest allowed value (numbers). */
  readonly max?: number;
  /** Allowed values (strings or numbers). */
  readonly values?: readonly T[];
  /**
   * (strings) Resolves a value the checker cannot hold as a constant, e.g. a module file it
   * names: the CLI awaits it before setup(), in every search worker too, and setup()
   * receives what it returns in place of the string (`undefined`: the string itself).
   * Relative names are relative to `cwd`; a bad value is a ConfigError.
   */
  readonly load?: (value: string, cwd: string) => Promise<unknown>;
}

export type ConstDefs = Record<string, ConstValue | ConstDef>;

type Widen<T> = T extends number ? number : T extends boolean ? boolean : T extends string ? string : T;
/** What a constant's `load` hands setup() in place of the string (`undefined`: the string itself). */
type Loaded<D> = D extends { readonly load: (value: string, cwd: string) => Promise<infer L> } ? Exclude<L, undefined> : never;
/**
 * The values setup() receives: a constant that lists its `values` takes one of them, any
 * other one any value of its default's type (a string default without `values` is any
 * string, even when declared `as const`); a constant with `load` also what its load returns.
 */
export type ConstValues<C extends ConstDefs> = {
  readonly [K in keyof C]: C[K] extends { readonly values: readonly (infer V)[] } ? V | Loaded<C[K]>
    : C[K] extends ConstDef<infer T> ? ('values' extends keyof C[K] ? T : Widen<T>) | Loaded<C[K]>
    : Widen<C[K]>;
};

/** The strength of the statement a property checks, in the words of the spec's source (e.g. an RFC 2119 keyword); shown in reports as given. */
export type Level = string;

/** Where a property comes from: a clause ID and its level, plus a sentence. */
export interface Meta {
  readonly doc?: string;
  readonly clause?: string;
  readonly level?: Level;
}

/**
 * Parameters drawn from a set that depends on the state (TLA+ `\E m \in msgs : A(m)`):
 * `from(s)` lists the members (order and duplicates do not matter); `type` is a finite
 * schema holding every member. The action is tried once per member, in the type's value
 * order (the choice index of a member is its code in `type`, so traces, fairness and
 * workers see a fixed list of choices); a member outside `type` is an evaluation error.
 */
export interface ParamsFrom<S, P> {
  /** The parameter type is inferred from this schema. */
  readonly type: Schema & { readonly __type?: P };
  readonly from: (s: S) => Iterable<P>;
}

export interface ActionDef<S, P> {
  /**
   * The explicit nondeterminism: the action is tried once with each parameter, in this
   * order; or `{ type, from: (s) => members }` for a set computed from the state.
   */
  readonly params?: readonly P[] | ParamsFrom<S, P>;
  /** Pure guard. Must not mutate the state. Absent means always enabled. */
  readonly enabled?: (s: S, p: P) => boolean;
  /** An immer-style recipe: mutate the draft (or return a whole new state). Deterministic. */
  readonly next: (draft: S, p: P) => S | void;
  /** The step's label in traces, e.g. `SET_STATE(STOP_COPY) = 0`; may look at the states around it. */
  readonly label?: (p: P, before: S, after: S) => string;
  readonly doc?: string;
  /**
   * The interface call this step stands for, as free text for the model's own use (e.g. which
   * party issues it); the checker carries it and does not interpret it.
   */
  readonly call?: string;
}

export type Invariant<S> = ((s: S) => boolean) | (Meta & { readonly check: (s: S) => boolean });

/** What an action property sees of the step it judges. */
export interface Step<P = unknown> {
  readonly action: string;
  readonly param: P;
  /**
   * Set by the search: a number for the state before, the same for every successor the
   * search computes from it. Two steps with the same `from` and the same `before` object
   * start from the same state, so a property may keep what it worked out of `before` (an
   * answer the state before would give) for the next successor. Absent: no such promise.
   */
  readonly from?: number;
  /**
   * Set by the search: whether the state after has the state before's value at `path` (a
   * field, `src`, or a part of one, `src.units[1]`), TLA+'s UNCHANGED. It answers from the
   * packed states, without comparing objects; a path that names no part of the state is an
   * error. Absent outside the search (replay, simulation, a property called by hand).
   */
  readonly unchanged?: (path: string) => boolean;
}

/**
 * An action property, judged on every step (TLA+'s [][P]_vars over before and after). With
 * `actions`, only on the steps of those actions (TLA+'s [][A => P]_vars): it holds on every
 * other step without being called, which saves a call per property on each step that cannot
 * break it.
 */
export type ActionProperty<S> =
  | ((before: S, after: S, step: Step) => boolean)
  | (Meta & { readonly check: (before: S, after: S, step: Step) => boolean; readonly actions?: readonly string[] });

/** A state predicate used by temporal properties. */
export type StatePredicate<S> = (s: S) => boolean;

/**
 * A temporal property, checked on every behaviour of the spec that is fair (see `Fairness`):
 *  - `{ leadsTo: [p, q] }`: p ~> q, whenever p holds, q holds then or later;
 *  - `{ alwaysEventually: p }`: []<>p, p holds infinitely often;
 *  - `{ eventuallyAlways: p }`: <>[]p, from some point on p holds for ever.
 * Behaviours may stutter (repeat a state) for ever unless fairness forbids it, as in TLA+.
 */
export type Temporal<S> =
  | (Meta & { readonly leadsTo: readonly [StatePredicate<S>, StatePredicate<S>] })
  | (Meta & { readonly alwaysEventually: StatePredicate<S> })
  | (Meta & { readonly eventuallyAlways: StatePredicate<S> });

/**
 * Fairness assumptions on actions (TLA+'s WF_vars / SF_vars). Each entry names:
 *  - `'Action'`: the action as a whole (the disjunction over its parameters);
 *  - `'Action(p)'`: the one parameter value whose default label is `Action(p)`;
 *  - `'Action(*)'`: every parameter value separately (one fairness condition per value,
 *    as PlusCal's per-process fairness `\A self: WF_vars(proc(self))`).
 * A step that leaves the state (or its view) unchanged neither counts as taking the action
 * nor makes it enabled, as for TLA+'s <<A>>_vars.
 */
export interface Fairness {
  /** Weak fairness: an action enabled continuously from some point on is eventually taken. */
  readonly weak?: readonly string[];
  /** Strong fairness: an action enabled infinitely often is taken infinitely often. */
  readonly strong?: readonly string[];
}

/**
 * A view (TLC's VIEW): two states with the same view are one state for the search. Either
 * its own schema and a function to it, or an overlay: some fields of the state replaced by
 * constants (store/overlay.ts), undefined for the state as it is. An overlay view costs the
 * search no object and no second packing per state; its instance carries both forms (`of`
 * is the overlay applied, the reference meaning).
 */
export type View<S, Sch extends Schema> =
  | { readonly state: Sch; readonly of: (s: S) => Infer<Sch>; readonly overlay?: undefined }
  | { readonly overlay: (s: S) => Overlay<S> | undefined; readonly state?: undefined; readonly of?: undefined };

/** A partial state for an overlay view: a record's fields partial in turn, anything else whole. */
export type Overlay<S> = S extends readonly unknown[] ? S : S extends object ? { readonly [K in keyof S]?: Overlay<S[K]> } : S;

/** A view as the engine sees it: its schema and function, and the overlay it came from, if any. */
export interface InstanceView<S> {
  readonly state: Schema;
  readonly of: (s: S) => unknown;
  readonly overlay?: (s: S) => object | undefined;
}

/**
 * Initial states as a predicate (TLA+ `Init == TypeOK /\ Inv`): every value of the state
 * schema for which `where` holds, enumerated in the schema's value order (fields in
 * declaration order, the first one most significant). `over` narrows the values tried for
 * some fields of a record state (a list of values or a schema); `limit` bounds the number
 * of candidates tried (default INIT_LIMIT).
 */
export interface InitPredicate<S> {
  readonly where: (s: S) => boolean;
  readonly over?: { readonly [K in keyof S]?: readonly S[K][] | Schema };
  readonly limit?: number;
}

/** Default bound on the candidates an `init: { where }` tries. */
export const INIT_LIMIT = 2_000_000;

/** Most permutations a `symmetry` declaration may give (8!). */
export const MAX_PERMUTATIONS = 40_320;

/** The model a spec's `setup` returns. */
export interface Model<Sch extends Schema, A extends Record<string, unknown>> {
  readonly state: Sch;
  /** One initial state, a list of them (explored in this order), or `{ where }`. */
  readonly init: Infer<Sch> | readonly Infer<Sch>[] | InitPredicate<Infer<Sch>>;
  /**
   * Symmetric sets of values (TLC's SYMMETRY Permutations(P)): enum or int types of the
   * schema, matched by identity; states equal up to a permutation of each are one state.
   */
  readonly symmetry?: readonly (EnumType<string> | IntType)[];
  /** Actions, tried in declaration order. */
  readonly actions: { readonly [K in keyof A]: ActionDef<Infer<Sch>, A[K]> };
  readonly invariants?: Readonly<Record<string, Invariant<Infer<Sch>>>>;
  readonly properties?: Readonly<Record<string, ActionProperty<Infer<Sch>>>>;
  /** States that may legitimately have no successor (not deadlocks). */
  readonly terminal?: (s: Infer<Sch>) => boolean;
  /** States outside the constraint are neither stored nor explored (TLC's CONSTRAINT). */
  readonly constraint?: (s: Infer<Sch>) => boolean;
  /** Two states with the same view are the same state for the search. */
  readonly view?: View<Infer<Sch>, Schema>;
  /**
   * Temporal properties, checked on the explored graph under `fairness` (exit 13 when
   * violated): one of the three `Temporal` forms, or an LTL formula built with the
   * builders of ltl.ts (`always(eventually(angle('Next')))`), or `{ formula, doc, … }`.
   */
  readonly temporal?: Readonly<Record<string, Property<Infer<Sch>>>>;
  /** Fairness assumed by the temporal properties: `{ weak, strong }` lists or `wf(…)`/`sf(…)` conditions; none by default. */
  readonly fairness?: FairnessSpec<Infer<Sch>>;
}

/** Expected outcome of checking a spec under some constants; enforced by the golden test. */
export interface Expectation {
  readonly constants?: Readonly<Record<string, ConstValue>>;
  /** Check options: which invariants, deadlock detection, bounds (a bound hit gives `incomplete`). */
  readonly options?: {
    readonly deadlock?: boolean;
    readonly invariants?: readonly string[];
    readonly maxStates?: number;
    readonly maxDepth?: number;
  };
  readonly status: 'ok' | 'violation' | 'error' | 'incomplete';
  readonly distinct?: number;
  readonly generated?: number;
  readonly depth?: number;
  readonly violation?: { readonly kind: string; readonly name: string };
  /** The labels of the counterexample, `Init` first. */
  readonly trace?: readonly string[];
  readonly note?: string;
}

/** How a spec is checked by default, as a TLC .cfg says it (command-line options override). */
export interface CheckDefaults {
  /** Report states without successors that are not `terminal` (default true; TLC's CHECK_DEADLOCK). */
  readonly deadlock?: boolean;
  /**
   * When a fairness condition counts as enabled (liveness): 'action' (default, as TLC: from
   * the action itself, even if its successors lie outside the constraint) or 'explored'.
   */
  readonly enabledness?: 'action' | 'explored';
}

export interface SpecDef<C extends ConstDefs, Sch extends Schema, A extends Record<string, unknown>> {
  readonly name: string;
  readonly doc?: string;
  readonly constants?: C;
  readonly setup: (c: ConstValues<C>) => Model<Sch, A>;
  /** Default check settings (deadlock checking, enabledness), as in a TLC .cfg. */
  readonly check?: CheckDefaults;
  readonly expect?: readonly Expectation[];
}

/** The keys each object of a spec may have; any other key is a SpecError with a did-you-mean hint. */
export const SPEC_KEYS = {
  spec: ['name', 'doc', 'constants', 'setup', 'check', 'expect', 'kind'],
  check: ['deadlock', 'enabledness'],
  constant: ['default', 'doc', 'min', 'max', 'values', 'load'],
  expect: ['constants', 'options', 'status', 'distinct', 'generated', 'depth', 'violation', 'trace', 'note'],
  expectOptions: ['deadlock', 'invariants', 'maxStates', 'maxDepth'],
  expectViolation: ['kind', 'name'],
  model: ['state', 'init', 'actions', 'invariants', 'properties', 'terminal', 'constraint', 'view', 'temporal', 'fairness', 'symmetry'],
  initPredicate: ['where', 'over', 'limit'],
  action: ['params', 'enabled', 'next', 'label', 'doc', 'call'],
  paramsFrom: ['type', 'from'],
  claim: ['check', 'doc', 'clause', 'level'],
  property: ['check', 'doc', 'clause', 'level', 'actions'],
  temporal: ['formula', 'leadsTo', 'alwaysEventually', 'eventuallyAlways', 'doc', 'clause', 'level'],
  fairness: ['weak', 'strong'],
  view: ['state', 'of', 'overlay'],
} as const;

export const SPEC_BRAND = 'migcheck.spec@1';

export interface Spec<C extends ConstDefs = ConstDefs, Sch extends Schema = Schema, A extends Record<string, unknown> = Record<string, unknown>>
  extends SpecDef<C, Sch, A> {
  readonly kind: typeof SPEC_BRAND;
}

/** Declares a spec. The state type comes from `state`; each action's parameter type from its `params`. */
export function defineSpec<C extends ConstDefs = {}, Sch extends Schema = Schema, A extends Record<string, unknown> = Record<string, unknown>>(
  def: SpecDef<C, Sch, A>,
): Spec<C, Sch, A> {
  return { ...def, kind: SPEC_BRAND };
}

/**
 * Types a model: the state type is inferred from `state`, then every guard, recipe and
 * invariant is checked against it. Use it as the body of a spec's setup:
 * `setup: ({ N }) => model({ state: t.record({...}), init, actions, invariants })`.
 */
export function model<Sch extends Schema, A extends Record<string, unknown>>(m: Model<Sch, A>): Model<Sch, A> {
  return m;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isSpec(x: unknown): x is Spec<any, any, any> {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === SPEC_BRAND;
}

// ---------------------------------------------------------------------------------------
// Instantiation: constants merged and checked, the model built and validated.

export interface ActionInfo<S = unknown> {
  readonly name: string;
  readonly def: ActionDef<S, unknown>;
  readonly hasParams: boolean;
  /** For `params: { type, from }`: the members function; its choices are the type's values in code order. */
  readonly from?: { readonly type: Schema; readonly members: (s: S) => Iterable<unknown> };
}

export interface Choice {
  /** Index into `actions`. */
  readonly action: number;
  readonly param: unknown;
}

/**
 * A temporal property as the engine sees it: `p ~> q`, `[]<>p` or `<>[]p` (checked on the
 * graph directly), or any LTL formula (checked on the product with its negation's automaton).
 */
export type NamedTemporal<S = unknown> = Meta & { readonly name: string } & (
  | { readonly kind: 'leadsTo'; readonly p: StatePredicate<S>; readonly q: StatePredicate<S> }
  | { readonly kind: 'alwaysEventually'; readonly p: StatePredicate<S> }
  | { readonly kind: 'eventuallyAlways'; readonly p: StatePredicate<S> }
  | { readonly kind: 'formula'; readonly formula: Formula<S> }
);

/** One fairness condition: weak or strong fairness of the disjunction of these choices. */
export interface FairnessCondition {
  /** As written in the spec, or `Action(p)` for each value of an `Action(*)` entry. */
  readonly name: string;
  readonly kind: 'weak' | 'strong';
  /** Indexes into `Instance.choices` (empty for a condition on a formula). */
  readonly choices: readonly number[];
  /**
   * A condition on an action formula that is no set of choices (`wf(or('A', 'B'))`,
   * `wf('A', { vars })`): WF/SF_vars(action). Only the product engine checks these.
   */
  readonly formula?: { readonly action: Formula<unknown>; readonly vars?: Vars<unknown> };
}

export interface NamedCheck<F> extends Meta {
  readonly name: string;
  /** The check as it applies to every step (for a property with `actions`, true on the others). */
  readonly check: F;
  /** A property's `actions`, as indices into Instance.actions in declaration order; absent: every action. */
  readonly actions?: readonly number[];
  /** With `actions`: the check as written, to call only on steps of those actions. */
  readonly scoped?: F;
}

/** A spec with its constants fixed: what the engine explores. */
export interface Instance<S = unknown> {
  readonly spec: Spec;
  readonly name: string;
  readonly constants: Readonly<Record<string, ConstValue>>;
  readonly schema: Schema;
  readonly init: readonly S[];
  readonly actions: readonly ActionInfo<S>[];
  /** Every (action, parameter) pair in exploration order; a state's choice index points here. */
  readonly choices: readonly Choice[];
  readonly invariants: readonly NamedCheck<(s: S) => boolean>[];
  readonly properties: readonly NamedCheck<(before: S, after: S, step: Step) => boolean>[];
  readonly terminal?: (s: S) => boolean;
  readonly constraint?: (s: S) => boolean;
  readonly view?: InstanceView<S>;
  /** Temporal properties in declaration order (absent on instances built by hand: none). */
  readonly temporal?: readonly NamedTemporal<S>[];
  /** Fairness conditions, weak ones first, each in the order written. */
  readonly fairness?: readonly FairnessCondition[];
  /** The spec's default check settings (absent on instances built by hand). */
  readonly check?: CheckDefaults;
  /** Symmetric value sets (schema nodes of the state, matched by identity); none when absent or empty. */
  readonly symmetry?: readonly (EnumType<string> | IntType)[];
  /** The constants resolved by their `load` (loadConstants), which a search worker loads again from `cwd`. */
  readonly loaded?: LoadedConstants;
}

/** What loadConstants resolved: the values setup() received instead of the strings, and the directory they were named from. */
export interface LoadedConstants {
  readonly cwd: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** Rejects unknown keys in the spec object itself (defineSpec's argument): its constants, check settings and expectations. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function validateSpecKeys(spec: Spec<any, any, any>): void {
  const where = `spec ${typeof spec.name === 'string' ? spec.name : '(unnamed)'}`;
  const bad = (m: string) => new SpecError(m);
  rejectUnknownKeys(spec, SPEC_KEYS.spec, where, bad);
  if (typeof spec.setup !== 'function') throw new SpecError(`${where}: 'setup' must be a function returning the model`);
  if (spec.check !== undefined) {
    if (typeof spec.check !== 'object' || spec.check === null) throw new SpecError(`${where}: 'check' must be an object like { deadlock: false }`);
    rejectUnknownKeys(spec.check, SPEC_KEYS.check, `${where}: check`, bad);
    if (spec.check.deadlock !== undefined && typeof spec.check.deadlock !== 'boolean') throw new SpecError(`${where}: check.deadlock must be true or false`);
    const en = spec.check.enabledness;
    if (en !== undefined && en !== 'action' && en !== 'explored') throw new SpecError(`${where}: check.enabledness must be 'action' or 'explored', not ${show(en)}${suggest(String(en), ['action', 'explored'])}`);
  }
  for (const [k, d] of Object.entries((spec.constants ?? {}) as Record<string, unknown>)) {
    if (typeof d === 'object' && d !== null) {
      rejectUnknownKeys(d, SPEC_KEYS.constant, `${where}: constant '${k}'`, bad);
      if (!('default' in d)) throw new SpecError(`${where}: constant '${k}' needs a 'default'`);
      const load = (d as ConstDef).load;
      if (load !== undefined && (typeof load !== 'function' || typeof (d as ConstDef).default !== 'string')) throw new SpecError(`${where}: constant '${k}': 'load' must be a function (value, cwd) => Promise, on a string constant`);
    }
  }
  (spec.expect ?? []).forEach((e: Expectation, i: number) => {
    const at = `${where}: expect[${i}]`;
    rejectUnknownKeys(e, SPEC_KEYS.expect, at, bad);
    if (e.options) rejectUnknownKeys(e.options, SPEC_KEYS.expectOptions, `${at}.options`, bad);
    if (e.violation) rejectUnknownKeys(e.violation, SPEC_KEYS.expectViolation, `${at}.violation`, bad);
  });
}

/** Merged constant values: defaults, then overrides (strings from the CLI are parsed by the default's type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function resolveConstants(spec: Spec<any, any, any>, overrides: Readonly<Record<string, ConstValue>> = {}): Record<string, ConstValue> {
  const defs: ConstDefs = spec.constants ?? {};
  const out: Record<string, ConstValue> = {};
  for (const [k, d] of Object.entries(defs)) out[k] = isConstDef(d) ? d.default : d;
  for (const [k, raw] of Object.entries(overrides)) {
    if (!(k in defs)) {
      const known = Object.keys(defs);
      throw new ConfigError(`unknown constant '${k}' for spec ${spec.name}; ${known.length ? `known: ${known.join(', ')}` : 'it declares no constants'}${suggest(k, known)}`);
    }
    const d = defs[k];
    const def = isConstDef(d) ? d : { default: d };
    out[k] = parseConst(k, raw, def);
  }
  return out;
}

function isConstDef(d: ConstValue | ConstDef): d is ConstDef {
  return typeof d === 'object' && d !== null && 'default' in d;
}

function parseConst(name: string, raw: ConstValue, def: ConstDef): ConstValue {
  let v: ConstValue = raw;
  const want = typeof def.default;
  // A value given as text (--const K=V) is echoed as typed, cut to one line; a value from a spec as its JSON.
  const asGiven = typeof raw === 'string' ? `'${cut(raw)}'` : show(raw);
  if (typeof raw === 'string' && want !== 'string') {
    if (want === 'number') {
      if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigError(`constant ${name}: ${asGiven} is not a number`);
      v = Number(raw);
    } else if (want === 'boolean') {
      const r = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(r)) v = true;
      else if (['false', '0', 'no', 'off'].includes(r)) v = false;
      else throw new ConfigError(`constant ${name}: ${asGiven} is not a boolean (true/false)`);
    }
  }
  if (typeof v !== want) throw new ConfigError(`constant ${name}: ${asGiven} is not a ${want}`);
  if (typeof v === 'number') {
    if (typeof def.default === 'number' && Number.isInteger(def.default) && !Number.isInteger(v))
      throw new ConfigError(`constant ${name}: ${asGiven} is not an integer`);
    // Beyond 2^53 a number no longer names one integer (99999999999999999999 reads as 1e20).
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) throw new ConfigError(`constant ${name}: ${asGiven} is too large`);
    if (def.min !== undefined && v < def.min) throw new ConfigError(`constant ${name}: ${asGiven} is below the minimum ${def.min}`);
    if (def.max !== undefined && v > def.max) throw new ConfigError(`constant ${name}: ${asGiven} is above the maximum ${def.max}`);
  }
  if (def.values && !def.values.includes(v)) throw new ConfigError(`constant ${name}: ${asGiven} is not one of ${def.values.map(show).join(', ')}`);
  return v;
}

/**
 * Runs the `load` of each constant that declares one on its value (defaults merged with
 * overrides): what instantiate() then passes to setup() in place of the strings.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function loadConstants(spec: Spec<any, any, any>, overrides: Readonly<Record<string, ConstValue>> = {}, cwd = process.cwd()): Promise<LoadedConstants> {
  const constants = resolveConstants(spec, overrides);
  const values: Record<string, unknown> = {};
  for (const [k, d] of Object.entries((spec.constants ?? {}) as ConstDefs)) {
    if (!isConstDef(d) || typeof d.load !== 'function' || typeof constants[k] !== 'string') continue;
    let v: unknown;
    try {
      v = await d.load(constants[k] as string, cwd);
    } catch (e) {
      if (e instanceof ConfigError || e instanceof SpecError) throw e;
      throw new ConfigError(`constant ${k}: ${show(constants[k])}: ${(e as Error)?.message ?? String(e)}`);
    }
    if (v !== undefined) values[k] = v;
  }
  return { cwd, values };
}

/** Describes each constant for `migcheck list`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function describeConstants(spec: Spec<any, any, any>): { name: string; default: ConstValue; doc?: string; domain?: string }[] {
  return Object.entries((spec.constants ?? {}) as ConstDefs).map(([name, d]) => {
    if (!isConstDef(d)) return { name, default: d };
    const dom = d.values ? d.values.map(show).join(' | ')
      : d.min !== undefined || d.max !== undefined ? `${d.min ?? '-inf'}..${d.max ?? 'inf'}` : undefined;
    return { name, default: d.default, doc: d.doc, domain: dom };
  });
}

/** Builds the model for the given constants and checks that it is well formed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function instantiate<Sch extends Schema = Schema>(spec: Spec<any, Sch, any>, overrides: Readonly<Record<string, ConstValue>> = {}, loaded?: LoadedConstants): Instance<Infer<Sch>> {
  if (!isSpec(spec)) throw new SpecError('not a migcheck spec (expected the value returned by defineSpec)');
  validateSpecKeys(spec);
  const constants = resolveConstants(spec, overrides);
  // The model's functions are typed by the spec author; here they are handled untyped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let model: Model<any, Record<string, unknown>>;
  try {
    model = spec.setup((loaded ? { ...constants, ...loaded.values } : constants) as never) as Model<any, Record<string, unknown>>;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SpecError) throw e;
    throw new SpecError(`spec ${spec.name}: setup() threw: ${(e as Error)?.message ?? String(e)}`);
  }
  const where = `spec ${spec.name}`;
  if (typeof model !== 'object' || model === null) throw new SpecError(`${where}: setup() must return a model object`);
  const bad = (m: string) => new SpecError(m);
  rejectUnknownKeys(model, SPEC_KEYS.model, `${where}: model`, bad);
  if (!isSchema(model.state)) throw new SpecError(`${where}: 'state' must be a schema built with t.record(…), t.enum(…), …`);
  const init = isInitPredicate(model.init) ? initialStates(where, model.state, model.init)
    : Array.isArray(model.init) ? [...model.init] : [model.init];
  if (init.length === 0) throw new SpecError(`${where}: ${isInitPredicate(model.init) ? "'init.where' holds for no candidate state" : "'init' lists no initial state"}`);
  init.forEach((s, i) => {
    const err = validate(model.state, s);
    if (err) throw new SpecError(`${where}: initial state #${i} is outside its type: ${err}`);
  });
  if (typeof model.actions !== 'object' || model.actions === null) throw new SpecError(`${where}: 'actions' must be an object of named actions`);
  const actions: ActionInfo[] = [];
  const choices: Choice[] = [];
  for (const [name, def] of Object.entries(model.actions as Record<string, ActionDef<unknown, unknown>>)) {
    if (typeof def !== 'object' || def === null || typeof def.next !== 'function')
      throw new SpecError(`${where}: action '${name}' needs a 'next' recipe`);
    rejectUnknownKeys(def, SPEC_KEYS.action, `${where}: action '${name}'`, bad);
    if (def.enabled !== undefined && typeof def.enabled !== 'function') throw new SpecError(`${where}: action '${name}': 'enabled' must be a function`);
    const index = actions.length;
    if (def.params !== undefined && !Array.isArray(def.params)) {
      const pf = def.params as ParamsFrom<unknown, unknown>;
      const shape = `${where}: action '${name}': 'params' must be an array or { type: schema, from: (s) => members }`;
      if (typeof pf !== 'object' || pf === null) throw new SpecError(shape);
      rejectUnknownKeys(pf, SPEC_KEYS.paramsFrom, `${where}: action '${name}': params`, bad);
      if (!isSchema(pf.type) || typeof pf.from !== 'function') throw new SpecError(shape);
      const n = cardinality(pf.type);
      if (n > MAX_SET_DOMAIN)
        throw new SpecError(`${where}: action '${name}': params.type has ${n > 1e15 ? n.toExponential(1) : n} values, more than ${MAX_SET_DOMAIN}; narrow it`);
      const c = codec(pf.type);
      actions.push({ name, def, hasParams: true, from: { type: pf.type, members: pf.from } });
      for (let i = 0; i < c.card; i++) choices.push({ action: index, param: c.value(i) });
      continue;
    }
    actions.push({ name, def, hasParams: def.params !== undefined });
    for (const p of (def.params as readonly unknown[] | undefined) ?? [undefined]) choices.push({ action: index, param: p });
  }
  if (actions.length === 0) throw new SpecError(`${where}: no actions`);
  const named = <F>(kind: string, rec: Readonly<Record<string, unknown>> | undefined): NamedCheck<F>[] =>
    Object.entries(rec ?? {}).map(([name, v]) => {
      if (typeof v === 'function') return { name, check: v as F };
      if (typeof v === 'object' && v !== null && typeof (v as { check?: unknown }).check === 'function') {
        const m = v as Meta & { check: F };
        rejectUnknownKeys(m, kind === 'property' ? SPEC_KEYS.property : SPEC_KEYS.claim, `${where}: ${kind} '${name}'`, bad);
        return { name, check: m.check, doc: m.doc, clause: m.clause, level: m.level };
      }
      throw new SpecError(`${where}: ${kind} '${name}' must be a function or { check }`);
    });
  const invariants = named<(s: unknown) => boolean>('invariant', model.invariants);
  const actionNames = actions.map((a) => a.name);
  const properties = named<(b: unknown, a: unknown, st: Step) => boolean>('property', model.properties).map((p) => {
    const v = (model.properties as Record<string, unknown>)[p.name] as { actions?: unknown };
    if (typeof v === 'function' || v.actions === undefined) return p;
    if (!Array.isArray(v.actions) || v.actions.some((n) => typeof n !== 'string'))
      throw new SpecError(`${where}: property '${p.name}': 'actions' must be a list of action names`);
    for (const n of v.actions as string[])
      if (!actionNames.includes(n)) throw new SpecError(`${where}: property '${p.name}': unknown action '${n}' in 'actions'; actions: ${actionNames.join(', ')}${suggest(n, actionNames)}`);
    const on = new Set(v.actions as string[]);
    const scoped = p.check;
    return { ...p, actions: actionNames.flatMap((n, i) => (on.has(n) ? [i] : [])), scoped, check: (b: unknown, a: unknown, st: Step) => !on.has(st.action) || scoped(b, a, st) };
  });
  const temporal = temporalProperties(where, model.temporal, actions, choices);
  const fairness = fairnessConditions(where, model.fairness, actions, choices);
  const names = new Set<string>();
  for (const n of [...invariants, ...properties, ...temporal].map((x) => x.name)) {
    if (n === 'TypeOK') throw new SpecError(`${where}: 'TypeOK' is derived from the schema; do not declare it`);
    if (names.has(n)) throw new SpecError(`${where}: the name '${n}' is used twice among invariants, properties and temporal properties`);
    names.add(n);
  }
  const mv = model.view as { state?: unknown; of?: unknown; overlay?: unknown } | undefined;
  const ofView = mv !== undefined && typeof mv === 'object' && mv !== null && mv.overlay === undefined && isSchema(mv.state) && typeof mv.of === 'function';
  const overlayView = mv !== undefined && typeof mv === 'object' && mv !== null && typeof mv.overlay === 'function' && mv.state === undefined && mv.of === undefined;
  if (mv !== undefined && !ofView && !overlayView)
    throw new SpecError(`${where}: 'view' must be { state: schema, of: (s) => value } or { overlay: (s) => partial state or undefined }`);
  if (mv !== undefined) rejectUnknownKeys(mv, SPEC_KEYS.view, `${where}: view`, bad);
  let view: InstanceView<unknown> | undefined;
  if (ofView) view = { state: mv.state as Schema, of: mv.of as (s: unknown) => unknown };
  else if (overlayView) {
    const overlay = mv.overlay as (s: unknown) => object | undefined;
    view = { state: model.state, of: (s) => applyOverlay(s, overlay(s)), overlay };
  }
  if (model.terminal !== undefined && typeof model.terminal !== 'function') throw new SpecError(`${where}: 'terminal' must be a function (s) => boolean`);
  if (model.constraint !== undefined && typeof model.constraint !== 'function') throw new SpecError(`${where}: 'constraint' must be a function (s) => boolean`);
  const symmetry = symmetryTypes(where, model.state, model.symmetry, model.view?.state as Schema | undefined, temporal.length > 0);
  return {
    spec: spec as unknown as Spec,
    name: spec.name,
    constants,
    schema: model.state,
    init,
    actions,
    choices,
    invariants,
    properties,
    terminal: model.terminal,
    constraint: model.constraint,
    view,
    temporal,
    fairness,
    check: spec.check,
    symmetry,
    ...(loaded && Object.keys(loaded.values).length ? { loaded } : {}),
  } as Instance<Infer<Sch>>;
}

/** `codec(s).value`, the codec built on first use (after the size check). */
function lazyValue(s: Schema): (i: number) => unknown {
  let c: ReturnType<typeof codec> | undefined;
  return (i) => (c ??= codec(s)).value(i);
}

function isInitPredicate(x: unknown): x is InitPredicate<unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { where?: unknown }).where === 'function';
}

/**
 * The states `init.where` accepts, in the schema's value order: every value of the state
 * schema (or, for a record state, of `over`'s field domains and the other fields' types).
 */
function initialStates(where: string, schema: Schema, p: InitPredicate<unknown>): unknown[] {
  const bad = (m: string) => new SpecError(m);
  rejectUnknownKeys(p, SPEC_KEYS.initPredicate, `${where}: init`, bad);
  const limit = p.limit ?? INIT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new SpecError(`${where}: init.limit must be a positive integer, not ${show(limit)}`);
  const over = (p.over ?? {}) as Record<string, unknown>;
  if (typeof over !== 'object' || over === null) throw new SpecError(`${where}: init.over must be an object of field domains`);
  // Per component: its name, its number of values and the i-th value.
  let parts: { name: string; card: number; value: (i: number) => unknown }[];
  if (schema.kind === 'record') {
    rejectUnknownKeys(over, Object.keys(schema.fields), `${where}: init.over`, bad);
    parts = Object.entries(schema.fields).map(([k, f]) => {
      const d = over[k];
      if (d === undefined) return { name: k, card: cardinality(f), value: lazyValue(f) };
      if (Array.isArray(d)) return { name: k, card: d.length, value: (i: number) => structuredClone(d[i]) };
      if (isSchema(d)) return { name: k, card: cardinality(d), value: lazyValue(d) };
      throw new SpecError(`${where}: init.over.${k} must be a list of values or a schema`);
    });
  } else {
    if (Object.keys(over).length > 0) throw new SpecError(`${where}: init.over names fields, but the state is not a record`);
    parts = [{ name: 'state', card: cardinality(schema), value: lazyValue(schema) }];
  }
  const total = parts.reduce((a, q) => a * q.card, 1);
  if (total > limit) {
    const sizes = parts.map((q) => `${q.name} ${q.card > 1e15 ? q.card.toExponential(1) : q.card}`).join(' × ');
    throw new SpecError(`${where}: init.where would try ${total > 1e15 ? total.toExponential(2) : total} candidate states (${sizes}), more than init.limit ${limit}; narrow the fields with init.over or raise init.limit`);
  }
  const values = parts.map((q) => {
    const out: unknown[] = [];
    for (let i = 0; i < q.card; i++) out.push(q.value(i));
    return out;
  });
  const out: unknown[] = [];
  const idx = parts.map(() => 0);
  for (let n = 0; n < total; n++) {
    let s: unknown;
    if (schema.kind === 'record') {
      const o: Record<string, unknown> = {};
      parts.forEach((q, j) => (o[q.name] = structuredClone(values[j][idx[j]])));
      s = o;
    } else s = structuredClone(values[0][idx[0]]);
    const err = validate(schema, s);
    if (err) throw new SpecError(`${where}: init.over gives a state outside its type: ${err}`);
    let ok: boolean;
    try {
      ok = p.where(s);
    } catch (e) {
      throw new SpecError(`${where}: init.where threw on ${show(s)}: ${(e as Error)?.message ?? String(e)}`);
    }
    if (ok === true) out.push(s);
    else if (ok !== false) throw new SpecError(`${where}: init.where returned ${show(ok)}, not a boolean`);
    // Next index: the last component varies fastest.
    for (let j = parts.length - 1; j >= 0; j--) {
      if (++idx[j] < parts[j].card) break;
      idx[j] = 0;
    }
  }
  return out;
}

/** Checks `symmetry`: enum or int nodes of the state schema (by identity), at most MAX_PERMUTATIONS permutations. */
function symmetryTypes(where: string, schema: Schema, sym: unknown, viewSchema: Schema | undefined, hasTemporal: boolean): (EnumType<string> | IntType)[] {
  if (sym === undefined) return [];
  if (!Array.isArray(sym)) throw new SpecError(`${where}: 'symmetry' must be a list of enum or int types of the state, e.g. [Proc]`);
  if (sym.length === 0) return [];
  if (hasTemporal)
    throw new SpecError(`${where}: 'symmetry' with temporal properties is not sound (a lasso in the quotient graph need not be one of the spec); drop one`);
  const nodes: Schema[] = [];
  const visit = (s: Schema) => {
    nodes.push(s);
    switch (s.kind) {
      case 'record': Object.values(s.fields).forEach(visit); break;
      case 'int': if (s.of) nodes.push(s.of); break;
      case 'array': if (s.index) nodes.push(s.index); visit(s.element); break;
      case 'seq': case 'set': visit(s.element); break;
      case 'tuple': s.elements.forEach(visit); break;
      case 'fn': visit(s.domain); visit(s.range); break;
      case 'variant': Object.values(s.cases).forEach((c) => Object.values(c).forEach(visit)); break;
      default: break;
    }
  };
  visit(schema);
  const inState = nodes.length;
  // A view is canonicalised under the same permutations: its schema must not hide a look-alike enum either.
  if (viewSchema !== undefined) visit(viewSchema);
  let perms = 1;
  (sym as unknown[]).forEach((x, i) => {
    if (!isSchema(x) || (x.kind !== 'enum' && x.kind !== 'int')) throw new SpecError(`${where}: symmetry[${i}] is not an enum or int type (t.enum(…) or t.int(…))`);
    if (sym.indexOf(x) !== i) throw new SpecError(`${where}: symmetry lists the same type twice`);
    if (!nodes.slice(0, inState).includes(x))
      throw new SpecError(`${where}: symmetry[${i}] (${x.kind === 'enum' ? x.values.join(' | ') : `${x.min}..${x.max}`}) does not occur in the state schema; use the same type object in the schema (types are matched by identity)`);
    if (x.kind === 'enum') {
      // An enum elsewhere in the schema with some of the same members would not be permuted.
      const twin = nodes.find((n) => n !== x && n.kind === 'enum' && n.values.some((v) => x.values.includes(v)));
      if (twin) throw new SpecError(`${where}: the state schema has another t.enum(${(twin as EnumType).values.join(', ')}) sharing members with symmetry[${i}]; use one type object so every occurrence is permuted`);
    }
    const n = x.kind === 'enum' ? x.values.length : x.max - x.min + 1;
    for (let k = 2; k <= n; k++) perms *= k;
    if (perms > MAX_PERMUTATIONS) throw new SpecError(`${where}: symmetry gives more than ${MAX_PERMUTATIONS} permutations (8!); declare fewer or smaller symmetric sets`);
  });
  return sym as (EnumType<string> | IntType)[];
}

function temporalProperties(where: string, rec: unknown, actions: readonly ActionInfo[], choices: readonly Choice[]): NamedTemporal[] {
  if (rec === undefined) return [];
  if (typeof rec !== 'object' || rec === null) throw new SpecError(`${where}: 'temporal' must be an object of named temporal properties`);
  const fn = (x: unknown) => typeof x === 'function';
  return Object.entries(rec as Record<string, unknown>).map(([name, v]): NamedTemporal => {
    const bad = `${where}: temporal property '${name}' must be one of { leadsTo: [p, q] }, { alwaysEventually: p }, { eventuallyAlways: p } with state predicates p, q, or an LTL formula (or { formula }) built with the builders of ltl.ts`;
    if (typeof v !== 'object' || v === null) throw new SpecError(bad);
    const at = `${where}: temporal property '${name}'`;
    if ('op' in v || 'formula' in v) {
      const { formula, doc, clause, level } = propertyFormula(at, v as Property<unknown>);
      checkActionNames(at, formula, actions, choices);
      return { name, doc, clause, level, kind: 'formula', formula };
    }
    const o = v as Record<string, unknown> & Meta;
    rejectUnknownKeys(o, SPEC_KEYS.temporal, at, (m) => new SpecError(m));
    const forms = ['leadsTo', 'alwaysEventually', 'eventuallyAlways'].filter((k) => k in o);
    if (forms.length !== 1) throw new SpecError(bad);
    const meta = { name, doc: o.doc, clause: o.clause, level: o.level };
    if (forms[0] === 'leadsTo') {
      const pq = o.leadsTo;
      if (!Array.isArray(pq) || pq.length !== 2 || !fn(pq[0]) || !fn(pq[1])) throw new SpecError(bad);
      return { ...meta, kind: 'leadsTo', p: pq[0] as StatePredicate<unknown>, q: pq[1] as StatePredicate<unknown> };
    }
    const p = o[forms[0]];
    if (!fn(p)) throw new SpecError(bad);
    return { ...meta, kind: forms[0] as 'alwaysEventually' | 'eventuallyAlways', p: p as StatePredicate<unknown> };
  });
}

type ActionAtom = Extract<Formula<unknown>, { op: 'atom' }>['atom'] & { kind: 'action' };

/** The choices of the action an `action(…)` atom names that its filter admits; a SpecError for an unknown action or a value it does not have. */
function admitted(where: string, atom: ActionAtom, actions: readonly ActionInfo[], choices: readonly Choice[], written = atom.action): number[] {
  const names = actions.map((a) => a.name);
  const ai = names.indexOf(atom.action);
  if (ai < 0) throw new SpecError(`${where} names unknown action '${written}'; actions: ${names.join(', ')}${suggest(atom.action, names)}`);
  const a = actions[ai];
  const mine = choices.map((_, i) => i).filter((i) => choices[i].action === ai);
  const label = (i: number) => defaultLabel(a.name, a.hasParams, choices[i].param);
  const hit = mine.filter((i) => admitsStep(atom, a.name, choices[i].param, label(i)));
  const f = atom.params;
  if (f !== undefined && !Array.isArray(f) && typeof f === 'object' && hit.length === 0) {
    const entry = (f as { label: string }).label;
    throw new SpecError(`${where} names '${entry}', which is no parameter value of action ${a.name}; its values: ${mine.map(label).join(', ') || '(none)'}${suggest(entry, mine.map(label))}`);
  }
  if (Array.isArray(f))
    for (const v of f)
      if (!mine.some((i) => admitsStep({ ...atom, params: [v] }, a.name, choices[i].param, label(i))))
        throw new SpecError(`${where}: ${show(v)} is no parameter value of action ${a.name}; its values: ${mine.map(label).join(', ') || '(none)'}`);
  return hit;
}

/** Every `action(…)` atom of a formula (inside ENABLED too) must name an action of the spec, with values it has. */
function checkActionNames(where: string, f: Formula<unknown>, actions: readonly ActionInfo[], choices: readonly Choice[]): void {
  const visit = (g: Formula<unknown>): void => {
    switch (g.op) {
      case 'true': case 'false': return;
      case 'atom':
        if (g.atom.kind === 'action') admitted(`${where}: ${g.atom.name}`, g.atom, actions, choices);
        if (g.atom.kind === 'enabled') visit(g.atom.action);
        return;
      case 'not': case 'always': case 'eventually': visit(g.arg); return;
      case 'and': case 'or': g.args.forEach(visit); return;
      case 'implies': case 'leadsTo': visit(g.left); visit(g.right); return;
    }
  };
  visit(f);
}

/**
 * Resolves fairness, written as `{ weak: ['Action', 'Action(p)', 'Action(*)'], strong }` or as
 * `wf(…)`/`sf(…)` conditions: a condition on a named action (possibly filtered, without
 * `vars`) becomes a set of choices, one per value with `perValue`; any other action formula
 * is kept as a formula for the product engine.
 */
function fairnessConditions(where: string, f: unknown, actions: readonly ActionInfo[], choices: readonly Choice[]): FairnessCondition[] {
  if (f === undefined) return [];
  const legacy = !Array.isArray(f);
  if (legacy) {
    if (typeof f !== 'object' || f === null) throw new SpecError(`${where}: 'fairness' must be { weak?: [action names], strong?: [action names] } or a list of wf(…)/sf(…) conditions`);
    rejectUnknownKeys(f, SPEC_KEYS.fairness, `${where}: fairness`, (m) => new SpecError(m));
  }
  let conds;
  try {
    conds = fairConditions(f as FairnessSpec<unknown>);
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError(`${where}: ${e.message}`);
    throw e;
  }
  const out: FairnessCondition[] = [];
  conds.forEach((c, i) => {
    const tag = legacy ? `${where}: fairness.${c.kind}` : `${where}: fairness[${i}] (${c.name})`;
    const wfsf = c.kind === 'weak' ? 'WF' : 'SF';
    const atom = c.action.op === 'atom' && c.action.atom.kind === 'action' ? (c.action.atom as ActionAtom) : undefined;
    if (atom) {
      const hit = admitted(tag, atom, actions, choices, legacy ? c.name : atom.action);
      const a = actions.find((x) => x.name === atom.action)!;
      const label = (k: number) => defaultLabel(a.name, a.hasParams, choices[k].param);
      const perValue = c.perValue === true && a.hasParams;
      if (c.vars === undefined) {
        if (perValue) for (const k of hit) out.push({ name: legacy ? label(k) : `${wfsf}_vars(${label(k)})`, kind: c.kind, choices: [k] });
        else out.push({ name: legacy ? (atom.params === undefined ? a.name : label(hit[0])) : c.name, kind: c.kind, choices: hit });
        return;
      }
      if (perValue) {
        for (const k of hit) {
          const one: Formula<unknown> = { op: 'atom', atom: { ...atom, name: label(k), params: [choices[k].param] } };
          out.push({ name: `${wfsf}_v(${label(k)})`, kind: c.kind, choices: [], formula: { action: one, vars: c.vars as Vars<unknown> } });
        }
        return;
      }
    } else checkActionNames(tag, c.action as Formula<unknown>, actions, choices);
    out.push({ name: c.name, kind: c.kind, choices: [], formula: { action: c.action as Formula<unknown>, vars: c.vars as Vars<unknown> | undefined } });
  });
  return out;
}

/** A fairness condition as messages show it: `WF(Send)` for a legacy entry, else its own name (`WF_vars(Tick \/ HCnxt)`). */
export function showFairness(c: FairnessCondition): string {
  return /^[WS]F_/.test(c.name) ? c.name : `${c.kind === 'weak' ? 'WF' : 'SF'}(${c.name})`;
}

/** The default label of a step: `Name` or `Name(param)`. */
export function defaultLabel(name: string, hasParams: boolean, p: unknown): string {
  if (!hasParams) return name;
  if (Array.isArray(p)) return `${name}(${p.map(fmtParam).join(', ')})`;
  return `${name}(${fmtParam(p)})`;
}

function fmtParam(p: unknown): string {
  if (typeof p === 'string') return p;
  if (typeof p === 'object' && p !== null && !Array.isArray(p))
    return Object.entries(p).map(([k, v]) => `${k}=${fmtParam(v)}`).join(', ');
  return show(p);
}

/** The label of a step, falling back to the default when the spec's label function throws. */
export function stepLabel(inst: Instance, choice: number, before: unknown, after: unknown): string {
  const c = inst.choices[choice];
  const a = inst.actions[c.action];
  if (a.def.label) {
    try {
      return a.def.label(c.param, before, after);
    } catch {
      /* fall through to the default label */
    }
  }
  return defaultLabel(a.name, a.hasParams, c.param);
}
