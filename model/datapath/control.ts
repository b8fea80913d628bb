// The control half of one VFIO migration device, as a checkable model: the device state,
// its migration sessions and the user's data_fds, driven by an adversarial user through
// VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE (SET and GET), VFIO_DEVICE_RESET and close().
//
// Modelled: a SET runs the driver loop over the next-step table one arc at a time
// (KERN-1, COMB-3); each arc applies its own session effects (SAVE-1, SAVE-3); a failure
// injected at any arc leaves the device where the walk got to, with the effects of the arcs
// already done (SET-3, COMB-5), and may move it to ERROR (ERR-2); an fd from an intermediate
// arc is dropped with EINVAL (COMB-4); RESET returns to RUNNING and ends every session (ERR-4,
// ERR-6); an fd whose session ended stays open but dead (SAVE-4); GET reports the state
// (SET-8). The table, step function, walk function and driver behaviour are pluggable, so a
// proposed change (or a broken driver) can be checked against the same properties.
//
// Abstracted away: what is streamed on a data_fd (the data-path model), P2P quiescence and
// DMA, the WARN_ON splats, the errno an arc fails with (always shown as EIO), and fd numbers
// beyond MAX_FDS: the user never holds more fds than that (a SET that would need one more is
// not taken; a bound of the model, not of the uAPI).

import { defineSpec, model, t, ConfigError, type Expectation, type Level, type Spec } from '../../checker/index.js';
import { STATES, parseFeatures, type MigState, type FeatureSet } from '../states.js';
import {
  KERNEL_TABLE, driveSet, walk, nextStep, tableFor, opensSession, endsSession, arcEnds, savingGroupChanges,
  shortestDistance, mandatoryArcs,
  type Arc, type ArcResult, type FsmTable, type SessionKind, type StepFunction, type WalkFunction, type WalkOutcome,
} from '../kernel/fsm.js';
import { hangText } from '../kernel/fsm.js';
import { DEFAULT_KERNEL, KERNEL_NAMES, kernelFeatureSets, kernelProfile } from '../kernel/index.js';

/** fds 0..2 are the process's standard streams; the kernel hands out the lowest free number. */
export const FIRST_FD = 3;

/** The longest walk: every state once, plus the repeated state of a cycle. */
export const PATH_SLOTS = STATES.length + 1;

/** What is behind an fd slot: nothing, a live session of a kind, or a session that ended (SAVE-4). */
export const FILE_STATES = ['NONE', 'SAVE', 'RESUME', 'ENDED'] as const;
export type FileState = (typeof FILE_STATES)[number];
const isLive = (f: FileState): boolean => f === 'SAVE' || f === 'RESUME';

/** How a SET returned: 0, -1 EINVAL, -1 EIO (any driver errno), or never (its walk cycles). */
export const SET_RETURNS = ['OK', 'EINVAL', 'EIO', 'HANG'] as const;

/**
 * A driver's behaviour on the control path. Every field is optional; the default is what
 * every in-tree loop-based driver does.
 */
export interface ControlDriver {
  readonly name?: string;
  /**
   * What an arc does to the sessions, given the kind of the live session and the state the
   * SET asked for (default: SAVE-1, SAVE-3; a correct driver ignores the target).
   */
  readonly arc?: (from: MigState, to: MigState, live: SessionKind | null, target: MigState) => ArcResult;
  /** Whether the loop drops an fd from an intermediate arc with EINVAL (COMB-4; default true). */
  readonly guardIntermediateFd?: boolean;
  /** Where VFIO_DEVICE_RESET leaves the device (default RUNNING, ERR-4). */
  readonly resetState?: MigState;
  /** Whether VFIO_DEVICE_RESET ends every session (default true, ERR-6). */
  readonly resetEndsSessions?: boolean;
  /** Where a failed arc leaves the device (default: where the walk got to, COMB-5). */
  readonly failState?: (reached: MigState, failedArc: Arc) => MigState;
}

/** What a control spec is built from: the table and step/walk functions come from here unless the TABLE constant names a file. */
export interface ControlOptions {
  readonly name?: string;
  readonly doc?: string;
  readonly table?: FsmTable;
  readonly step?: StepFunction;
  readonly walk?: WalkFunction;
  readonly driver?: ControlDriver;
  /** Defaults for the constants, e.g. the feature set a broken variant needs. */
  readonly defaults?: Partial<ControlConstants>;
  readonly expect?: readonly Expectation[];
}

/** The spec's constants: the CLI sets them (`--features P2P,PRE_COPY`, `--arc-failures true`, `--table my.json`). */
export const CONTROL_CONSTANTS = {
  FEATURES: { default: 'STOP_COPY|P2P|PRE_COPY', doc: 'migration flags of the device: P2P,PRE_COPY or STOP_COPY|P2P (STOP_COPY implied)' },
  ARC_FAILURES: { default: false, doc: 'any arc of a SET may fail (SET-3, COMB-5)' },
  FAIL_TO_ERROR: { default: false, doc: 'a failed arc may also move the device to ERROR (ERR-2)' },
  TABLE: { default: 'kernel', doc: 'next-step table: kernel, or a JSON file in the kernel\'s form' },
  KERNEL: { default: DEFAULT_KERNEL, doc: `kernel profile: its next-step function and table (${KERNEL_NAMES.join(', ')}, or a .json file; model/kernel/)` },
  MAX_FDS: { default: 2, min: 1, max: 8, doc: 'fds the user can hold at once (bounds the state space)' },
} as const;

/** The kernel's driver behaviour (the default). */
export const KERNEL_DRIVER: Required<Omit<ControlDriver, 'name' | 'failState'>> & Pick<ControlDriver, 'failState'> = {
  arc: (from, to) => ({ opens: opensSession(from, to) ?? undefined, ends: endsSession(from, to) }),
  guardIntermediateFd: true,
  resetState: 'RUNNING',
  resetEndsSessions: true,
  failState: undefined,
};

/** A SET request: the target, the arc that fails (-1: none) and whether that failure moves the device to ERROR. */
export interface SetParam {
  readonly target: MigState;
  readonly fail: number;
  readonly toError: boolean;
}

const fileSchema = t.record({
  held: t.bool(), // the user holds this fd (number FIRST_FD + slot)
  file: t.enum(FILE_STATES), // the migration file behind it: none, a live session, or a dead one
});

function stateSchema(maxFds: number) {
  return t.record({
    device: t.enum(STATES), // device_state as the driver caches it after each completed arc (KERN-8)
    files: t.array(fileSchema, maxFds), // fd slots; a live file may have no fd when the user closed it
    hung: t.bool(), // a SET never returned (its walk cycles); nothing happens after that
    lastSet: t.record({ // how the last SET went (outside the view: it never splits states)
      ret: t.enum(SET_RETURNS), // 0, -1 EINVAL, -1 EIO, or never returned
      fd: t.int(-1, maxFds - 1), // the slot whose fd came back in data_fd, or -1
      done: t.int(0, PATH_SLOTS), // arcs executed
      openedAt: t.int(-1, PATH_SLOTS), // index of the first arc that opened a session, or -1
      toError: t.bool(), // the failure moved the device to ERROR (ERR-2)
    }),
  });
}

export type ControlState = {
  device: MigState;
  files: { held: boolean; file: FileState }[];
  hung: boolean;
  lastSet: { ret: (typeof SET_RETURNS)[number]; fd: number; done: number; openedAt: number; toError: boolean };
};

function clone(s: ControlState): ControlState {
  return { device: s.device, files: s.files.map((f) => ({ ...f })), hung: s.hung, lastSet: { ...s.lastSet } };
}

const liveKind = (s: ControlState): SessionKind | null => {
  const f = s.files.find((x) => isLive(x.file));
  return f ? (f.file === 'SAVE' ? 'save' : 'resume') : null;
};

/** Ends every live session: a held fd stays open but dead (SAVE-4); an unheld file goes away. */
function endSessions(s: ControlState): void {
  for (const f of s.files) if (isLive(f.file)) f.file = f.held ? 'ENDED' : 'NONE';
}

export interface ControlConfig {
  readonly features: FeatureSet;
  readonly table: FsmTable;
  readonly step: StepFunction;
  readonly walk: WalkFunction;
  readonly driver: typeof KERNEL_DRIVER;
  readonly arcFailures: boolean;
  readonly failToError: boolean;
  readonly maxFds: number;
}

/** The walk a SET dictates, whether or not it is completed: a pure function of the state and the target. */
export function planFor(cfg: ControlConfig, cur: MigState, target: MigState): WalkOutcome {
  return cfg.walk(cfg.table, cfg.features, cur, target, cfg.step);
}

/**
 * SET_STATE(target) on a state: the new state, or null when the SET is not taken (an
 * injected failure beyond the walk's arcs, or no fd slot left for a new data_fd).
 */
export function applySet(s: ControlState, p: SetParam, cfg: ControlConfig): ControlState | null {
  return runSet(s, p, cfg)?.state ?? null;
}

/** applySet, with the index of the arc whose fd came back in data_fd (-1: none) and of every arc that opened a session, for the step's label. */
function runSet(s: ControlState, p: SetParam, cfg: ControlConfig): { state: ControlState; fdArc: number; openedAt: readonly number[] } | null {
  const plan = planFor(cfg, s.device, p.target);
  if (p.fail >= plan.arcs.length) return null;
  const n = clone(s);
  let noSlot = false;
  const openedSlot: number[] = [];
  const out = driveSet({
    table: cfg.table,
    features: cfg.features,
    cur: s.device,
    target: p.target,
    step: cfg.step,
    failAt: p.fail,
    guardIntermediateFd: cfg.driver.guardIntermediateFd,
    onArc: (from, to, i) => {
      const r = cfg.driver.arc(from, to, liveKind(n), p.target);
      if (r.ends) endSessions(n);
      if (r.opens) {
        const slot = n.files.findIndex((f) => !f.held && f.file === 'NONE');
        if (slot < 0) noSlot = true;
        else {
          n.files[slot].file = r.opens === 'save' ? 'SAVE' : 'RESUME';
          openedSlot[i] = slot;
        }
      }
      n.device = to;
      return r;
    },
  }, () => plan);
  if (noSlot) return null;
  const failed = out.ret === 'EIO';
  n.device = out.reached;
  if (failed) {
    if (cfg.driver.failState) n.device = cfg.driver.failState(out.reached, plan.arcs[p.fail]);
    if (p.toError) n.device = 'ERROR';
  }
  const fd = out.fdFromArc >= 0 ? openedSlot[out.fdFromArc] : -1;
  if (fd >= 0) n.files[fd].held = true;
  if (out.ret === 'HANG') n.hung = true;
  n.lastSet = { ret: out.ret, fd, done: out.done, openedAt: out.openedAt[0] ?? -1, toError: failed && p.toError };
  return { state: n, fdArc: out.fdFromArc, openedAt: out.openedAt };
}

/** The parameters of SET: every target, and with ARC_FAILURES every arc index that may fail. */
export function setParams(cfg: Pick<ControlConfig, 'arcFailures' | 'failToError'>): SetParam[] {
  const out: SetParam[] = [];
  for (const target of STATES) {
    out.push({ target, fail: -1, toError: false });
    if (!cfg.arcFailures) continue;
    for (let k = 0; k < PATH_SLOTS - 1; k++) {
      out.push({ target, fail: k, toError: false });
      if (cfg.failToError) out.push({ target, fail: k, toError: true });
    }
  }
  return out;
}

const fdName = (slot: number): number => FIRST_FD + slot;


/**
 * `SET_STATE(STOP_COPY) = 0, data_fd=3`, `SET_STATE(PRE_COPY) = -1 EINVAL`, … `fd` says
 * which arc's fd came back (driveSet's fdFromArc) and which arcs opened a session: an fd
 * from an intermediate arc is named by that arc (not by the first arc that opened one), and
 * an fd from the final arc is named too when an intermediate arc opened a session as well.
 */
export function setLabel(p: SetParam, plan: WalkOutcome, after: ControlState, fd: { readonly fdArc: number; readonly openedAt: readonly number[] } = { fdArc: -1, openedAt: [] }): string {
  const l = after.lastSet;
  const call = `SET_STATE(${p.target})`;
  const path = plan.path;
  switch (l.ret) {
    case 'OK': {
      const last = plan.arcs.length - 1;
      const others = fd.openedAt.filter((i) => i !== fd.fdArc && i < last).map((i) => plan.arcs[i]);
      const early = l.fd < 0 || fd.fdArc < 0 ? ''
        : fd.fdArc < last ? ` (from intermediate arc ${plan.arcs[fd.fdArc]})`
        : others.length ? ` (from final arc ${plan.arcs[last]}; intermediate arc ${others.join(', ')} opened a session too)` : '';
      return `${call} = 0${l.fd >= 0 ? `, data_fd=${fdName(l.fd)}` : ''}${early}`;
    }
    case 'EINVAL': {
      if (l.done === 0) return `${call} = -1 EINVAL`;
      const why = plan.outcome === 'ok'
        ? `driver dropped the data_fd of intermediate arc ${plan.arcs[l.done - 1]}`
        : `refused after ${path.slice(0, l.done + 1).join('->')}`;
      return `${call} = -1 EINVAL (${why}; device in ${after.device})`;
    }
    case 'EIO':
      return `${call} = -1 EIO (arc ${plan.arcs[l.done]} failed; device in ${after.device})`;
    case 'HANG':
      return `${call} never returns: ${hangText(plan)}`;
  }
}

/** `RESET = 0 (device in RUNNING; the saving session ended)`: the state it leaves, and what became of the live sessions. */
export function resetLabel(before: ControlState, after: ControlState): string {
  const kinds = (s: ControlState) => s.files.filter((f) => isLive(f.file)).map((f) => (f.file === 'SAVE' ? 'saving' : 'resuming'));
  const live = kinds(before);
  const still = kinds(after);
  const sessions = live.length === 0 ? '' : still.length === 0
    ? `; the ${live.join(' and ')} session ended`
    : `; the ${still.join(' and ')} session stays live`;
  return `RESET = 0 (device in ${after.device}${sessions})`;
}

export type PropertyDef = {
  readonly check: (before: ControlState, after: ControlState, step: { action: string; param: unknown }) => boolean;
  readonly doc: string;
  readonly clause: string;
  readonly level: Level;
};

/** The constants of a control spec, resolved. */
export interface ControlConstants {
  readonly FEATURES: string;
  readonly ARC_FAILURES: boolean;
  readonly FAIL_TO_ERROR: boolean;
  readonly TABLE: string;
  readonly KERNEL: string;
  readonly MAX_FDS: number;
}

/** The configuration a control model runs with: constants resolved, options merged over the kernel's defaults. */
export function controlConfig(c: ControlConstants, opts: ControlOptions = {}): ControlConfig {
  if (c.FAIL_TO_ERROR && !c.ARC_FAILURES) throw new ConfigError('FAIL_TO_ERROR needs ARC_FAILURES (an arc failure is what may move the device to ERROR)');
  const features = parseFeatures(c.FEATURES);
  const kernel = kernelProfile(c.KERNEL);
  if (!kernelFeatureSets(kernel).includes(features))
    throw new ConfigError(`FEATURES: kernel ${kernel.name} knows no ${features.split('|').filter((f) => f !== 'STOP_COPY' && !(kernel.flags as readonly string[]).includes(f)).join(', ')} flag (it knows ${kernelFeatureSets(kernel).join(', ')})`);
  const table = c.TABLE.trim() !== '' && c.TABLE.trim() !== 'kernel' ? tableFor(c.TABLE) : (opts.table ?? kernel.table);
  // Walks are pure (model/kernel/fsm.ts): one per (current, target) pair is enough for the whole run.
  const walkFn = opts.walk ?? walk;
  const cache = new Map<string, WalkOutcome>();
  const cachedWalk: WalkFunction = (t, f, cur, target, step) => {
    if (t !== table || f !== features) return walkFn(t, f, cur, target, step);
    const k = `${cur}>${target}`;
    let w = cache.get(k);
    if (!w) cache.set(k, (w = walkFn(t, f, cur, target, step)));
    return w;
  };
  return {
    features, table, step: opts.step ?? kernel.step, walk: cachedWalk, driver: { ...KERNEL_DRIVER, ...opts.driver },
    arcFailures: c.ARC_FAILURES, failToError: c.FAIL_TO_ERROR, maxFds: c.MAX_FDS,
  };
}

/**
 * The properties, each a positive claim with its clause. Action properties recompute the
 * walk a SET dictated (a pure function of the state before and the target) and judge it
 * and what the SET did against the rules and against the kernel's own table.
 */
export function controlProperties(cfg: ControlConfig): Record<string, PropertyDef> {
  const { table, features } = cfg;
  const sg = table.savingGroup;
  const inSg = (s: MigState) => sg.includes(s);
  const mandatory = new Set(mandatoryArcs(table, features));
  const isSet = (step: { action: string }) => step.action === 'SetState';
  const param = (step: { param: unknown }) => step.param as SetParam;
  const plan = (b: ControlState, st: { param: unknown }) => planFor(cfg, b.device, param(st).target);
  const liveSlots = (s: ControlState) => s.files.flatMap((f, i) => (isLive(f.file) ? [i] : []));
  const savingSlots = (s: ControlState) => s.files.flatMap((f, i) => (f.file === 'SAVE' ? [i] : []));
  // The reference for COMB-3: the kernel's own table and step function.
  const kernel = (cur: MigState, target: MigState) => walk(KERNEL_TABLE, features, cur, target, nextStep);

  return {
    EverySetReturns: {
      doc: 'every SET returns: the driver loop reaches its target or is refused (the walk terminates)',
      clause: 'KERN-1', level: 'IMPL',
      check: (_b, a, st) => !isSet(st) || a.lastSet.ret !== 'HANG',
    },
    SuccessfulSetReachesTarget: {
      doc: 'a SET that returns 0 has put the device in the requested state',
      clause: 'SET-1', level: 'MUST',
      check: (_b, a, st) => !isSet(st) || a.lastSet.ret !== 'OK' || a.device === param(st).target,
    },
    EveryArcIsMandatory: {
      doc: 'every arc a walk takes is one the driver implements for its feature set',
      clause: 'FSM-12', level: 'INFO',
      check: (b, _a, st) => !isSet(st) || plan(b, st).arcs.every((x) => mandatory.has(x)),
    },
    PathsAreShortest: {
      doc: 'a successful walk takes no more arcs than the shortest path over the mandatory arcs',
      clause: 'COMB-1', level: 'SHOULD',
      check: (b, _a, st) => {
        if (!isSet(st)) return true;
        const w = plan(b, st);
        if (w.outcome !== 'ok') return true;
        const best = shortestDistance(table, features, b.device, param(st).target);
        return best === undefined || w.arcs.length <= best;
      },
    },
    SavingGroupMembershipChangesAtMostOnce: {
      doc: 'a walk enters or leaves the saving group at most once (no session opened and closed on the way)',
      clause: 'COMB-2', level: 'SHOULD',
      check: (b, _a, st) => !isSet(st) || savingGroupChanges(plan(b, st).path, sg) <= 1,
    },
    NewFdOnlyFromFinalArc: {
      doc: 'a session (and its new data_fd) is opened only by the final arc of a walk that reaches its target',
      clause: 'COMB-4', level: 'IMPL',
      check: (b, a, st) => {
        if (!isSet(st) || a.lastSet.openedAt < 0) return true;
        const w = plan(b, st);
        return w.outcome === 'ok' && a.lastSet.openedAt === w.arcs.length - 1;
      },
    },
    DataFdOnlyWhenSessionStarts: {
      doc: 'a SET returns a data_fd exactly when its final arc starts a session; a failed SET returns -1',
      clause: 'SET-4', level: 'MUST',
      check: (b, a, st) => {
        if (!isSet(st)) return true;
        if (a.lastSet.ret !== 'OK') return a.lastSet.fd === -1;
        const arcs = plan(b, st).arcs;
        const starts = arcs.length > 0 && opensSession(...arcEnds(arcs[arcs.length - 1]), sg) !== null;
        return starts === a.lastSet.fd >= 0;
      },
    },
    SessionUnchangedWithinSavingGroup: {
      doc: 'while the device stays in the saving group its saving session and data_fd stay the same',
      clause: 'SAVE-2', level: 'MUST',
      check: (b, a) => !(inSg(b.device) && inSg(a.device)) || savingSlots(b).join() === savingSlots(a).join(),
    },
    ErrorIsNeverRequestable: {
      doc: 'SET_STATE(ERROR) fails with EINVAL and changes nothing',
      clause: 'ERR-1', level: 'MUST',
      check: (b, a, st) => !isSet(st) || param(st).target !== 'ERROR' || b.device === 'ERROR' || (a.lastSet.ret === 'EINVAL' && a.device === b.device),
    },
    OnlyResetLeavesError: {
      doc: 'a device in ERROR stays there until VFIO_DEVICE_RESET',
      clause: 'ERR-4', level: 'MUST',
      check: (b, a, st) => b.device !== 'ERROR' || st.action === 'Reset' || a.device === 'ERROR',
    },
    SetFromErrorFails: {
      doc: 'in ERROR every SET but SET_STATE(ERROR) fails with EINVAL; SET_STATE(ERROR) is a no-op',
      clause: 'ERR-5', level: 'IMPL',
      check: (b, a, st) => !isSet(st) || b.device !== 'ERROR' || a.lastSet.done === 0 && a.lastSet.ret === (param(st).target === 'ERROR' ? 'OK' : 'EINVAL'),
    },
    ResetReturnsToRunning: {
      doc: 'VFIO_DEVICE_RESET puts the device in RUNNING from any state, ERROR included',
      clause: 'ERR-4', level: 'MUST',
      check: (_b, a, st) => st.action !== 'Reset' || a.device === 'RUNNING',
    },
    ResetEndsEverySession: {
      doc: 'after VFIO_DEVICE_RESET no session is live; fds from before the reset are dead',
      clause: 'ERR-6', level: 'IMPL',
      check: (_b, a, st) => st.action !== 'Reset' || liveSlots(a).length === 0,
    },
    StopCopyToPreCopyRefused: {
      doc: 'STOP_COPY->PRE_COPY and STOP_COPY->PRE_COPY_P2P are refused and leave the device in STOP_COPY',
      clause: 'FSM-11', level: 'MUST',
      check: (b, a, st) => !isSet(st) || b.device !== 'STOP_COPY' || !['PRE_COPY', 'PRE_COPY_P2P'].includes(param(st).target) || (a.lastSet.ret === 'EINVAL' && a.device === 'STOP_COPY'),
    },
    FailedSetStopsOnItsPath: {
      doc: 'after a failed arc the device is in a state the walk had reached (or ERROR, ERR-2), with the effects of the arcs done',
      clause: 'SET-3', level: 'MAY',
      check: (b, a, st) => {
        if (!isSet(st) || a.lastSet.ret !== 'EIO') return true;
        if (a.device === 'ERROR') return a.lastSet.toError;
        return plan(b, st).path.slice(0, a.lastSet.done + 1).includes(a.device);
      },
    },
    SetMatchesKernel: {
      doc: 'every SET walks the kernel\'s path and, unless an arc failed, returns what the kernel returns (result and data_fd)',
      clause: 'COMB-3', level: 'IMPL',
      check: (b, a, st) => {
        if (!isSet(st)) return true;
        const p = param(st);
        const k = kernel(b.device, p.target);
        const w = plan(b, st);
        if (k.outcome !== w.outcome || k.path.join() !== w.path.join()) return false;
        if (p.fail >= 0) return true;
        const kFd = k.outcome === 'ok' && k.arcs.length > 0 && opensSession(...arcEnds(k.arcs[k.arcs.length - 1])) !== null;
        return (k.outcome === 'ok' ? 'OK' : 'EINVAL') === a.lastSet.ret && kFd === a.lastSet.fd >= 0;
      },
    },
  };
}

/** Builds the control model for resolved constants. */
export function controlModel(c: ControlConstants, opts: ControlOptions = {}) {
  const cfg = controlConfig(c, opts);
  const { driver } = cfg;
  const sg = cfg.table.savingGroup;
  const liveCount = (s: ControlState) => s.files.filter((f) => isLive(f.file)).length;
  const init: ControlState = {
    device: 'RUNNING',
    files: Array.from({ length: c.MAX_FDS }, () => ({ held: false, file: 'NONE' as FileState })),
    hung: false,
    lastSet: { ret: 'OK', fd: -1, done: 0, openedAt: -1, toError: false },
  };
  const schema = stateSchema(c.MAX_FDS);
  const viewSchema = t.record({ device: schema.fields.device, files: schema.fields.files, hung: schema.fields.hung });
  const slots = Array.from({ length: c.MAX_FDS }, (_, i) => i);

  return model({
    state: schema,
    init: init as never,
    actions: {
      /** The user asks for a state (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, SET). */
      SetState: {
        params: setParams(cfg),
        enabled: (s, p) => !s.hung && applySet(s as ControlState, p, cfg) !== null,
        next: (s, p) => applySet(s as ControlState, p, cfg) as never,
        label: (p, b, a) => setLabel(p, planFor(cfg, (b as ControlState).device, p.target), a as ControlState, runSet(b as ControlState, p, cfg) ?? undefined),
        doc: 'SET_STATE(target): the driver walks the table arc by arc',
      },
      /** The user reads the state (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, GET); data_fd is always -1 (SET-8). */
      GetState: {
        enabled: (s) => !s.hung,
        next: () => {},
        label: (_p, _b, a) => `GET_STATE = ${a.device}`,
        doc: 'GET_STATE: reports the current state',
      },
      /** VFIO_DEVICE_RESET: back to RUNNING from anywhere, every session ended (ERR-4, ERR-6). */
      Reset: {
        enabled: (s) => !s.hung,
        next: (s) => {
          s.device = driver.resetState;
          if (driver.resetEndsSessions) endSessions(s as ControlState);
        },
        label: (_p, b, a) => resetLabel(b as ControlState, a as ControlState),
        doc: 'VFIO_DEVICE_RESET',
      },
      /** The user closes an fd it holds; a live session lives on in the driver until its ending arc. */
      CloseFd: {
        params: slots,
        enabled: (s, i) => !s.hung && s.files[i].held,
        next: (s, i) => {
          const f = s.files[i];
          f.held = false;
          if (!isLive(f.file)) f.file = 'NONE';
        },
        label: (i) => `close(${fdName(i)})`,
        doc: 'close(fd)',
      },
    },
    invariants: {
      AtMostOneLiveSession: {
        doc: 'at most one migration session is live at any time',
        clause: 'SAVE-5', level: 'IMPL',
        check: (s) => liveCount(s as ControlState) <= 1,
      },
      SessionOnlyInItsStates: {
        doc: 'a saving session is live only in the saving group, a resuming one only in RESUMING (or ERROR, where nothing is promised)',
        clause: 'SAVE-3', level: 'INFO',
        check: (s) => s.files.every((f) => (f.file === 'SAVE' ? sg.includes(s.device) || s.device === 'ERROR' : f.file === 'RESUME' ? s.device === 'RESUMING' || s.device === 'ERROR' : true)),
      },
    },
    properties: controlProperties(cfg) as never,
    terminal: (s) => s.hung,
    // lastSet only describes the step that led here; states that differ only in it are one state.
    view: { state: viewSchema, of: (s) => ({ device: s.device, files: s.files, hung: s.hung }) },
  });
}

function withDefaults(d: Partial<ControlConstants>): typeof CONTROL_CONSTANTS {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(CONTROL_CONSTANTS)) out[k] = k in d ? { ...v, default: d[k as keyof ControlConstants] } : v;
  return out as unknown as typeof CONTROL_CONSTANTS;
}

/** The spec for one device under an adversarial user; options plug in a table, step or walk function, or a driver. */
export function controlSpec(opts: ControlOptions = {}): Spec {
  return defineSpec({
    name: opts.name ?? 'VfioFsm',
    doc: opts.doc ?? 'One VFIO migration device under an adversarial user: SET (all targets), GET, RESET, close(fd).',
    constants: withDefaults(opts.defaults ?? {}),
    setup: (c) => controlModel(c, opts),
    expect: opts.expect ?? [],
  }) as unknown as Spec;
}
