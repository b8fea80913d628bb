// The migration state machine as the kernel encodes it: an 8×8 next-step table and the
// migration flags each state needs, walked one arc at a time as a driver walks it.
//
// Modelled: the core's next-step function (KERN-1, KERN-2: skip states the feature set does
// not support, refuse an unsupported or ERROR endpoint, refuse a step that lands on ERROR),
// the driver loop that executes one arc per step until it reaches the target (COMB-3), the
// session effects of each arc (SAVE-1, SAVE-3, COMB-4), the mandatory arcs of each feature
// set (FSM-12), and the rules a table must obey (COMB-1, COMB-2, COMB-4, FSM-11, FSM-13,
// ERR-1, ERR-5, termination). Everything but loadTable is a pure function of its arguments, so a
// spec author can load a proposed table, or supply a step function, and check it.
//
// Abstracted away: what an arc does to the device besides its session (P2P quiescence,
// DMA, the data stream; see the data-path model), the WARN_ON side of KERN-2 (reported as a
// flag, not an event), and the pds driver's EIO-in-ERROR variant (ERR-5; noted in output).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../checker/index.js';
import {
  STATES, STATE_NUMBER, FLAGS, FLAG_BIT, FEATURE_SETS, SAVING_GROUP, featureBits,
  type MigState, type FeatureSet,
} from '../states.js';

// ---------------------------------------------------------------------------------------
// The table

/** An arc `FROM->TO`, written as in kernel-fsm.json and the kernel's comments. */
export type Arc = `${MigState}->${MigState}`;

export const arc = (from: MigState, to: MigState): Arc => `${from}->${to}`;

/** Splits `FROM->TO`. */
export function arcEnds(a: Arc): [MigState, MigState] {
  const [from, to] = a.split('->') as [MigState, MigState];
  return [from, to];
}

/** The flags mask of a state that needs every flag (ERROR: `~0U` in the kernel, KERN-3). */
export const ALL_FLAGS = 0xffff_ffff;

/**
 * A next-step table in the kernel's own form, with the facts about arcs that the rules need.
 * Plain data: load one with `loadTable`, or build one by copying `KERNEL_TABLE` and editing it.
 */
export interface FsmTable {
  /** Where the table came from (`kernel` or a file path), for messages. */
  readonly source: string;
  /** `nextStep[cur][new]`: the next state on the way from cur to new (vfio_from_fsm_table). */
  readonly nextStep: Readonly<Record<MigState, Readonly<Record<MigState, MigState>>>>;
  /** The VFIO_MIGRATION_* bits a state needs to be supported (state_flags_table). */
  readonly stateFlags: Readonly<Record<MigState, number>>;
  /** States in which a saving session's data_fd is live (SAVE-2). */
  readonly savingGroup: readonly MigState[];
  /** The arcs a driver itself implements, per feature set (FSM-12). */
  readonly mandatoryArcs: Readonly<Record<FeatureSet, readonly Arc[]>>;
}

/** Whether a feature set supports a state: all of the state's flags are present (KERN-1). */
export function isSupported(table: FsmTable, features: FeatureSet, s: MigState): boolean {
  const need = table.stateFlags[s];
  return ((need & featureBits(features)) >>> 0) === need >>> 0;
}

/** The arcs a driver with these features implements (FSM-12). */
export function mandatoryArcs(table: FsmTable, features: FeatureSet): readonly Arc[] {
  return table.mandatoryArcs[features];
}

// ---------------------------------------------------------------------------------------
// Session rules (SAVE-1..5, COMB-4): pure functions of an arc.

export type SessionKind = 'save' | 'resume';

/**
 * The session an arc opens, with a new data_fd (SAVE-1): entering the saving group from
 * outside opens a saving session; entering RESUMING opens a resuming session.
 */
export function opensSession(from: MigState, to: MigState, savingGroup: readonly MigState[] = SAVING_GROUP): SessionKind | null {
  if (from === to || from === 'ERROR' || to === 'ERROR') return null;
  if (to === 'RESUMING') return 'resume';
  if (savingGroup.includes(to) && !savingGroup.includes(from)) return 'save';
  return null;
}

/**
 * Whether an arc ends the current session (SAVE-3): leaving the saving group ends a saving
 * session, leaving RESUMING ends a resuming one. Arcs inside the saving group keep the
 * session (SAVE-2). Entering ERROR is not an arc of the table and ends nothing by itself.
 */
export function endsSession(from: MigState, to: MigState, savingGroup: readonly MigState[] = SAVING_GROUP): boolean {
  if (from === to || to === 'ERROR' || from === 'ERROR') return false;
  if (from === 'RESUMING') return true;
  return savingGroup.includes(from) && !savingGroup.includes(to);
}

/** The six session effects an arc can have, as constants: executing an arc allocates nothing. */
const SESSION_EFFECTS = {
  none: { opens: undefined, ends: false },
  ends: { opens: undefined, ends: true },
  save: { opens: 'save', ends: false },
  endsThenSave: { opens: 'save', ends: true },
  resume: { opens: 'resume', ends: false },
  endsThenResume: { opens: 'resume', ends: true },
} as const satisfies Record<string, { readonly opens: SessionKind | undefined; readonly ends: boolean }>;

/** What an arc does to the sessions (`opensSession` and `endsSession` together), as one of SESSION_EFFECTS. */
export function sessionEffect(from: MigState, to: MigState, savingGroup: readonly MigState[] = SAVING_GROUP): { readonly opens: SessionKind | undefined; readonly ends: boolean } {
  const opens = opensSession(from, to, savingGroup);
  const ends = endsSession(from, to, savingGroup);
  if (opens === 'save') return ends ? SESSION_EFFECTS.endsThenSave : SESSION_EFFECTS.save;
  if (opens === 'resume') return ends ? SESSION_EFFECTS.endsThenResume : SESSION_EFFECTS.resume;
  return ends ? SESSION_EFFECTS.ends : SESSION_EFFECTS.none;
}

// ---------------------------------------------------------------------------------------
// One step (KERN-1, KERN-2)

/** Why the core refuses a request. */
export type EinvalReason =
  /** The device is in a state its features do not support (WARN_ON in the kernel; ERROR included, ERR-5). */
  | 'cur-unsupported'
  /** The requested state is ERROR or not supported (ERR-1, FEAT-7). */
  | 'target-unsupported'
  /** The table leads to ERROR on the way (FSM-11, KERN-5). */
  | 'error-step';

/** What the next-step function answers for (cur, target). */
export type StepResult =
  | { readonly kind: 'step'; readonly next: MigState; /** Unsupported states skipped on the way. */ readonly skipped: readonly MigState[] }
  | { readonly kind: 'einval'; readonly reason: EinvalReason; /** The kernel WARNs (cur unsupported). */ readonly warnOn: boolean }
  /** The skip loop itself never ends: unsupported states lead to each other. */
  | { readonly kind: 'does-not-terminate'; readonly cycle: readonly MigState[] };

/**
 * A next-step function: given where the device is and where the user asked to go, the
 * next state to step to. Must be pure (same answer for the same arguments): the walk
 * relies on it to recognise a cycle. `nextStep` is the kernel's.
 */
export type StepFunction = (table: FsmTable, features: FeatureSet, cur: MigState, target: MigState) => StepResult;

/** The kernel's next-step function (vfio_mig_get_next_state), from the facts KERN-1 and KERN-2. */
export const nextStep: StepFunction = (table, features, cur, target) => {
  if (!isSupported(table, features, cur)) return { kind: 'einval', reason: 'cur-unsupported', warnOn: true };
  if (!isSupported(table, features, target)) return { kind: 'einval', reason: 'target-unsupported', warnOn: false };
  const skipped: MigState[] = [];
  let next = table.nextStep[cur][target];
  while (next !== 'ERROR' && !isSupported(table, features, next)) {
    if (skipped.includes(next)) return { kind: 'does-not-terminate', cycle: [...skipped.slice(skipped.indexOf(next)), next] };
    skipped.push(next);
    next = table.nextStep[next][target];
  }
  if (next === 'ERROR') return { kind: 'einval', reason: 'error-step', warnOn: false };
  return { kind: 'step', next, skipped };
};

// ---------------------------------------------------------------------------------------
// The walk (COMB-3): one arc per step until the target

/** The outcome of walking from cur to target, arc by arc, without executing anything. */
export type WalkOutcome =
  /** Reached the target; `noop` when cur = target (the driver loop never runs, SET-9). */
  | { readonly outcome: 'ok'; readonly noop: boolean; readonly path: readonly MigState[]; readonly arcs: readonly Arc[] }
  /** Refused; `path` holds the states reached before the refusal (just cur for the kernel). */
  | { readonly outcome: 'EINVAL'; readonly reason: EinvalReason; readonly warnOn: boolean; readonly path: readonly MigState[]; readonly arcs: readonly Arc[] }
  /**
   * The walk never reaches its target. `path` runs up to the first repeated state and
   * `cycle` is the loop of states that repeats forever (first state repeated at the end).
   */
  | {
    readonly outcome: 'does-not-terminate'; readonly path: readonly MigState[]; readonly arcs: readonly Arc[]; readonly cycle: readonly MigState[];
    /** The step function itself never returned (its skip loop cycles at the last state of `path`), rather than the walk revisiting a state. */
    readonly inStep?: true;
  };

/**
 * The most next-step look-ups one call of a step function may make: every cell of the table
 * once, and one more. A loop that looks up more is looping (with the target fixed, the
 * kernel's loop visits each state at most once before it repeats itself).
 */
export const STEP_LOOKUP_BOUND = STATES.length * STATES.length + 1;

/** Thrown from inside a step function that went past its bound; caught by boundedStep. */
class LookupBoundReached extends Error {
  constructor(readonly visited: readonly MigState[]) {
    super(`the step function looked up more than ${STEP_LOOKUP_BOUND} next steps`);
  }
}

/**
 * The loop at the end of a sequence of states: from the previous occurrence of the last
 * state to the last state, e.g. [ERROR, ERROR] or [RUNNING_P2P, STOP, RUNNING_P2P].
 */
function trailingCycle(seq: readonly MigState[]): MigState[] {
  const last = seq[seq.length - 1];
  const i = seq.lastIndexOf(last, seq.length - 2);
  return i >= 0 ? seq.slice(i) : [...seq];
}

/**
 * Calls a step function with a table whose next-step look-ups are counted: a step function
 * that loops over the table for ever (a literal transcription of the kernel's C loop before
 * its 2026 fix) is stopped at STEP_LOOKUP_BOUND look-ups and reported as a loop that does not
 * terminate, with the states it kept looking up. migcheck never hangs on a user's step.
 */
export function boundedStep(step: StepFunction, table: FsmTable, features: FeatureSet, cur: MigState, target: MigState): StepResult {
  const visited: MigState[] = [];
  const rows = new Proxy(table.nextStep, {
    get(all, from) {
      const row = all[from as MigState];
      if (typeof from !== 'string' || row === undefined) return row;
      return new Proxy(row, {
        get(cols, to) {
          const v = cols[to as MigState];
          if (typeof to === 'string' && v !== undefined) {
            visited.push(v);
            if (visited.length > STEP_LOOKUP_BOUND) throw new LookupBoundReached(visited);
          }
          return v;
        },
      });
    },
  });
  try {
    return step({ ...table, nextStep: rows }, features, cur, target);
  } catch (e) {
    if (e instanceof LookupBoundReached) return { kind: 'does-not-terminate', cycle: trailingCycle(e.visited) };
    throw e;
  }
}

/** A walk function: by default `walk`; a spec author may supply another. */
export type WalkFunction = (table: FsmTable, features: FeatureSet, cur: MigState, target: MigState, step?: StepFunction) => WalkOutcome;

/**
 * Walks from cur to target one arc at a time, as a driver's loop does: ask the step
 * function for the next state, take the arc, repeat. The step function is pure and the
 * target fixed, so reaching a state twice means the loop would run forever; that is
 * reported as 'does-not-terminate' with the cycle, never looped.
 */
export const walk: WalkFunction = (table, features, cur, target, step = nextStep) => {
  const path: MigState[] = [cur];
  const arcs: Arc[] = [];
  if (cur === target) return { outcome: 'ok', noop: true, path, arcs };
  let at = cur;
  while (at !== target) {
    const r = boundedStep(step, table, features, at, target);
    switch (r.kind) {
      case 'einval':
        return { outcome: 'EINVAL', reason: r.reason, warnOn: r.warnOn, path, arcs };
      case 'does-not-terminate':
        return { outcome: 'does-not-terminate', path, arcs, cycle: r.cycle, inStep: true };
      case 'step': {
        arcs.push(arc(at, r.next));
        const seen = path.indexOf(r.next);
        path.push(r.next);
        if (seen >= 0) return { outcome: 'does-not-terminate', path, arcs, cycle: path.slice(seen) };
        at = r.next;
        break;
      }
    }
  }
  return { outcome: 'ok', noop: false, path, arcs };
};

/** One arc's two states, split once (`arcEnds`), for code that executes walks step after step. */
export type ArcEnds = readonly [from: MigState, to: MigState];

/**
 * A walk with each arc also split into its two states, and each arc's session effect (the
 * kernel's saving group, SAVE-1, SAVE-3): what a driver executes. Planners (model/uapi.ts
 * `planner`) keep one per (cur, target), so that executing a SET never parses an arc's
 * name nor asks which group its states are in.
 */
export type PlannedWalk = WalkOutcome & { readonly ends: readonly ArcEnds[]; readonly effects: readonly ArcResult[] };

export function planned(w: WalkOutcome): PlannedWalk {
  // The states are the STATES constants themselves (not the substrings of a split): the
  // packing of a state compares them by identity first.
  const canonical = (x: MigState): MigState => STATES[STATE_NUMBER[x]];
  const ends = w.arcs.map((a) => arcEnds(a).map(canonical) as unknown as ArcEnds);
  return { ...w, ends, effects: ends.map(([from, to]) => sessionEffect(from, to)) };
}

/** Index of the arc from→to in a planned walk, or -1. */
export function arcIndex(plan: PlannedWalk, from: MigState, to: MigState): number {
  const ends = plan.ends;
  for (let i = 0; i < ends.length; i++) if (ends[i][0] === from && ends[i][1] === to) return i;
  return -1;
}

/** Why a walk never ends, for a label: the next-step loop spins at a state, or the walk revisits one (KERN-1). */
export function hangText(plan: WalkOutcome): string {
  if (plan.outcome !== 'does-not-terminate') return `the walk ${plan.path.join('->')} does not terminate`;
  const at = plan.path[plan.path.length - 1];
  return plan.inStep
    ? `the walk does not terminate: at ${at} the next-step loop looks up ${plan.cycle.join('->')}->… for ever`
    : `the walk does not terminate: ${plan.path.join('->')} repeats ${plan.cycle.join('->')} for ever`;
}

/** Index of the arc in a path that opens a session, for every such arc. */
export function sessionOpenings(arcs: readonly Arc[], savingGroup: readonly MigState[] = SAVING_GROUP): { index: number; arc: Arc; kind: SessionKind }[] {
  const out: { index: number; arc: Arc; kind: SessionKind }[] = [];
  arcs.forEach((a, index) => {
    const [from, to] = arcEnds(a);
    const kind = opensSession(from, to, savingGroup);
    if (kind) out.push({ index, arc: a, kind });
  });
  return out;
}

/** Arcs of a path that end a session (SAVE-3). */
export function sessionEndings(arcs: readonly Arc[], savingGroup: readonly MigState[] = SAVING_GROUP): Arc[] {
  return arcs.filter((a) => endsSession(...arcEnds(a), savingGroup));
}

/** How many times saving-group membership changes along a path (COMB-2 allows at most one). */
export function savingGroupChanges(path: readonly MigState[], savingGroup: readonly MigState[] = SAVING_GROUP): number {
  let n = 0;
  for (let i = 1; i < path.length; i++) if (savingGroup.includes(path[i]) !== savingGroup.includes(path[i - 1])) n++;
  return n;
}

/** Interior states of a path that lie in the saving group (kernel-fsm.json's interiorSavingStates). */
export function interiorSavingStates(path: readonly MigState[], savingGroup: readonly MigState[] = SAVING_GROUP): MigState[] {
  return path.slice(1, -1).filter((s) => savingGroup.includes(s));
}

/**
 * Length of the shortest path from cur to target over the mandatory arcs of a feature set
 * (COMB-1), or undefined when the target cannot be reached.
 */
export function shortestDistance(table: FsmTable, features: FeatureSet, cur: MigState, target: MigState): number | undefined {
  const adj = new Map<MigState, MigState[]>();
  for (const a of mandatoryArcs(table, features)) {
    const [from, to] = arcEnds(a);
    adj.set(from, [...(adj.get(from) ?? []), to]);
  }
  const dist = new Map<MigState, number>([[cur, 0]]);
  const queue: MigState[] = [cur];
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (s === target) return dist.get(s);
    for (const n of adj.get(s) ?? []) if (!dist.has(n)) { dist.set(n, dist.get(s)! + 1); queue.push(n); }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Executing a SET arc by arc (the migration model's srcSet and dstSet, model/datapath/uapi.ts)

/** What one arc does when a driver executes it. */
export interface ArcResult {
  /** A session the arc opened; its new data_fd comes back from this arc. */
  readonly opens?: SessionKind;
  /** The arc ended the current session (its fd is dead from now on). */
  readonly ends?: boolean;
}

/** How a SET ended, in uAPI terms. */
export type SetReturn =
  /** 0: the device reached the target (SET-1). */
  | 'OK'
  /** -1 EINVAL: refused by the core or by the driver's COMB-4 guard. */
  | 'EINVAL'
  /** -1 EIO (any driver errno): an arc failed; the device stays where the walk got to (SET-3, COMB-5). */
  | 'EIO'
  /** The driver loop never returns (the table or step function has a cycle). */
  | 'HANG';

export interface SetRequest {
  readonly table: FsmTable;
  readonly features: FeatureSet;
  readonly cur: MigState;
  readonly target: MigState;
  readonly step?: StepFunction;
  /** The walk from cur to target, when the caller planned it already (it is then not walked again). */
  readonly plan?: PlannedWalk;
  /** Index of the arc that fails (0 = the first arc), or -1 for none. */
  readonly failAt?: number;
  /** Whether the driver drops an fd returned by an intermediate arc and answers EINVAL (COMB-4, as in-tree drivers do). */
  readonly guardIntermediateFd?: boolean;
  /** Executes one arc; called in order, once per arc, before the device's state moves. */
  readonly onArc: (from: MigState, to: MigState, index: number, final: boolean) => ArcResult;
}

export interface SetOutcome {
  readonly ret: SetReturn;
  /** The state the device is in when the call returns (before any move to ERROR, ERR-2). */
  readonly reached: MigState;
  /** The whole walk the step function dictates, whether or not it was completed. */
  readonly plan: WalkOutcome;
  /** Arcs executed. */
  readonly done: number;
  /** Index of the arc whose fd reaches the user (data_fd), or -1 (SET-4: -1 on failure, KERN-7). */
  readonly fdFromArc: number;
  /** Index of every arc that opened a session, returned or not (COMB-4 checks these). */
  readonly openedAt: readonly number[];
}

/**
 * Runs a SET as a driver's loop does: walks the plan one arc at a time, letting `onArc`
 * apply each arc's effects. A failure injected at arc k leaves arcs 0..k-1 done and the
 * device at the state arc k-1 reached (SET-3, COMB-5). An fd from an intermediate arc is
 * dropped with EINVAL when the driver guards against it (COMB-4), else it reaches the user.
 */
const NONE_OPENED: number[] = [];

export function driveSet(req: SetRequest, walkFn: WalkFunction = walk): SetOutcome {
  const plan = req.plan ?? walkFn(req.table, req.features, req.cur, req.target, req.step ?? nextStep);
  const ends = req.plan?.ends;
  const failAt = req.failAt ?? -1;
  const guard = req.guardIntermediateFd ?? true;
  // Most SETs open no session: they share one empty list.
  let openedAt: number[] = NONE_OPENED;
  let fdFromArc = -1;
  let reached = req.cur;
  let done = 0;
  const arcs = plan.arcs;
  // A non-terminating plan repeats its cycle forever; the arcs before the repeat are enough
  // to show it, and executing them keeps the effects visible in the trace.
  for (let i = 0; i < arcs.length; i++) {
    if (i === failAt) return { ret: 'EIO', reached, plan, done, fdFromArc: -1, openedAt };
    // Read by index, not destructured: this is every arc of every SET.
    const e = ends !== undefined ? ends[i] : arcEnds(arcs[i]);
    const from = e[0];
    const to = e[1];
    const final = plan.outcome === 'ok' && i === arcs.length - 1;
    const r = req.onArc(from, to, i, final);
    reached = to;
    done++;
    if (r.opens) {
      if (openedAt === NONE_OPENED) openedAt = [];
      openedAt.push(i);
      if (!final && guard) return { ret: 'EINVAL', reached, plan, done, fdFromArc: -1, openedAt };
      fdFromArc = i;
    }
  }
  switch (plan.outcome) {
    case 'ok': return { ret: 'OK', reached, plan, done, fdFromArc, openedAt };
    case 'EINVAL': return { ret: 'EINVAL', reached, plan, done, fdFromArc: -1, openedAt };
    case 'does-not-terminate': return { ret: 'HANG', reached, plan, done, fdFromArc: -1, openedAt };
  }
}

// ---------------------------------------------------------------------------------------
// Loading and validating tables

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fail(file: string, what: string): never {
  throw new ConfigError(`${file}: ${what}`);
}

function stateName(file: string, where: string, v: Json | undefined): MigState {
  if (typeof v === 'string') {
    const name = v.replace(/^VFIO_DEVICE_STATE_/, '');
    if ((STATES as readonly string[]).includes(name)) return name as MigState;
  }
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < STATES.length) return STATES[v];
  return fail(file, `${where}: ${JSON.stringify(v)} is not a migration state (known: ${STATES.join(', ')} or 0..7)`);
}

/** Rows or columns keyed by state name, or arrays indexed by kernel state number. */
function byState(file: string, where: string, v: Json | undefined): Record<MigState, Json> {
  if (Array.isArray(v)) {
    if (v.length !== STATES.length) fail(file, `${where}: has ${v.length} entries, expected ${STATES.length} (one per state, in kernel order)`);
    return Object.fromEntries(STATES.map((s) => [s, v[STATE_NUMBER[s]]])) as Record<MigState, Json>;
  }
  if (typeof v !== 'object' || v === null) return fail(file, `${where}: expected an object keyed by state name or an array of ${STATES.length}`);
  const obj: { [k: string]: Json } = v;
  for (const k of Object.keys(obj)) if (!(STATES as readonly string[]).includes(k.replace(/^VFIO_DEVICE_STATE_/, ''))) fail(file, `${where}.${k}: unknown state (known: ${STATES.join(', ')})`);
  const out = {} as Record<MigState, Json>;
  for (const s of STATES) {
    const key: string = s in v ? s : `VFIO_DEVICE_STATE_${s}`;
    if (!(key in v)) fail(file, `${where}: missing entry for ${s}`);
    out[s] = v[key];
  }
  return out;
}

function flagsValue(file: string, where: string, v: Json): number {
  if (v === 'ALL' || v === '~0' || v === '~0U') return ALL_FLAGS;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v >>> 0;
  if (typeof v === 'string' || Array.isArray(v)) {
    const parts = Array.isArray(v) ? v : v.split('|');
    let m = 0;
    for (const p of parts) {
      const name = typeof p === 'string' ? p.trim().replace(/^VFIO_MIGRATION_/, '') : p;
      if (typeof name !== 'string' || !(FLAGS as readonly string[]).includes(name)) fail(file, `${where}: ${JSON.stringify(p)} is not a migration flag (known: ${FLAGS.join(', ')})`);
      m |= FLAG_BIT[name as (typeof FLAGS)[number]];
    }
    return m;
  }
  return fail(file, `${where}: ${JSON.stringify(v)} is not a flags value (a number, "STOP_COPY|P2P", or "ALL")`);
}

function arcList(file: string, where: string, v: Json | undefined): Arc[] {
  if (!Array.isArray(v)) return fail(file, `${where}: expected a list of "FROM->TO" arcs`);
  return v.map((a, i) => {
    if (typeof a !== 'string' || !a.includes('->')) fail(file, `${where}[${i}]: ${JSON.stringify(a)} is not an arc "FROM->TO"`);
    const [from, to] = (a as string).split('->');
    return arc(stateName(file, `${where}[${i}]`, from.trim()), stateName(file, `${where}[${i}]`, to.trim()));
  });
}

/**
 * Builds a table from parsed JSON. Required: `nextStep` (8×8) and `stateFlags`; optional
 * `savingGroup` and `mandatoryArcs` default to the kernel's. Accepts kernel-fsm.json itself.
 */
export function tableFromJson(json: unknown, source: string, defaults?: FsmTable): FsmTable {
  const file = source;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(file, 'expected a JSON object with "nextStep" and "stateFlags"');
  const j = json as { [k: string]: Json };
  if (!('nextStep' in j)) fail(file, 'missing "nextStep" (the 8×8 next-step table)');
  if (!('stateFlags' in j)) fail(file, 'missing "stateFlags" (the flags each state needs)');
  const rows = byState(file, 'nextStep', j.nextStep);
  const next = {} as Record<MigState, Record<MigState, MigState>>;
  for (const cur of STATES) {
    const cols = byState(file, `nextStep.${cur}`, rows[cur]);
    next[cur] = {} as Record<MigState, MigState>;
    for (const to of STATES) next[cur][to] = stateName(file, `nextStep.${cur}.${to}`, cols[to]);
  }
  const flagsIn = byState(file, 'stateFlags', j.stateFlags);
  const stateFlags = {} as Record<MigState, number>;
  for (const s of STATES) stateFlags[s] = flagsValue(file, `stateFlags.${s}`, flagsIn[s]);
  let savingGroup: MigState[];
  if (j.savingGroup !== undefined) {
    if (!Array.isArray(j.savingGroup)) fail(file, 'savingGroup: expected a list of states');
    savingGroup = j.savingGroup.map((s, i) => stateName(file, `savingGroup[${i}]`, s));
  } else savingGroup = [...(defaults?.savingGroup ?? SAVING_GROUP)];
  let mandatory: Record<FeatureSet, Arc[]>;
  if (j.mandatoryArcs !== undefined) {
    const m = j.mandatoryArcs;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(file, 'mandatoryArcs: expected an object keyed by feature set (STOP_COPY, STOP_COPY|P2P, …)');
    for (const k of Object.keys(m)) if (!(FEATURE_SETS as readonly string[]).includes(k)) fail(file, `mandatoryArcs.${k}: unknown feature set (known: ${FEATURE_SETS.join(', ')})`);
    mandatory = {} as Record<FeatureSet, Arc[]>;
    for (const f of FEATURE_SETS) {
      if (m[f] === undefined && !defaults) fail(file, `mandatoryArcs: missing feature set ${f}`);
      mandatory[f] = m[f] === undefined ? [...defaults!.mandatoryArcs[f]] : arcList(file, `mandatoryArcs.${f}`, m[f]);
    }
  } else {
    if (!defaults) fail(file, 'missing "mandatoryArcs" (FSM-12)');
    mandatory = Object.fromEntries(FEATURE_SETS.map((f) => [f, [...defaults.mandatoryArcs[f]]])) as Record<FeatureSet, Arc[]>;
  }
  return { source, nextStep: next, stateFlags, savingGroup, mandatoryArcs: mandatory };
}

/** Loads a next-step table from a JSON file; any fault is a ConfigError naming the file and the entry (exit 150). */
export function loadTable(path: string): FsmTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${path}: cannot read the table${code === 'ENOENT' ? ' (no such file)' : `: ${(e as Error).message}`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  return tableFromJson(json, path, KERNEL_TABLE);
}

/** The current kernel's table (v6.2 and later), kept as data in model/kernel/kernel-table.json. */
export const KERNEL_TABLE: FsmTable = (() => {
  const url = new URL('./kernel-table.json', import.meta.url);
  const t = tableFromJson(JSON.parse(readFileSync(fileURLToPath(url), 'utf8')), 'kernel');
  return t;
})();

/** A copy of a table with some next steps changed, e.g. `withNextSteps(KERNEL_TABLE, { RUNNING: { STOP: 'PRE_COPY' } })`. */
export function withNextSteps(table: FsmTable, edits: Partial<Record<MigState, Partial<Record<MigState, MigState>>>>, source = `${table.source} (edited)`): FsmTable {
  const next = {} as Record<MigState, Record<MigState, MigState>>;
  for (const cur of STATES) next[cur] = { ...table.nextStep[cur], ...edits[cur] };
  return { ...table, source, nextStep: next };
}

/** Resolves a table option: '' or 'kernel' is the kernel's table, anything else a JSON file. */
export function tableFor(option: string): FsmTable {
  const o = option.trim();
  return o === '' || o === 'kernel' ? KERNEL_TABLE : loadTable(o);
}

// ---------------------------------------------------------------------------------------
// Outcomes in kernel-fsm.json's vocabulary

/** One (cur, new) pair's outcome, with the fields and words kernel-fsm.json uses. */
export interface PairOutcome {
  result: 'ok' | 'ok-noop' | 'ok-noop (pds: EIO)' | 'EINVAL' | 'unreachable-cur' | 'does-not-terminate';
  path?: MigState[];
  arcs?: Arc[];
  errno?: 'EINVAL';
  warnOn?: boolean;
  /** `new fd from final arc X->Y`, or `none (-1)`. */
  dataFd?: string;
  closesSession?: Arc[];
  interiorSavingStates?: MigState[];
  /** The states that repeat forever, for a walk that does not terminate. */
  cycle?: MigState[];
  note?: string;
}

export const NO_FD = 'none (-1)';
export const newFdFrom = (a: Arc): string => `new fd from final arc ${a}`;

/** The outcome of SET(target) from cur, described as kernel-fsm.json describes it. */
export function describePair(table: FsmTable, features: FeatureSet, cur: MigState, target: MigState, step: StepFunction = nextStep, walkFn: WalkFunction = walk): PairOutcome {
  if (cur !== 'ERROR' && !isSupported(table, features, cur))
    return { result: 'unreachable-cur', note: `device can never be in ${cur} with these flags; if it were, the core WARNs and answers EINVAL` };
  const w = walkFn(table, features, cur, target, step);
  const sg = table.savingGroup;
  switch (w.outcome) {
    case 'ok': {
      if (w.noop)
        return cur === 'ERROR'
          // ERR-5, SET-9: loop-based drivers never run their loop; pds answers EIO instead.
          ? { result: 'ok-noop (pds: EIO)', path: [...w.path], dataFd: NO_FD }
          : { result: 'ok-noop', path: [...w.path], arcs: [], dataFd: NO_FD, note: 'driver loop body never runs; the next-step function is not called' };
      const last = w.arcs[w.arcs.length - 1];
      const [lf, lt] = arcEnds(last);
      return {
        result: 'ok',
        path: [...w.path],
        arcs: [...w.arcs],
        dataFd: opensSession(lf, lt, sg) ? newFdFrom(last) : NO_FD,
        closesSession: sessionEndings(w.arcs, sg),
        interiorSavingStates: interiorSavingStates(w.path, sg),
      };
    }
    case 'EINVAL':
      return { result: 'EINVAL', errno: 'EINVAL', path: [...w.path], ...(w.arcs.length ? { arcs: [...w.arcs] } : {}), warnOn: w.warnOn };
    case 'does-not-terminate':
      return { result: 'does-not-terminate', path: [...w.path], arcs: [...w.arcs], cycle: [...w.cycle] };
  }
}

/** Every (cur, new) pair of a feature set, keyed `CUR->NEW` in kernel order, as in kernel-fsm.json. */
export function describeFeatureSet(table: FsmTable, features: FeatureSet, step: StepFunction = nextStep, walkFn: WalkFunction = walk): Record<Arc, PairOutcome> {
  const out = {} as Record<Arc, PairOutcome>;
  for (const cur of STATES) for (const to of STATES) out[arc(cur, to)] = describePair(table, features, cur, to, step, walkFn);
  return out;
}

// ---------------------------------------------------------------------------------------
// Rules a table must obey

export type Rule = 'TERMINATION' | 'KERNEL' | 'FSM-12' | 'COMB-1' | 'COMB-2' | 'COMB-4' | 'FSM-11' | 'FSM-13' | 'ERR-1' | 'ERR-5';

export interface RuleInfo {
  readonly rule: Rule;
  /** Fact ID in ../shared/vfio/facts.md. */
  readonly clause: string;
  readonly level: 'MUST' | 'SHOULD' | 'INFO' | 'IMPL';
  /** The rule as a positive claim. */
  readonly claim: string;
}

/** The rules, in the order they are reported. */
export const RULES: readonly RuleInfo[] = [
  { rule: 'TERMINATION', clause: 'KERN-1', level: 'IMPL', claim: 'every walk reaches its target or is refused (the driver loop terminates)' },
  { rule: 'KERNEL', clause: 'COMB-3', level: 'IMPL', claim: 'the result and path of every request equal the kernel\'s' },
  { rule: 'FSM-12', clause: 'FSM-12', level: 'INFO', claim: 'every arc a walk takes is a mandatory arc of the feature set' },
  { rule: 'COMB-1', clause: 'COMB-1', level: 'SHOULD', claim: 'every path is a shortest path over the mandatory arcs' },
  { rule: 'COMB-2', clause: 'COMB-2', level: 'SHOULD', claim: 'saving-group membership changes at most once along a path' },
  { rule: 'COMB-4', clause: 'COMB-4', level: 'IMPL', claim: 'a session (new data_fd) is opened only by the final arc of a successful walk' },
  { rule: 'FSM-11', clause: 'FSM-11', level: 'MUST', claim: 'STOP_COPY->PRE_COPY and STOP_COPY->PRE_COPY_P2P are refused' },
  { rule: 'FSM-13', clause: 'FSM-13', level: 'INFO', claim: 'every other request between supported states succeeds' },
  { rule: 'ERR-1', clause: 'ERR-1', level: 'MUST', claim: 'ERROR is never reached by a request' },
  { rule: 'ERR-5', clause: 'ERR-5', level: 'IMPL', claim: 'from ERROR every request but ERROR fails with EINVAL; ERROR->ERROR is a no-op' },
];

export interface Finding {
  readonly rule: Rule;
  readonly features: FeatureSet;
  /** The offending request `CUR->NEW`. */
  readonly pair: Arc;
  readonly message: string;
}

export interface CheckTableOptions {
  readonly step?: StepFunction;
  readonly walk?: WalkFunction;
  /** The table the KERNEL rule compares against (default: the kernel's). */
  readonly reference?: FsmTable;
}

const fmtPath = (p: readonly MigState[]): string => p.join(' > ');

/** Checks every (cur, new) pair of a feature set against the rules; returns what breaks, in RULES order then pair order. */
export function checkTable(table: FsmTable, features: FeatureSet, opts: CheckTableOptions = {}): Finding[] {
  const step = opts.step ?? nextStep;
  const walkFn = opts.walk ?? walk;
  const ref = opts.reference ?? KERNEL_TABLE;
  const mandatory = new Set(mandatoryArcs(table, features));
  const sg = table.savingGroup;
  const found: Finding[] = [];
  for (const cur of STATES) {
    // A device is never in an unsupported state; ERROR is reachable through failures (ERR-2).
    if (cur !== 'ERROR' && !isSupported(table, features, cur)) continue;
    for (const to of STATES) {
      const pair = arc(cur, to);
      const add = (rule: Rule, message: string) => found.push({ rule, features, pair, message });
      const w = walkFn(table, features, cur, to, step);
      const k = walk(ref, features, cur, to, nextStep);
      if (w.outcome === 'does-not-terminate')
        add('TERMINATION', w.inStep
          ? `the walk never ends: at ${w.path[w.path.length - 1]} the next-step loop looks up ${fmtPath(w.cycle)} > … for ever`
          : `the walk never ends: ${fmtPath(w.path)} … repeats ${fmtPath(w.cycle)}`);
      if (w.outcome !== k.outcome || fmtPath(w.path) !== fmtPath(k.path))
        add('KERNEL', `${w.outcome} via ${fmtPath(w.path)}; the current kernel gives ${k.outcome} via ${fmtPath(k.path)}`);
      const extra = w.arcs.filter((a) => !mandatory.has(a));
      if (extra.length) add('FSM-12', `takes ${extra.join(', ')}, not ${extra.length === 1 ? 'a mandatory arc' : 'mandatory arcs'} of ${features}`);
      if (w.outcome === 'ok' && !w.noop) {
        const best = shortestDistance(table, features, cur, to);
        if (best !== undefined && w.arcs.length > best) add('COMB-1', `${w.arcs.length} arcs (${fmtPath(w.path)}) where ${best} suffice`);
      }
      const changes = savingGroupChanges(w.path, sg);
      if (changes > 1) add('COMB-2', `${fmtPath(w.path)} enters or leaves the saving group ${changes} times`);
      const final = w.outcome === 'ok' ? w.arcs.length - 1 : -1;
      const early = sessionOpenings(w.arcs, sg).filter((o) => o.index !== final);
      if (early.length) add('COMB-4', `${early.map((o) => o.arc).join(', ')} opens a ${early[0].kind} session (new data_fd) before the final arc of ${fmtPath(w.path)}`);
      const supportedTarget = to !== 'ERROR' && isSupported(table, features, to);
      const fsm11 = cur === 'STOP_COPY' && (to === 'PRE_COPY' || to === 'PRE_COPY_P2P');
      if (fsm11 && supportedTarget && w.outcome !== 'EINVAL') add('FSM-11', `${w.outcome} via ${fmtPath(w.path)}; must be refused`);
      if (cur !== 'ERROR' && supportedTarget && !fsm11 && w.outcome !== 'ok') add('FSM-13', `${w.outcome} via ${fmtPath(w.path)}; a request between supported states must succeed`);
      if (to === 'ERROR' && cur !== 'ERROR' && (w.outcome !== 'EINVAL' || w.arcs.length > 0)) add('ERR-1', `${w.outcome} via ${fmtPath(w.path)}; ERROR must be refused with EINVAL`);
      if (w.path.slice(1).includes('ERROR') && to !== 'ERROR') add('ERR-1', `the walk steps into ERROR: ${fmtPath(w.path)}`);
      if (cur === 'ERROR') {
        if (to === 'ERROR' && !(w.outcome === 'ok' && w.noop)) add('ERR-5', `${w.outcome} via ${fmtPath(w.path)}; ERROR->ERROR is a no-op`);
        if (to !== 'ERROR' && (w.outcome !== 'EINVAL' || w.arcs.length > 0)) add('ERR-5', `${w.outcome} via ${fmtPath(w.path)}; only a reset leaves ERROR`);
      }
    }
  }
  const order = new Map(RULES.map((r, i) => [r.rule, i]));
  return found.sort((a, b) => order.get(a.rule)! - order.get(b.rule)!);
}
