// A whole VFIO migration as a checkable model: a source device (model/datapath/source.ts) with a
// driver profile (model/drivers/), a destination device of the same kind
// (model/datapath/destination.ts), and a user (VMM) model (model/users/) that drives both through
// the uAPI (model/datapath/uapi.ts). The checker enumerates every interleaving of the user's calls
// with the device's own steps — it changes units while running, re-initialises its
// migration data, finishes an asynchronous save — and judges the properties below.
//
// Modelled and abstracted: see the files above and docs/vfio-model.md ("Data path").
// Bounds: UNITS units of device state, each changed at most MAX_VERSION times in all (no
// wrap-around, so a change is never mistaken for no change); at most one REINIT per
// session; a user buffer of one record. Nothing else is bounded: the user may abort and
// restart pre-copy, reset either device and start over, as often as it likes.
//
// The control half is a configuration of the same model: the control user
// (model/users/control.ts) drives the source alone through SET (any of the eight states),
// GET, RESET and close(fd), with MAX_FDS fd slots, arcs that may fail (ARC_FAILURES,
// FAIL_TO_ERROR) and a next-step table of its own (TABLE, or a spec's `table`, `step`,
// `walk`); the driver profile's control hooks (arcSessions, guardIntermediateFd, failState,
// reset) default to the kernel's behaviour. The properties of a SET (KERN-1, SET-*, COMB-*,
// FSM-11, FSM-12, ERR-*) judge every configuration alike (specs/vfio/fsm*.spec.ts).

import { defineSpec, model, t, ConfigError, type Step, type ConstDef, type ConstDefs, type ConstValue, type ConstValues, type Expectation, type Level } from '../../checker/index.js';
import { STATES, stateNumber, FLAGS, FLAG_BIT, featureBits, parseFeatures, inPreCopy, inSavingGroup, type FeatureSet, type MigState } from '../states.js';
import {
  KERNEL_TABLE, isSupported, nextStep, walk, tableFor, opensSession, arcEnds, savingGroupChanges, shortestDistance, mandatoryArcs,
  type FsmTable, type StepFunction, type WalkFunction, type PlannedWalk,
} from '../kernel/fsm.js';
import { DEFAULT_KERNEL, KERNEL_NAMES, kernelProfile, kernelFeatureSets } from '../kernel/index.js';
import { NONE, unitType, unread, unreadInitial, trackedCount, type StreamBounds } from './stream.js';
import {
  initialSource, canDirty, deviceDirty, canReinit, deviceReinit, canSaveDone, saveDone, showInfo, failedArc, type InfoResult,
} from './source.js';
import { initialDestination } from './destination.js';
import {
  migrationSchema, linkNamesUnit, initialLink, planner, srcReadResult, srcPrecopyInfoResult, inFlagsOf, loadedStream, userCompleted, mayForward,
  initialLastSet, isLiveFile, endSlots,
  type MigrationConfig, type MigrationState, type FdSlot,
} from './uapi.js';
import { driverProfile } from '../drivers/index.js';
import { userModel, type UserModel, type UapiCall, type UserAction } from '../users/index.js';
import type { LoadedProfiles } from '../commands/load.js';

export type { MigrationState, MigrationConfig, Link } from './uapi.js';

/**
 * A constant's `load` (checker ConstDef.load): a file value is imported before setup() and
 * setup() gets the profile. The loader is imported on first use, so that a run with
 * built-in names only never loads it.
 */
function loadFrom<K extends keyof LoadedProfiles>(kind: K) {
  return async (value: string, cwd: string): Promise<LoadedProfiles[K] | undefined> => (await import('../commands/load.js')).loadConstant(kind, value, cwd);
}

/**
 * The migration model's options, as the spec constants that set them (`--driver mlx5-like
 * --units 3`): their one declaration. Each constant's name in camelCase is its option key
 * (MAX_VERSION sets `maxVersion`); MigrationOptions, MigrationConstants,
 * optionsFromConstants, migrationConfig's defaults and migrationSpec's constants are derived
 * from here, so an option is added by adding its entry (and reading it in migrationConfig).
 */
export const MIGRATION_CONSTANTS = {
  DRIVER: { default: 'reference', doc: 'driver profile of both devices (model/drivers/, or a .ts/.js/.json file exporting one)', load: loadFrom('driver') },
  USER: { default: 'adversarial', doc: 'user (VMM) model (model/users/, or a .ts/.js file exporting one)', load: loadFrom('user') },
  FEATURES: { default: 'all', doc: 'migration flags asked of the devices, e.g. P2P,PRE_COPY (STOP_COPY implied); the driver\'s own flags limit them' },
  UNITS: { default: 2, min: 1, max: 4, doc: 'units of device state' },
  MAX_VERSION: { default: 1, min: 1, max: 3, doc: 'how often each unit may change in all (bounds the device\'s running)' },
  SWITCHOVER_ACK: { default: false, doc: 'qemu-like user: QEMU\'s switchover-ack capability (QEMU-5)' },
  DETECT_INCOMPLETE: { default: 'driver', values: ['driver', 'yes', 'no'], doc: 'the destination rejects a stream without its end (DATA-5): as the driver profile says, or forced' },
  REINIT: { default: true, doc: 'the device may re-initialise its migration data in PRE_COPY (REINIT-5), if the driver can' },
  HISTORY: { default: false, doc: 'keep the source\'s history for wording clauses: records read per phase, last precopy_info answer, initial data unread at the switch, trailer size' },
  SYMMETRY: { default: false, doc: 'units are interchangeable: read() sends a kind\'s records in the order of the units\' data (a legal driver order, PRECOPY-9) and the search keeps one state per permutation of units' },
  KERNEL: { default: DEFAULT_KERNEL, doc: `kernel profile around the driver: next-step loop, table, features (${KERNEL_NAMES.join(', ')}, or a .ts/.js/.json file; model/kernel/)`, load: loadFrom('kernel') },
  TABLE: { default: 'kernel', doc: 'next-step table: kernel (the kernel profile\'s), or a JSON file in the kernel\'s form' },
  MAX_FDS: { default: 0, min: 0, max: 8, doc: 'fd slots the control user can hold at once for the source (bounds the state space; 0: the user keeps the newest fd)' },
  ARC_FAILURES: { default: false, doc: 'control user: any arc of a SET may fail (SET-3, COMB-5)' },
  FAIL_TO_ERROR: { default: false, doc: 'control user: a failed arc may also move the device to ERROR (ERR-2)' },
} as const satisfies ConstDefs;

type Declared = typeof MIGRATION_CONSTANTS;
export type MigrationConstantName = keyof Declared;

/** The names of the migration constants, in declaration order. */
const CONSTANT_NAMES = Object.keys(MIGRATION_CONSTANTS) as MigrationConstantName[];

/** A constant's option key: its name in camelCase (`MAX_VERSION` → `maxVersion`). */
export type OptionKey<N extends string> = N extends `${infer H}_${infer T}` ? `${Lowercase<H>}${Capitalize<OptionKey<T>>}` : Lowercase<N>;

export function optionKey<N extends string>(name: N): OptionKey<N> {
  // The string functions are not typed by their result; OptionKey says the same thing in types.
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as OptionKey<N>;
}

/** What setup() of a migration spec receives: a value per constant, for DRIVER, USER and KERNEL a name or the profile a file was loaded into (ConstDef.load). */
export type MigrationConstants = ConstValues<Declared>;

/**
 * What a migration model is built from: each constant as an option (see its doc in
 * MIGRATION_CONSTANTS), every one optional with the constant's default; names are looked up
 * in the registries.
 */
export type MigrationOptions = { readonly [N in Exclude<MigrationConstantName, 'TABLE'> as OptionKey<N>]?: MigrationConstants[N] } & {
  /** The next-step table (TABLE): a table, `kernel` (the kernel profile's) or a JSON file in the kernel's form. */
  readonly table?: FsmTable | string;
  /** A next-step function instead of the kernel profile's (every walk with it is bounded). No constant sets it. */
  readonly step?: StepFunction;
  /** A walk function instead of `walk` (model/kernel/fsm.ts). No constant sets it. */
  readonly walk?: WalkFunction;
  /**
   * The order of units within a kind in read(): by `data` (the default with `symmetry`) or by
   * `index` (the default without). `symmetry` with `index` is not symmetric: it exists so that
   * a test can show the equivariance check catching it. No constant sets it.
   */
  readonly readOrder?: 'index' | 'data';
};

/** The options a spec's constants stand for (a constant left out, as by a spec written before it existed, stays at its default). */
export function optionsFromConstants(c: Partial<MigrationConstants>): MigrationOptions {
  const o: Record<string, unknown> = {};
  for (const n of CONSTANT_NAMES) if (c[n] !== undefined) o[optionKey(n)] = c[n];
  // Built key by key: each value is MigrationConstants[n] under the key OptionKey<n>.
  return o as MigrationOptions;
}

/** A numeric option in its constant's min..max (options given in code do not pass through the CLI's check of the constant). */
function bounded(n: 'UNITS' | 'MAX_VERSION' | 'MAX_FDS', v: number): number {
  const { min, max } = MIGRATION_CONSTANTS[n];
  if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError(`${n}: ${v} is not in ${min}..${max}`);
  return v;
}

/** Resolves options into a configuration; bad names and values are ConfigErrors (exit 150). */
export function migrationConfig(o: MigrationOptions = {}): MigrationConfig & { readonly user: UserModel } {
  const C = MIGRATION_CONSTANTS;
  const driver = driverProfile(o.driver ?? C.DRIVER.default);
  const user = userModel(o.user ?? C.USER.default);
  const kernel = kernelProfile(o.kernel ?? C.KERNEL.default);
  let asked: FeatureSet;
  try {
    asked = parseFeatures(o.features ?? C.FEATURES.default);
  } catch (e) {
    throw new ConfigError(`FEATURES: ${(e as Error).message}`);
  }
  // A flag asked for by name that the kernel does not know is a mistake, not a device without it ('all' asks for what there is).
  const unknownToKernel = o.features !== undefined && o.features.trim() !== 'all'
    ? asked.split('|').filter((f) => f !== 'STOP_COPY' && !(kernel.flags as readonly string[]).includes(f)) : [];
  if (unknownToKernel.length > 0)
    throw new ConfigError(`FEATURES: kernel ${kernel.name} knows no ${unknownToKernel.join(', ')} flag (it knows ${kernelFeatureSets(kernel).join(', ')})`);
  // The devices report the flags asked for that the driver has and the kernel knows (STOP_COPY always, FEAT-2, FEAT-4).
  const claimed = driver.flags.filter((f) => kernel.flags.includes(f)).reduce((m, f) => m | FLAG_BIT[f], FLAG_BIT.STOP_COPY);
  const mask = featureBits(asked) & claimed;
  const features = FLAGS.filter((f) => (mask & FLAG_BIT[f]) !== 0).join('|') as FeatureSet;
  const units = bounded('UNITS', o.units ?? C.UNITS.default);
  const maxVersion = bounded('MAX_VERSION', o.maxVersion ?? C.MAX_VERSION.default);
  const di = o.detectIncomplete ?? C.DETECT_INCOMPLETE.default;
  const detect: readonly string[] = C.DETECT_INCOMPLETE.values;
  if (!detect.includes(di)) throw new ConfigError(`DETECT_INCOMPLETE: '${di}' is not one of ${detect.join(', ')}`);
  const maxFds = bounded('MAX_FDS', o.maxFds ?? C.MAX_FDS.default);
  const arcFailures = o.arcFailures ?? C.ARC_FAILURES.default;
  const failToError = o.failToError ?? C.FAIL_TO_ERROR.default;
  if (failToError && !arcFailures) throw new ConfigError('FAIL_TO_ERROR needs ARC_FAILURES (an arc failure is what may move the device to ERROR)');
  const table = o.table === undefined ? kernel.table : typeof o.table === 'string' ? (o.table.trim() === '' || o.table.trim() === C.TABLE.default ? kernel.table : tableFor(o.table)) : o.table;
  const step = o.step ?? kernel.step;
  const supported = (s: MigState) => isSupported(table, features, s);
  return {
    driver,
    user,
    features,
    bounds: { units, maxVersion },
    detectsIncomplete: di === 'driver' ? driver.detectsIncomplete : di === 'yes',
    ...(di === 'driver' && driver.resumeCheck !== undefined ? { resumeCheck: driver.resumeCheck } : {}),
    reinit: o.reinit ?? C.REINIT.default,
    switchoverAck: o.switchoverAck ?? C.SWITCHOVER_ACK.default,
    history: o.history ?? C.HISTORY.default,
    symmetric: o.symmetry ?? C.SYMMETRY.default,
    readOrder: o.readOrder ?? (o.symmetry ? 'data' : 'index'),
    table,
    kernel,
    step,
    maxFds,
    arcFailures,
    failToError,
    // Forward first: among traces of equal length the search then shows the migration's own order.
    srcTargets: (['PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY', 'STOP', 'RUNNING_P2P', 'RUNNING'] as const).filter(supported),
    dstTargets: (['RESUMING', 'STOP', 'RUNNING_P2P', 'RUNNING'] as const).filter(supported),
    plan: planner(table, features, step, o.walk ?? walk),
  };
}

type Prop = {
  readonly check: (b: MigrationState, a: MigrationState, step: Step) => boolean;
  readonly doc: string;
  readonly clause: string;
  readonly level: Level;
  /** The actions whose steps can break it (those making one uAPI call); absent: every step. The check itself holds on the others too. */
  readonly actions?: readonly string[];
};

/** STOP or STOP_COPY: the states in which a device does not change (FSM-2). */
const isStopped = (x: MigState): boolean => x === 'STOP' || x === 'STOP_COPY';
/** Every unit holds the same version in both (a loop: properties run on every step). */
function sameUnits(x: readonly number[], y: readonly number[]): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The headline properties, each a positive claim with the fact it checks (docs/vfio-model.md). */
export function migrationProperties(cfg: MigrationConfig, callOf: (action: string) => UapiCall | undefined, actionsOf?: (c: UapiCall) => readonly string[]): Record<string, Prop> {
  const calls = (step: { action: string }, c: UapiCall) => callOf(step.action) === c;
  // A property about one call is judged by the engine only on the steps of the actions that
  // make it (spec `actions`), when the model's action list is known.
  const on = (...cs: UapiCall[]): { actions?: readonly string[] } => (actionsOf ? { actions: cs.flatMap((c) => actionsOf(c)) } : {});
  // Whether a step makes call c, in a property scoped to c's actions (`on(c)`): known true when
  // the engine scopes it (only those steps reach the check), else tested.
  const makes: (step: { action: string }, c: UapiCall) => boolean = actionsOf ? () => true : calls;
  // precopy_info's answer in the state before, kept for the other successors of that state (Step.from).
  let infoFrom: number | undefined;
  let infoOf: Readonly<MigrationState> | undefined;
  let info: InfoResult | undefined;
  const answerBefore = (b: Readonly<MigrationState>, st: Step): InfoResult => {
    if (st.from !== undefined && st.from === infoFrom && b === infoOf) return info!;
    infoFrom = st.from;
    infoOf = b;
    return (info = srcPrecopyInfoResult(b, cfg));
  };
  return {
    EverySetReturns: {
      doc: 'every SET_STATE returns: the kernel\'s next-step loop and the driver\'s walk reach the target or refuse it',
      clause: 'KERN-1', level: 'IMPL',
      check: (b, a) => b.hung || !a.hung,
    },
    NoLostMandatoryData: {
      doc: 'when the destination completes RESUMING->STOP after the user read the source\'s session to its end and forwarded all of it, the destination holds the source\'s state as of the moment the source stopped (the whole initial data set included)',
      clause: 'DATA-9', level: 'MUST', ...on('dst.set'),
      check: (b, a, st) => !makes(st, 'dst.set') || !loadedStream(b, a) || !userCompleted(b) || sameUnits(a.dst.units, a.src.units),
    },
    PrecopyInfoOnlyInPreCopy: {
      doc: 'VFIO_MIG_GET_PRECOPY_INFO succeeds only in PRE_COPY and PRE_COPY_P2P',
      clause: 'PRECOPY-2', level: 'SHOULD', ...on('src.precopy_info'),
      check: (b, _a, st) => !makes(st, 'src.precopy_info') || !srcPrecopyInfoResult(b, cfg, inFlagsOf(st)).ok || inPreCopy(b.src.state),
    },
    NoEnomsgInStopCopy: {
      doc: 'read() never returns ENOMSG while the device is in STOP_COPY',
      clause: 'DATA-8', level: 'MUST NOT', ...on('src.read'),
      check: (b, _a, st) => {
        if (!makes(st, 'src.read') || b.src.state !== 'STOP_COPY') return true;
        const r = srcReadResult(b, cfg);
        return !(r.kind === 'errno' && r.errno === 'ENOMSG');
      },
    },
    EofIsPermanent: {
      doc: 'once read() returned 0 in STOP_COPY, every later read() of that session returns 0',
      clause: 'DATA-7', level: 'MUST', ...on('src.read'),
      check: (b, _a, st) => !makes(st, 'src.read') || b.src.state !== 'STOP_COPY' || !b.src.eof || !b.src.live || srcReadResult(b, cfg).kind === 'eof',
    },
    StoppedDeviceDoesNotChange: {
      doc: 'a device in STOP or STOP_COPY does not change its internal state, on the arc into STOP or STOP_COPY as well (the destination\'s RESUMING->STOP loads the stream, DATA-4)',
      clause: 'FSM-2', level: 'MUST',
      check: (b, a) =>
        !(isStopped(a.src.state) && !sameUnits(b.src.units, a.src.units)) &&
        !(a.dst.state === 'STOP' && b.dst.state !== 'RESUMING' && !sameUnits(b.dst.units, a.dst.units)),
    },
    InitialBytesNeverGrowWithoutReinit: {
      doc: 'within a session, the initial_bytes precopy_info would answer never grows from one state to the next unless the answer reports REINIT',
      clause: 'PRECOPY-5', level: 'SHOULD',
      check: (b, a, st) => {
        if (!b.src.live || !a.src.live || !inPreCopy(b.src.state) || !inPreCopy(a.src.state)) return true;
        // The answer is a function of the source alone: a step that left the source as it was
        // (the destination's steps, a call that failed) gives the answer it had before.
        if (st.unchanged?.('src') === true) return true;
        const was = answerBefore(b, st);
        const now = srcPrecopyInfoResult(a, cfg);
        return !was.ok || !now.ok || now.reinit || now.initial <= was.initial;
      },
    },
    DirtyBytesStartAtZero: {
      doc: 'dirty_bytes is 0 until the device changes something after the initial data set was taken (at session start, or at REINIT)',
      clause: 'PRECOPY-7', level: 'INFO', ...on('src.precopy_info'),
      check: (b, _a, st) => {
        if (!makes(st, 'src.precopy_info')) return true;
        const r = answerBefore(b, st);
        return !r.ok || r.dirty === 0 || b.src.changed;
      },
    },
    ReinitOnlyAfterOptIn: {
      doc: 'precopy_info reports REINIT only after the user opted in with MIG_PRECOPY_INFOv2',
      clause: 'REINIT-3', level: 'MUST NOT', ...on('src.precopy_info'),
      check: (b, _a, st) => {
        if (!makes(st, 'src.precopy_info')) return true;
        const r = srcPrecopyInfoResult(b, cfg, inFlagsOf(st));
        return !r.ok || !r.reinit || b.src.optIn;
      },
    },
    OneSessionPerSavingStay: {
      doc: 'while the source stays in the saving group its session stays live (same data_fd); each entry into the group opens one',
      clause: 'SAVE-2', level: 'MUST',
      check: (b, a) => {
        const wasIn = inSavingGroup(b.src.state);
        const isIn = inSavingGroup(a.src.state);
        if (wasIn && isIn) return b.src.live && a.src.live;
        if (!wasIn && isIn) return a.src.live;
        return true;
      },
    },
    ResetReturnsToRunning: {
      doc: 'VFIO_DEVICE_RESET leaves the source in RUNNING, whatever state it was in',
      clause: 'ERR-4', level: 'MUST', ...on('src.reset'),
      check: (_b, a, st) => !makes(st, 'src.reset') || a.src.state === 'RUNNING',
    },
    ...(cfg.maxFds > 0 ? {
      ResetEndsEverySession: {
        doc: 'after VFIO_DEVICE_RESET no session of the source is live, a resuming one included: fds from before the reset are dead (judged on the fd slots)',
        clause: 'ERR-6', level: 'IMPL', ...on('src.reset'),
        check: (_b: MigrationState, a: MigrationState, st: { action: string }) => !makes(st, 'src.reset') || a.fds.every(isDeadSlot),
      },
    } : {}),
    ResetEndsSession: {
      doc: 'VFIO_DEVICE_RESET ends the source\'s saving session: its data_fd no longer hands out data',
      clause: 'ERR-6', level: 'IMPL', ...on('src.reset'),
      check: (_b, a, st) => !makes(st, 'src.reset') || !a.src.live,
    },
    DirtyBytesCountUnread: {
      doc: 'once the initial data is read, dirty_bytes counts at least the dirty data the driver holds unread',
      clause: 'PRECOPY-7', level: 'INFO', ...on('src.precopy_info'),
      check: (b, _a, st) => {
        if (!makes(st, 'src.precopy_info') || !inPreCopy(b.src.state)) return true;
        const r = answerBefore(b, st);
        return !r.ok || r.initial > 0 || r.dirty >= unread(b.src, 'dirty');
      },
    },
    NoEnomsgWhileSaving: {
      doc: 'read() does not answer ENOMSG (the temporary end of the pre-copy stream) while an asynchronous save is producing data',
      clause: 'PRECOPY-10', level: 'SHOULD', ...on('src.read'),
      check: (b, _a, st) => {
        if (!makes(st, 'src.read') || !b.src.pending) return true;
        const r = srcReadResult(b, cfg);
        return !(r.kind === 'errno' && r.errno === 'ENOMSG');
      },
    },
    InitialBytesZeroOnlyWhenRead: {
      doc: 'precopy_info answers initial_bytes 0 only once the initial data set has been read: QEMU\'s switchover-ack sends "initial data sent" when the count reaches 0 (QEMU-5)',
      clause: 'PRECOPY-5', level: 'SHOULD', ...on('src.precopy_info'),
      check: (b, _a, st) => {
        if (!makes(st, 'src.precopy_info') || !b.src.live || !inPreCopy(b.src.state)) return true;
        const r = answerBefore(b, st);
        return !r.ok || r.initial > 0 || unreadInitial(b.src) === 0;
      },
    },
    EndedSessionFdFails: {
      doc: 'read() and precopy_info on the fd of an ended session (a SET, a failed arc or a reset ended it) fail with an errno: no data, and no 0 that a user would take for the end of the stream',
      clause: 'SAVE-4', level: 'IMPL', ...on('src.read', 'src.precopy_info'),
      check: (b, _a, st) => {
        if (b.src.live || !b.src.held) return true;
        if (calls(st, 'src.read')) return srcReadResult(b, cfg).kind === 'errno';
        if (calls(st, 'src.precopy_info')) return !srcPrecopyInfoResult(b, cfg, inFlagsOf(st)).ok;
        return true;
      },
    },
    EofOnlyWhenNothingLeft: {
      doc: 'read() returns 0 in STOP_COPY only when the driver holds nothing more of the device\'s state: no change it tracked but did not capture, no save in flight (FSM-6: the end means the whole state was delivered)',
      clause: 'FSM-6', level: 'MUST', ...on('src.read'),
      check: (b, _a, st) => {
        if (!makes(st, 'src.read') || !b.src.live || b.src.state !== 'STOP_COPY') return true;
        return srcReadResult(b, cfg).kind !== 'eof' || (!b.src.pending && trackedCount(b.src) === 0);
      },
    },
    StreamInOrder: {
      doc: 'the destination receives each unit\'s records in the order of their versions and nothing after the end record (DATA-2); the user forwards records in the order it read them, so a violation is the source driver\'s',
      clause: 'DATA-2', level: 'MUST', ...on('dst.write'),
      check: (b, _a, st) => {
        if (!makes(st, 'dst.write') || b.link.kind === 'none' || b.dst.state !== 'RESUMING' || !b.dst.live) return true;
        if (b.dst.complete) return false;
        const k = b.link.kind;
        return k === 'header' || k === 'end' || b.link.version >= b.dst.units[b.link.unit];
      },
    },
    UserForwardsOneSession: {
      doc: 'the user writes to the destination only records of one source session, from its first record (SET-6, DATA-2): a violation is the user\'s',
      clause: 'DATA-2', level: 'USER-SHOULD', ...on('dst.write'),
      check: (b, _a, st) => !makes(st, 'dst.write') || b.link.kind === 'none' || !b.dst.live || b.dst.state !== 'RESUMING' || mayForward(b.link),
    },
    ...setProperties(cfg, calls, makes, on('src.set')),
  };
}

const isLiveSlot = (f: Readonly<FdSlot>): boolean => isLiveFile(f.file);
const isDeadSlot = (f: Readonly<FdSlot>): boolean => !isLiveSlot(f);

/** What the rules say of the walk from one state to a target (setProperties), worked out once per pair. */
interface WalkJudgement {
  /** The walk the SET dictates (MigrationConfig.plan). */
  readonly walk: PlannedWalk;
  /** Every arc is one the driver implements for its feature set (FSM-12). */
  readonly onlyMandatory: boolean;
  /** The walk does not reach its target, or takes no more arcs than the shortest path over the mandatory arcs (COMB-1). */
  readonly noLongerThanShortest: boolean;
  /** How often the path enters or leaves the saving group (COMB-2). */
  readonly groupChanges: number;
  /** The walk's final arc opens a session, and its data_fd comes back (SET-4). */
  readonly finalArcOpens: boolean;
  /** The newest kernel's table and loop (KERNEL_TABLE, nextStep) give the same outcome and path (COMB-3) … */
  readonly kernelWalksIt: boolean;
  /** … and what the kernel returns, and whether its final arc opens a session (data_fd). */
  readonly kernelReturns: 'OK' | 'EINVAL';
  readonly kernelFd: boolean;
}

/**
 * The properties of the source's SET, each a positive claim with its clause. They judge the
 * walk the SET dictated (a pure function of the state before and `lastSet.target`, so judged
 * once per pair: WalkJudgement) and what the SET did (`lastSet`) against the rules and
 * against the kernel's own table and loop (the newest kernel's, KERNEL_TABLE and nextStep). Those about fds judge the
 * fd slots, which exist for the control user (MAX_FDS); without slots they would hold on
 * every step and are left out, as an action a user never takes is (UserAction.offered).
 */
function setProperties(
  cfg: MigrationConfig,
  calls: (step: { action: string }, c: UapiCall) => boolean,
  makes: (step: { action: string }, c: UapiCall) => boolean,
  onSet: { actions?: readonly string[] },
): Record<string, Prop> {
  const { table, features } = cfg;
  const sg = table.savingGroup;
  const inSg = (x: MigState) => sg.includes(x);
  const mandatory = new Set(mandatoryArcs(table, features));
  const isSet = (st: { action: string }) => makes(st, 'src.set');
  /** The same fd slots hold a saving session in both states (a loop: judged on every step). */
  const sameSavingSlots = (x: Readonly<MigrationState>, y: Readonly<MigrationState>) => {
    for (let i = 0; i < x.fds.length; i++) if ((x.fds[i].file === 'SAVE') !== (y.fds[i].file === 'SAVE')) return false;
    return true;
  };
  // The reference for COMB-3: the newest kernel's table and next-step function, walked once per pair.
  const kernel = planner(KERNEL_TABLE, features, nextStep);
  // What the rules say of the walk a SET dictated depends on (state before, target) alone:
  // judged once per pair, the first time a SET asks (the walk and the kernel's are pure).
  const judged: (WalkJudgement | undefined)[] = new Array(STATES.length * STATES.length).fill(undefined);
  const judge = (cur: MigState, target: MigState): WalkJudgement => {
    const w = cfg.plan(cur, target);
    const k = kernel(cur, target);
    const d = shortestDistance(table, features, cur, target);
    return {
      walk: w,
      onlyMandatory: w.arcs.every((x) => mandatory.has(x)),
      noLongerThanShortest: w.outcome !== 'ok' || d === undefined || w.arcs.length <= d,
      groupChanges: savingGroupChanges(w.path, sg),
      finalArcOpens: w.arcs.length > 0 && opensSession(...arcEnds(w.arcs[w.arcs.length - 1]), sg) !== null,
      kernelWalksIt: k.outcome === w.outcome && k.path.join() === w.path.join(),
      kernelReturns: k.outcome === 'ok' ? 'OK' : 'EINVAL',
      kernelFd: k.outcome === 'ok' && k.arcs.length > 0 && opensSession(...arcEnds(k.arcs[k.arcs.length - 1])) !== null,
    };
  };
  // The SET properties of one step ask in turn for the same pair: the last answer is kept.
  let lastCur: MigState | undefined;
  let lastTarget: MigState | undefined;
  let last: WalkJudgement | undefined;
  /** The judgement of the walk of the SET that led from b to a. */
  const walkOf = (b: Readonly<MigrationState>, a: Readonly<MigrationState>): WalkJudgement => {
    const cur = b.src.state;
    const target = a.lastSet.target;
    if (cur === lastCur && target === lastTarget) return last!;
    const i = stateNumber(cur) * STATES.length + stateNumber(target);
    lastCur = cur;
    lastTarget = target;
    return (last = judged[i] ?? (judged[i] = judge(cur, target)));
  };
  return {
    SuccessfulSetReachesTarget: {
      doc: 'a SET that returns 0 has put the device in the requested state',
      clause: 'SET-1', level: 'MUST', ...onSet,
      check: (_b, a, st) => !isSet(st) || a.lastSet.ret !== 'OK' || a.src.state === a.lastSet.target,
    },
    EveryArcIsMandatory: {
      doc: 'every arc a walk takes is one the driver implements for its feature set',
      clause: 'FSM-12', level: 'INFO', ...onSet,
      check: (b, a, st) => !isSet(st) || walkOf(b, a).onlyMandatory,
    },
    PathsAreShortest: {
      doc: 'a successful walk takes no more arcs than the shortest path over the mandatory arcs',
      clause: 'COMB-1', level: 'SHOULD', ...onSet,
      check: (b, a, st) => !isSet(st) || walkOf(b, a).noLongerThanShortest,
    },
    SavingGroupMembershipChangesAtMostOnce: {
      doc: 'a walk enters or leaves the saving group at most once (no session opened and closed on the way)',
      clause: 'COMB-2', level: 'SHOULD', ...onSet,
      check: (b, a, st) => !isSet(st) || walkOf(b, a).groupChanges <= 1,
    },
    NewFdOnlyFromFinalArc: {
      doc: 'a session (and its new data_fd) is opened only by the final arc of a walk that reaches its target',
      clause: 'COMB-4', level: 'IMPL', ...onSet,
      check: (b, a, st) => {
        if (!isSet(st) || a.lastSet.openedAt < 0) return true;
        const w = walkOf(b, a).walk;
        return w.outcome === 'ok' && a.lastSet.openedAt === w.arcs.length - 1;
      },
    },
    DataFdOnlyWhenSessionStarts: {
      doc: 'a SET returns a data_fd exactly when its final arc starts a session; a failed SET returns -1',
      clause: 'SET-4', level: 'MUST', ...onSet,
      check: (b, a, st) => {
        if (!isSet(st)) return true;
        if (a.lastSet.ret !== 'OK') return a.lastSet.fd === -1;
        return walkOf(b, a).finalArcOpens === a.lastSet.fd >= 0;
      },
    },
    ...(cfg.maxFds > 0 ? {
      SessionUnchangedWithinSavingGroup: {
        doc: 'while the device stays in the saving group its saving session and data_fd stay the same (judged on the fd slots)',
        clause: 'SAVE-2', level: 'MUST',
        check: (b: MigrationState, a: MigrationState) => !(inSg(b.src.state) && inSg(a.src.state)) || sameSavingSlots(b, a),
      },
    } : {}),
    ErrorIsNeverRequestable: {
      doc: 'SET_STATE(ERROR) fails with EINVAL and changes nothing',
      clause: 'ERR-1', level: 'MUST', ...onSet,
      check: (b, a, st) => !isSet(st) || a.lastSet.target !== 'ERROR' || b.src.state === 'ERROR' || (a.lastSet.ret === 'EINVAL' && a.src.state === b.src.state),
    },
    OnlyResetLeavesError: {
      doc: 'a device in ERROR stays there until VFIO_DEVICE_RESET',
      clause: 'ERR-4', level: 'MUST',
      check: (b, a, st) => b.src.state !== 'ERROR' || calls(st, 'src.reset') || a.src.state === 'ERROR',
    },
    SetFromErrorFails: {
      doc: 'in ERROR every SET but SET_STATE(ERROR) fails with EINVAL; SET_STATE(ERROR) is a no-op',
      clause: 'ERR-5', level: 'IMPL', ...onSet,
      check: (b, a, st) => !isSet(st) || b.src.state !== 'ERROR' || (a.lastSet.done === 0 && a.lastSet.ret === (a.lastSet.target === 'ERROR' ? 'OK' : 'EINVAL')),
    },
    StopCopyToPreCopyRefused: {
      doc: 'STOP_COPY->PRE_COPY and STOP_COPY->PRE_COPY_P2P are refused and leave the device in STOP_COPY',
      clause: 'FSM-11', level: 'MUST', ...onSet,
      check: (b, a, st) => !isSet(st) || b.src.state !== 'STOP_COPY' || !(a.lastSet.target === 'PRE_COPY' || a.lastSet.target === 'PRE_COPY_P2P') || (a.lastSet.ret === 'EINVAL' && a.src.state === 'STOP_COPY'),
    },
    FailedSetStopsOnItsPath: {
      doc: 'after a failed arc the device is in a state the walk had reached (or ERROR, ERR-2), with the effects of the arcs done',
      clause: 'SET-3', level: 'MAY', ...onSet,
      check: (b, a, st) => {
        if (!isSet(st) || a.lastSet.ret !== 'EIO') return true;
        if (a.src.state === 'ERROR') return a.lastSet.toError;
        // One of the states the walk reached before the arc that failed (path[0..done]).
        const at = walkOf(b, a).walk.path.indexOf(a.src.state);
        return at >= 0 && at <= a.lastSet.done;
      },
    },
    SetMatchesKernel: {
      doc: 'every SET walks the kernel\'s path and, unless an arc failed, returns what the kernel returns (result and data_fd)',
      clause: 'COMB-3', level: 'IMPL', ...onSet,
      check: (b, a, st) => {
        if (!isSet(st)) return true;
        const w = walkOf(b, a);
        if (!w.kernelWalksIt) return false;
        if (a.lastSet.ret === 'EIO') return true;
        return w.kernelReturns === a.lastSet.ret && w.kernelFd === a.lastSet.fd >= 0;
      },
    },
  };
}

/** The names of the device's own steps: what no log of uAPI calls shows (model/replay reads them as hidden steps). */
export const DEVICE_ACTIONS = ['DeviceDirty', 'DeviceReinit', 'DriverSaveDone', 'DriverEvent', 'DriverAsyncError'] as const;
type DeviceAction = (typeof DEVICE_ACTIONS)[number];
type DeviceActions = Partial<Record<DeviceAction, UserAction<any>>>;

/**
 * The device's own steps, in the order the checker tries them after the user's. A step only
 * some drivers can take is an action only for them: re-initialising (the driver's `reinit`
 * hook, and REINIT), completing an asynchronous save (`saveDone`), the driver's own `event`,
 * its own move to ERROR (`asyncError`).
 * Offered to a driver that cannot take it, its guard would be false in every state and the
 * run would warn that it never fired (the warning meant for a misspelt guard); leaving it
 * out adds and removes no state, as its guard is never true there.
 */
function deviceActions(cfg: MigrationConfig, dataSteps: boolean): DeviceActions {
  const units = Array.from({ length: cfg.bounds.units }, (_, u) => u);
  const ev = cfg.driver.event;
  const event: DeviceActions = ev
    ? {
      DriverEvent: {
        call: 'device',
        enabled: (s) => ev.enabled(s.src),
        next: (s) => { ev.apply(s.src); },
        label: () => `src: driver: ${ev.label}`,
        doc: ev.doc,
      },
    }
    : {};
  const ae = cfg.driver.asyncError;
  const asyncError: DeviceActions = ae
    ? {
      DriverAsyncError: {
        call: 'device',
        enabled: (s) => ae.states.includes(s.src.state),
        next: (s) => { driverAsyncError(s); },
        label: (_p, b) => `src: driver: ${ae.label} (device in ERROR${b.src.live ? '; the saving session ended' : ''})`,
        doc: ae.doc,
      },
    }
    : {};
  // A re-initialisation happens only in a PRE_COPY state (REINIT-5): a device without PRE_COPY has none.
  const reinit: DeviceActions = dataSteps && cfg.reinit && cfg.driver.reinit !== undefined && isSupported(cfg.table, cfg.features, 'PRE_COPY')
    ? {
      DeviceReinit: {
        call: 'device',
        enabled: (s) => canReinit(s.src, cfg.driver),
        next: (s) => { deviceReinit(s.src, cfg.driver); },
        label: (_p, b, a) => `src: device re-initialises its migration data (precopy_info would answer ${showInfo(srcPrecopyInfoResult(b, cfg))} before, ${showInfo(srcPrecopyInfoResult(a, cfg))} now)`,
        doc: 'the device starts its migration data over (REINIT-5)',
      },
    }
    : {};
  const save: DeviceActions = cfg.driver.saveDone !== undefined && dataSteps
    ? {
      DriverSaveDone: {
        call: 'device',
        enabled: (s) => canSaveDone(s.src, cfg.driver),
        next: (s) => { saveDone(s.src, cfg.driver, cfg.history); },
        label: (_p, b) => `src: driver completes the asynchronous ${b.src.state === 'STOP_COPY' ? 'STOP_COPY' : 'pre-copy'} save`,
        doc: 'an asynchronous save produces its data (DATA-10; mlx5\'s pre-copy SAVE issued by precopy_info too)',
      },
    }
    : {};
  const dirty: DeviceActions = dataSteps
    ? {
      DeviceDirty: {
        call: 'device',
        params: units,
        enabled: (s, u: number) => canDirty(s.src, u, cfg.bounds.maxVersion, cfg.driver),
        next: (s, u: number) => { deviceDirty(s.src, u, cfg.driver); },
        label: (u: number, _b, a) => `src: device dirties unit ${u} (now v${a.src.units[u]})`,
        doc: 'the running device changes a unit of its state (FSM-1)',
      },
    }
    : {};
  return {
    ...dirty,
    ...reinit,
    ...save,
    ...event,
    ...asyncError,
  };
}

/**
 * The driver's own move to ERROR (DriverProfile.asyncError, ERR-7): the live session ends as
 * on a failed arc that ends it (the driver put its files; the user's fd, if it holds one, is
 * now an ended session's), fd slots included, and the device caches ERROR.
 */
function driverAsyncError(s: MigrationState): void {
  failedArc(s.src, true);
  if (s.fds.length > 0) endSlots(s.fds);
  s.link.drained = false;
  s.src.state = 'ERROR';
}

/**
 * Which uAPI call an action makes, by the action's name. Every property asks it for the same
 * step in turn, so the last answer is kept (the engine passes the same name string each time).
 */
export function callLookup(actions: Readonly<Record<string, { readonly call?: UapiCall }>>): (action: string) => UapiCall | undefined {
  let lastAction: string | undefined;
  let lastCall: UapiCall | undefined;
  return (name) => {
    if (name !== lastAction) {
      lastAction = name;
      lastCall = actions[name]?.call;
    }
    return lastCall;
  };
}

/** The names of the actions that make a uAPI call, in declaration order (a property's `actions`). */
export const actionsMaking = (actions: Readonly<Record<string, { readonly call?: UapiCall }>>) => (c: UapiCall): string[] =>
  Object.keys(actions).filter((k) => actions[k].call === c);

/** The actions a user offers in this configuration (UserAction.offered), without the flag. */
function offeredActions(all: Readonly<Record<string, UserAction<any>>>): Record<string, UserAction<any>> {
  const out: Record<string, UserAction<any>> = {};
  for (const [k, { offered, ...a }] of Object.entries(all)) if (offered !== false) out[k] = a;
  return out;
}

/** The migration model for some options: a plain model object (spread it to add invariants or properties). */
export function migrationModel(o: MigrationOptions = {}) {
  const cfg = migrationConfig(o);
  const b: StreamBounds = cfg.bounds;
  // After a SET that never returns (`hung`, KERN-1) every action is disabled (below).
  const state = migrationSchema(cfg, cfg.user.state ? cfg.user.state(cfg) : t.record({}));
  const userActions = offeredActions(cfg.user.actions(cfg));
  // A user that never reads the stream (the control user) runs without the device's data steps:
  // changes it never observes would only multiply states.
  const devActions = deviceActions(cfg, cfg.user.dataSteps !== false);
  for (const k of Object.keys(devActions))
    if (k in userActions) throw new ConfigError(`user ${cfg.user.name}: action name ${k} is taken by the device`);
  // After a SET that never returns, the user's thread is stuck in the kernel and the
  // device's state mutex is held: nothing else happens (the state is terminal, not a deadlock).
  // Under SYMMETRY the link names no unit (NONE) when its record is not a unit's, whatever
  // the action did with it (uapi.ts linkSchema): one place, after every step.
  const symmetric = cfg.symmetric === true;
  const unitless = (s: MigrationState) => { if (!linkNamesUnit(s.link)) s.link.unit = NONE; };
  const actions: Record<string, UserAction<any>> = Object.fromEntries(
    Object.entries({ ...userActions, ...devActions }).map(([k, a]) => {
      const own = a.enabled;
      return [k, {
        ...a,
        enabled: own ? (s: MigrationState, p: unknown) => !s.hung && own(s, p) : (s: MigrationState) => !s.hung,
        ...(symmetric ? { next: (s: MigrationState, p: unknown) => { const r = a.next(s, p); unitless((r ?? s) as MigrationState); return r; } } : {}),
      }];
    }),
  );
  const callOf = callLookup(actions);
  const init: MigrationState = {
    src: initialSource(b, cfg.driver),
    dst: initialDestination(b),
    link: symmetric ? { ...initialLink(), unit: NONE } : initialLink(),
    user: cfg.user.init ? cfg.user.init(cfg) : {},
    hung: false,
    fds: Array.from({ length: cfg.maxFds }, (): FdSlot => ({ held: false, file: 'NONE' })),
    lastSet: initialLastSet(),
  };
  const userTerminal = cfg.user.terminal;
  // The destination as the view sees it outside RESUMING: an idle device (its `held` kept).
  const { held: _held, ...idleDst } = initialDestination(b);
  // lastSet only describes the step that led to a state: states that differ only in it are one state.
  const blankLastSet = { lastSet: initialLastSet() };
  const blankDestination = { dst: idleDst, ...blankLastSet };
  return model({
    state,
    init,
    // Units are interchangeable only when read() does not prefer a unit by its number
    // (SYMMETRY; without it read() goes in index order, which a permutation changes).
    ...(symmetric ? { symmetry: [unitType(b)] } : {}),
    actions,
    invariants: {
      DataSizeAnsweredInEveryState: {
        doc: 'VFIO_DEVICE_FEATURE_MIG_DATA_SIZE answers a size in every state of the source',
        clause: 'SIZE-2', level: 'INFO',
        check: (s) => {
          const n = cfg.driver.dataSize(s.src);
          return Number.isInteger(n) && n >= 0;
        },
      },
      // Judged on the fd slots: without them (MAX_FDS 0) they would hold in every state and are left out.
      ...(cfg.maxFds > 0 ? {
        AtMostOneLiveSession: {
          doc: 'at most one migration session of the source is live at any time (judged on the fd slots)',
          clause: 'SAVE-5', level: 'IMPL',
          check: (s: MigrationState) => s.fds.filter(isLiveSlot).length <= 1,
        },
        SessionOnlyInItsStates: {
          doc: 'a saving session is live only in the saving group, a resuming one only in RESUMING (or ERROR, where nothing is promised; judged on the fd slots)',
          clause: 'SAVE-3', level: 'INFO',
          check: (s: MigrationState) => s.fds.every((f) => (f.file === 'SAVE' ? cfg.table.savingGroup.includes(s.src.state) || s.src.state === 'ERROR' : f.file === 'RESUME' ? s.src.state === 'RESUMING' || s.src.state === 'ERROR' : true)),
        },
      } : {}),
    },
    properties: migrationProperties(cfg, callOf, actionsMaking(actions)),
    terminal: (s) => s.hung || (userTerminal ? userTerminal(s, cfg) : false),
    // Outside RESUMING the destination's state, contents and completeness no longer matter:
    // every walk from RUNNING, RUNNING_P2P or STOP has the same effect, write() fails, and the
    // units are blanked when the next resuming session opens. States that differ only there
    // are one state for the search (invariants added on top must not read them). An overlay
    // view: the engine blanks those fields on the packed state, with no object built per state.
    view: {
      overlay: (s) => (s.dst.state === 'RESUMING' ? blankLastSet : blankDestination),
    },
  });
}

/**
 * What a migration spec file declares: defaults for the constants, and its expected results.
 * A profile object given as an option (driver, user, kernel) need not be in a registry:
 * setup() uses it while its constant holds its name.
 */
export interface MigrationSpecOptions extends MigrationOptions {
  readonly name: string;
  readonly doc: string;
  readonly expect?: readonly Expectation[];
}

/** A constant's default in a spec: the primitive type of its value, or one of its `values`. */
type DefaultOf<D> = D extends { readonly values: readonly (infer V)[] } ? V
  : D extends { readonly default: infer T } ? (T extends string ? string : T extends number ? number : T extends boolean ? boolean : never) : never;

/** MIGRATION_CONSTANTS with a spec's own defaults (migrationConstants). */
export type MigrationConstantDefs = { readonly [N in MigrationConstantName]: Omit<Declared[N], 'default'> & { readonly default: DefaultOf<Declared[N]> } };

/**
 * The name an option given as an object goes by in its constant: a driver, user or kernel
 * profile by its `name`, a next-step table by its `source`; undefined for a plain value.
 */
function objectName(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { name, source } = v as { name?: unknown; source?: unknown };
  return typeof name === 'string' ? name : typeof source === 'string' ? source : undefined;
}

/**
 * MIGRATION_CONSTANTS with the given options as their defaults; an option given as a profile
 * object makes its name the default (ownProfiles then hands setup() the object itself).
 */
export function migrationConstants(o: MigrationOptions = {}): MigrationConstantDefs {
  const out: Record<string, ConstDef> = {};
  for (const n of CONSTANT_NAMES) {
    const v = o[optionKey(n)];
    const def: ConstDef = MIGRATION_CONSTANTS[n];
    out[n] = v === undefined ? def : { ...def, default: objectName(v) ?? (v as ConstValue) };
  }
  // Built key by key: each entry is MIGRATION_CONSTANTS[n] with a default of the same type.
  return out as MigrationConstantDefs;
}

/**
 * The options given as objects (profiles, a table) whose names the constants still hold: the objects,
 * which need not be in a registry (a constant set to another name leaves them out).
 */
function ownProfiles(o: MigrationOptions, c: Partial<MigrationConstants>): MigrationOptions {
  const out: Record<string, unknown> = {};
  for (const n of CONSTANT_NAMES) {
    const k = optionKey(n);
    const v = o[k];
    const name = objectName(v);
    if (name !== undefined && c[n] === name) out[k] = v;
  }
  // Built key by key, from values of `o` under their own keys.
  return out as MigrationOptions;
}

/** A spec over the migration model whose constants default to the given options. */
export function migrationSpec(o: MigrationSpecOptions) {
  return defineSpec({
    name: o.name,
    doc: o.doc,
    constants: migrationConstants(o),
    setup: (c) => migrationModel({
      ...optionsFromConstants(c),
      // The options no constant sets.
      ...(o.readOrder !== undefined ? { readOrder: o.readOrder } : {}),
      ...(o.step !== undefined ? { step: o.step } : {}),
      ...(o.walk !== undefined ? { walk: o.walk } : {}),
      ...ownProfiles(o, c),
    }),
    expect: o.expect ?? [],
  });
}

/** A kernel bug and its fix, for the regression suite (specs/vfio/history/). */
export interface KernelBug {
  /** The fix's subject line. */
  readonly title: string;
  /** The fix's mainline commit (12 hex digits). */
  readonly commit: string;
  /** The first release with the fix. */
  readonly release: string;
  /** The property the broken twin fails. */
  readonly property: string;
}

/** A history spec: one bug, the model before the fix beside the model after it. */
export interface HistorySpecOptions {
  readonly name: string;
  readonly doc: string;
  readonly bug: KernelBug;
  /** Options both twins share (units, features, …); a user object here is the USER constant's default. */
  readonly common?: MigrationOptions;
  /** What differs before the fix (a driver or kernel profile) and after it. */
  readonly broken: MigrationOptions;
  readonly fixed: MigrationOptions;
  readonly expect: readonly Expectation[];
}

/**
 * A spec with a TWIN constant, `broken` (default) or `fixed`, and the user. The expect block
 * pins the broken twin's violation and trace and the fixed twin's result.
 */
export function historySpec(o: HistorySpecOptions) {
  const names = (x: MigrationOptions) =>
    [x.driver && (typeof x.driver === 'string' ? x.driver : x.driver.name), x.kernel && (typeof x.kernel === 'string' ? x.kernel : x.kernel.name)].filter(Boolean).join(', ');
  const common = o.common ?? {};
  return defineSpec({
    name: o.name,
    doc: `${o.doc} Fixed by ${o.bug.commit} "${o.bug.title}" (${o.bug.release}); the broken twin fails ${o.bug.property}.`,
    constants: {
      TWIN: { default: 'broken', values: ['broken', 'fixed'], doc: `broken: ${names(o.broken)}; fixed: ${names(o.fixed)}` },
      USER: migrationConstants(common).USER,
    },
    setup: ({ TWIN, USER }) =>
      migrationModel({ ...common, ...(TWIN === 'fixed' ? o.fixed : o.broken), user: USER, ...ownProfiles({ user: common.user }, { USER }) }),
    expect: o.expect,
  });
}
