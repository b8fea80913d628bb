// Replaying a parsed log against the VFIO model: one model instance per migrating device
// (each device's events, source and destination side, in log order), one run per driver and
// user profile asked for, and the explanation of a departure in the uAPI's terms (clause,
// level, its text, the party to blame). The search is the checker's replayLog; the matching
// is validate.ts.

import { Successors, replayLog, type Instance, type ReplayVerdict, type ValidateOptions } from '../../checker/index.js';
import { CLAUSE_CATALOGUE, clauseText, type Party } from '../wording/clauses.js';
import { inPreCopy, inSavingGroup } from '../states.js';
import type { MigrationState } from '../datapath/uapi.js';
import type { ReplayEvent, Side } from './events.js';
import type { WitnessStep } from '../../checker/index.js';
import { modelKind, vfioObserver } from './validate.js';

/** One migrating device: its events from both ends, as the log names them. */
export interface DeviceLog {
  /** `0000:17:00.1`, or `src -> dst` when the two ends have different names. */
  readonly name: string;
  readonly sides: readonly Side[];
  readonly events: readonly ReplayEvent[];
}

/**
 * Splits a log by device. Events of one name (on either side) are one migration; when the log
 * has exactly one source name and one destination name (migcheck's own traces: `src`, `dst`;
 * two QEMU traces of one device under two addresses), they are the two ends of one migration.
 */
export function splitDevices(events: readonly ReplayEvent[]): DeviceLog[] {
  const bySide = { source: new Set<string>(), destination: new Set<string>() };
  for (const e of events) bySide[e.side].add(e.device);
  const [onlySrc] = bySide.source;
  const [onlyDst] = bySide.destination;
  const pair = bySide.source.size === 1 && bySide.destination.size === 1 ? (onlySrc === onlyDst ? onlySrc : `${onlySrc} -> ${onlyDst}`) : undefined;
  const groups = new Map<string, ReplayEvent[]>();
  for (const e of events) {
    const key = pair ?? e.device;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(e);
  }
  return [...groups].map(([name, evs]) => ({ name, sides: (['source', 'destination'] as const).filter((s) => evs.some((e) => e.side === s)), events: evs }));
}

/** Why a replay departed, in the uAPI's words. */
export interface Explanation {
  /** The model's property the event breaks, when one is known. */
  readonly property?: string;
  readonly clause?: string;
  readonly level?: string;
  /** The clause's statement (model/wording/clauses.ts), or the property's doc. */
  readonly text?: string;
  readonly party: Party | 'unknown';
  /** One sentence: why this party. */
  readonly why: string;
}

export type DeviceVerdict = ReplayVerdict<unknown, ReplayEvent>;

export interface ReplayRun {
  readonly constants: Readonly<Record<string, unknown>>;
  readonly verdict: DeviceVerdict;
  readonly explanation?: Explanation;
  /** The properties the witness run put to the test (a step of the call each is about), for a conforming log. */
  readonly exercised?: readonly string[];
}

export interface ReplayDeviceOptions extends ValidateOptions {
  /** Compare exactly (logs made from the model). */
  readonly exact: boolean;
  /** Judge steps by only these invariants and properties (default all), as `check --invariant`. */
  readonly invariants?: readonly string[];
  /** Calls the log's format may leave out (validate.ts QEMU_UNTRACED for QEMU traces). */
  readonly untraced?: readonly ReplayEvent['call'][];
}

/** Replays one device's events against one instance. */
export function replayDevice(inst: Instance<unknown>, dev: DeviceLog, o: ReplayDeviceOptions): ReplayRun {
  const succ = new Successors(inst, { invariants: o.invariants });
  const observer = vfioObserver(inst, { exact: o.exact, sides: new Set(dev.sides), untraced: o.untraced });
  const verdict = replayLog(succ, observer, dev.events, o);
  return {
    constants: inst.constants, verdict,
    explanation: verdict.kind === 'departs' ? explainDeparture(inst, verdict) : undefined,
    exercised: verdict.kind === 'conforms' && modelKind(inst) === 'migration' ? exercised(verdict.witness as readonly WitnessStep<MigrationState>[], inst) : undefined,
  };
}

/**
 * Which of the migration model's properties a witness put to the test: a step of the kind each
 * property is about (model/datapath/migration.ts: the call or the states its check looks at), so that a
 * conforming log says what it showed, not only that nothing failed.
 */
const EXERCISED_BY: Readonly<Record<string, (b: MigrationState, a: MigrationState, action: string, call: string | undefined) => boolean>> = {
  NoLostMandatoryData: (b, a, _x, call) => call === 'dst.set' && b.dst.state === 'RESUMING' && a.dst.state !== 'RESUMING',
  PrecopyInfoOnlyInPreCopy: (_b, _a, _x, call) => call === 'src.precopy_info',
  NoEnomsgInStopCopy: (b, _a, _x, call) => call === 'src.read' && b.src.state === 'STOP_COPY',
  EofIsPermanent: (b, _a, _x, call) => call === 'src.read' && b.src.state === 'STOP_COPY' && b.src.eof,
  StoppedDeviceDoesNotChange: (b) => b.src.state === 'STOP' || b.src.state === 'STOP_COPY' || b.dst.state === 'STOP',
  InitialBytesNeverGrowWithoutReinit: (b, a) => b.src.live && a.src.live && inPreCopy(b.src.state) && inPreCopy(a.src.state),
  DirtyBytesStartAtZero: (_b, _a, _x, call) => call === 'src.precopy_info',
  ReinitOnlyAfterOptIn: (_b, _a, _x, call) => call === 'src.precopy_info',
  OneSessionPerSavingStay: (b, a) => inSavingGroup(a.src.state) && (inSavingGroup(b.src.state) || !b.src.live),
  DataSizeAnsweredInEveryState: () => true,
};

function exercised(w: readonly WitnessStep<MigrationState>[], inst: Instance<unknown>): string[] {
  const callOf = new Map(inst.actions.map((a) => [a.name, (a.def as { call?: string }).call]));
  const names = [...inst.invariants, ...inst.properties].map((p) => p.name);
  return names.filter((n) => {
    const by = EXERCISED_BY[n];
    return by !== undefined && w.some((st, k) => k > 0 && w[k - 1] && by(w[k - 1].state, st.state, st.action, callOf.get(st.action)));
  });
}

const propertyMeta = (inst: Instance<unknown>, name: string) =>
  [...inst.properties, ...inst.invariants].find((p) => p.name === name);

/**
 * The property a departing event breaks, judged on the states the log left the model in,
 * for the behaviours the uAPI names (the broken logs of issue 11): ENOMSG in STOP_COPY,
 * data after the end of stream, precopy_info answered outside PRE_COPY, a new data_fd while
 * the session is live. Undefined when the event breaks none of them.
 */
function brokenByEvent(states: readonly unknown[], e: ReplayEvent): string | undefined {
  const ms = states as readonly MigrationState[];
  if (ms.length === 0 || e.side !== 'source') return undefined;
  const all = (p: (s: MigrationState) => boolean) => ms.every(p);
  switch (e.call) {
    case 'read':
      if (e.errno === 'ENOMSG' && all((s) => s.src.state === 'STOP_COPY')) return 'NoEnomsgInStopCopy';
      if (!e.errno && !e.empty && e.bytes !== 0 && all((s) => s.src.state === 'STOP_COPY' && s.src.eof)) return 'EofIsPermanent';
      return undefined;
    case 'precopy_info':
      return !e.errno && all((s) => !inPreCopy(s.src.state)) ? 'PrecopyInfoOnlyInPreCopy' : undefined;
    case 'set_state':
      return !e.errno && typeof e.data_fd === 'number' && inSavingGroup(e.target) && all((s) => s.src.live && inSavingGroup(s.src.state))
        ? 'OneSessionPerSavingStay'
        : undefined;
    default:
      return undefined;
  }
}

/** Clause, text and party for a departure. */
export function explainDeparture(inst: Instance<unknown>, v: Extract<DeviceVerdict, { kind: 'departs' }>): Explanation {
  const name = v.broken?.name ?? (modelKind(inst) === 'migration' ? brokenByEvent(v.states, v.observation) : undefined);
  if (name) {
    const meta = propertyMeta(inst, name);
    const clause = meta?.clause;
    const def = clause ? CLAUSE_CATALOGUE[clause] : undefined;
    const level = meta?.level ?? def?.level;
    const party: Party | 'unknown' = def?.party ?? (v.near.length ? 'kernel/driver' : 'unknown');
    return {
      property: name, clause, level,
      text: def ? clauseText(def, def.level) : meta?.doc,
      party,
      why: v.broken
        ? `the model makes this step only by breaking ${name}`
        : `the ${party === 'userspace' ? 'VMM' : 'device'} did what ${name} rules out`,
    };
  }
  if (v.near.length)
    return { party: 'kernel/driver', why: 'the model makes this call here but with another result: the device answered what this driver profile cannot' };
  return { party: 'userspace', why: 'the model (this user profile) makes no such call here: the VMM called what the uAPI or the user profile does not allow at this point' };
}
