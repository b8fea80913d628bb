// The normative clauses of the VFIO migration uAPI that the model checks, one entry per
// behaviour the text speaks about, each with the fact ID of ../shared/vfio/facts.md, the
// party it binds, a statement in our own words, and the check that decides it.
//
// A clause's check says whether the behaviour it speaks about has NOT happened: it is true
// in every state (or on every step) that conforms. The level a wording profile gives the
// clause decides what a failure of the check means:
//   MUST, MUST NOT              the behaviour is forbidden: a failure is a violation;
//   SHOULD, SHOULD NOT, REC     the behaviour is discouraged: a failure is a soft finding;
//   MAY                         the behaviour is explicitly permitted: a failure is a
//                               witness that the permission is exercised, and a clause
//                               whose behaviour no explored state shows is vacuous.
// So a MAY clause is checked as the invariant never(P) for its witness predicate P: a
// violation is the shortest trace exercising it. One behaviour can be a SHOULD NOT in one
// wording and a MAY in another (PRECOPY-8, the STOP_COPY trailer): that is what makes two
// wordings comparable (`migcheck matrix --diff`).
//
// Quantities come from the model (model/datapath/source.ts keeps the history: records read per
// phase, the last precopy_info answer, unread initial data at the switch), never from the
// clause. Clauses that the model already checks as a headline property refer to it by name,
// so there is one definition of each claim.
//
// INFO and IMPL facts are not clauses (the text describes, it does not require): e.g.
// PRECOPY-7 (dirty_bytes starts at zero) stays a model property of level INFO.

import type { Step } from '../../checker/index.js';
import { inPreCopy } from '../states.js';
import { NONE, unreadInitial } from '../datapath/stream.js';
import { loadedStream, srcPrecopyInfoResult, srcReadResult, type MigrationConfig, type MigrationState } from '../datapath/uapi.js';
import type { UapiCall } from '../users/index.js';

/** The levels a wording gives a clause (RFC 2119 words, and REC for "it is recommended"). */
export const CLAUSE_LEVELS = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'REC'] as const;
export type ClauseLevel = (typeof CLAUSE_LEVELS)[number];

/** Who a clause binds: the kernel and its driver, or the user of the uAPI (the VMM). */
export const PARTIES = ['kernel/driver', 'userspace'] as const;
export type Party = (typeof PARTIES)[number];

/** What a failure of the clause's check means at a level. */
export type Severity = 'hard' | 'soft' | 'permission';

export function severity(level: ClauseLevel): Severity {
  switch (level) {
    case 'MUST':
    case 'MUST NOT':
      return 'hard';
    case 'SHOULD':
    case 'SHOULD NOT':
    case 'REC':
      return 'soft';
    case 'MAY':
      return 'permission';
  }
}

/** How strongly a level speaks against the behaviour: 3 forbidden, 2 discouraged, 1 recommended against, 0 permitted (or silent). */
export function strength(level: ClauseLevel | undefined): number {
  if (level === undefined) return 0;
  switch (level) {
    case 'MUST':
    case 'MUST NOT':
      return 3;
    case 'SHOULD':
    case 'SHOULD NOT':
      return 2;
    case 'REC':
      return 1;
    case 'MAY':
      return 0;
  }
}

/** What a clause's check can use: the model's configuration, which uAPI call an action makes, and the model's own properties. */
export interface ClauseContext {
  readonly cfg: MigrationConfig;
  readonly callOf: (action: string) => UapiCall | undefined;
  /** The migration model's headline properties by name (model/datapath/migration.ts). */
  readonly modelProperties: Readonly<Record<string, { readonly check: (b: MigrationState, a: MigrationState, step: Step) => boolean; readonly actions?: readonly string[] }>>;
}

export type StateCheck = (s: MigrationState) => boolean;
export type StepCheck = (before: MigrationState, after: MigrationState, step: Step) => boolean;

/**
 * How a clause is decided. Exactly one of:
 * - `model`: a property of the migration model, by name;
 * - `state` / `step`: a predicate that is true where the clause is kept (an invariant, or an action property);
 * - `witnessState` / `witnessStep`: the permitted behaviour P itself (for clauses written as permissions); checked as never(P).
 * Predicates are built from the context once per model.
 */
export type ClauseProperty =
  | { readonly name: string; readonly model: string }
  | { readonly name: string; readonly state: (ctx: ClauseContext) => StateCheck }
  | { readonly name: string; readonly step: (ctx: ClauseContext) => StepCheck }
  | { readonly name: string; readonly witnessState: (ctx: ClauseContext) => StateCheck }
  | { readonly name: string; readonly witnessStep: (ctx: ClauseContext) => StepCheck };

export interface ClauseDef {
  /** Fact ID in ../shared/vfio/facts.md. */
  readonly id: string;
  readonly party: Party;
  /** The level in the merged text (Linux v6.2 and later), used when a profile does not say. */
  readonly level: ClauseLevel;
  /** The statement as an obligation or prohibition, in our own words. */
  readonly statement: string;
  /** The same behaviour stated as a permission, for wordings that make it a MAY. */
  readonly permission?: string;
  /** The behaviour the clause is about, as it shows in a trace (what a failure of the check means). */
  readonly behaviour: string;
  /** The invariant or property that decides the clause. */
  readonly property: ClauseProperty;
  /**
   * Named readings of an ambiguous sentence: each what the sentence is taken to mean and the
   * check under that reading. The clause's own statement and property are those of the
   * reading named by `reading`. `matrix --readings` checks every reading as a column of its
   * own (withReadings), so the table shows which reading breaks which pair.
   */
  readonly readings?: Readonly<Record<string, Reading>>;
  /** Which of `readings` the clause's own statement and property are. */
  readonly reading?: string;
}

/** One way to read an ambiguous clause: what it then obliges (or permits), and its check. */
export interface Reading {
  readonly statement: string;
  readonly permission?: string;
  readonly behaviour: string;
  readonly property: ClauseProperty;
  /** Who reads the sentence so, where (a thread, a message, a commit). */
  readonly source: string;
}

/** A clause as a wording profile has it: with its key and the level and statement of that wording. */
export interface Clause extends ClauseDef {
  /** The clause's name in profiles and reports (usually the fact ID). */
  readonly key: string;
  /** The statement at this level (the permission form for MAY). */
  readonly text: string;
}

/** A check ready for the engine: an invariant or an action property that is true where the clause is kept. */
export type CompiledCheck =
  | { readonly kind: 'invariant'; readonly check: StateCheck }
  /** `actions`: a model property's own (the actions whose steps can break it; the check holds on the others too). */
  | { readonly kind: 'property'; readonly check: StepCheck; readonly actions?: readonly string[] };

/** Builds the check of a clause for one model. */
export function compileClause(c: Pick<ClauseDef, 'property'> & { key: string }, ctx: ClauseContext): CompiledCheck {
  const p = c.property;
  if ('model' in p) {
    const m = ctx.modelProperties[p.model];
    if (!m) throw new Error(`clause ${c.key}: the model has no property '${p.model}' (known: ${Object.keys(ctx.modelProperties).join(', ')})`);
    return { kind: 'property', check: m.check, ...(m.actions ? { actions: m.actions } : {}) };
  }
  if ('state' in p) return { kind: 'invariant', check: p.state(ctx) };
  if ('step' in p) return { kind: 'property', check: p.step(ctx) };
  if ('witnessState' in p) {
    const w = p.witnessState(ctx);
    return { kind: 'invariant', check: (s) => !w(s) };
  }
  const w = p.witnessStep(ctx);
  return { kind: 'property', check: (b, a, st) => !w(b, a, st) };
}

// ---------------------------------------------------------------------------------------
// The catalogue

const calls = (ctx: ClauseContext, st: Step, c: UapiCall) => ctx.callOf(st.action) === c;

/** The switch to STOP_COPY out of a PRE_COPY state (one SET may walk PRE_COPY->PRE_COPY_P2P->STOP_COPY). */
const switchesToStopCopy = (b: MigrationState, a: MigrationState) => inPreCopy(b.src.state) && a.src.state === 'STOP_COPY';

/**
 * How large a STOP_COPY trailer still counts as small for the March 2022 reading of the
 * estimates (PRECOPY-8): one plain copy of every unit and a header, in the model's unit of
 * data. That is all a device whose state is tiny (hisi_acc, qat, mtty) ever leaves for
 * STOP_COPY; a vGPU framebuffer (MIG_DATA_SIZE of dozens of records per unit) is not small.
 */
export const smallTrailer = (cfg: MigrationConfig): number => cfg.bounds.units + 1;

/**
 * PRECOPY-4, "the initial data set is mandatory", read two ways (wording-history.md point 1):
 * - `session`: read out before the saving session ends. A user that gives up pre-copy
 *   (PRE_COPY->RUNNING, as QEMU does when a migration fails or is cancelled) breaks it, so
 *   the word is void for any VMM that can cancel: Alex Williamson's objection (Mar 2022).
 * - `migration`: read out, in PRE_COPY or in STOP_COPY, before a migration completes, i.e.
 *   before the destination's RESUMING->STOP accepts the stream: Jason Gunthorpe's answer
 *   (Mar 2022, "must be read out eventually"). Cancelling breaks nothing; a user that
 *   completes the destination early does, where the driver's destination does not reject a
 *   truncated stream.
 */
const PRECOPY_4 = {
  session: {
    statement: 'The initial data set is mandatory: the user reads all of it out of the saving data_fd, in PRE_COPY or in STOP_COPY, before it gives up the session (PRE_COPY->RUNNING, reset, close, or leaving STOP_COPY).',
    permission: 'The user may give up a saving session (e.g. PRE_COPY->RUNNING) without reading the initial data set: nothing obliges it to read anything.',
    behaviour: 'the user gives up a saving session with initial data unread',
    source: 'the sentence as Alex Williamson read it, kvm@vger, v7 07/10 thread (2-4 Mar 2022): then PRE_COPY->RUNNING, a legal arc, breaks it',
    property: {
      name: 'InitialDataReadBeforeSessionEnds',
      step: () => (b: MigrationState, a: MigrationState) => {
        if (!b.src.live || !b.src.held || unreadInitial(b.src) === 0) return true;
        // No single step ends a session and opens another (COMB-2), so a live, held fd after the step is the same session.
        return a.src.live && a.src.held;
      },
    },
  },
  migration: {
    statement: 'The initial data set is mandatory for a migration: the user reads all of it out of the saving data_fd, in PRE_COPY or in STOP_COPY, before it completes the migration on the destination (RESUMING->STOP); giving up the session first is no breach.',
    permission: 'The user may complete a migration on the destination with initial data still unread on the source: nothing obliges it to read it.',
    behaviour: 'the user completes the destination (RESUMING->STOP succeeds) with initial data of the source session unread',
    source: 'Jason Gunthorpe, kvm@vger, v7 07/10 thread (Mar 2022): the initial chunk must be read out eventually, in PRE_COPY or in STOP_COPY',
    property: {
      name: 'InitialDataReadBeforeMigrationCompletes',
      // A SET that takes the destination out of RESUMING other than to ERROR went through
      // RESUMING->STOP, which accepted the stream (a RESET is no completion). Judged while the
      // source session that fed the destination (link.paired) is live: once it ended, its
      // buffers are gone and what was left unread cannot be told.
      step: (ctx: ClauseContext) => (b: MigrationState, a: MigrationState, st: Step) =>
        !calls(ctx, st, 'dst.set') || !loadedStream(b, a) || !b.link.paired || !b.src.live || unreadInitial(b.src) === 0,
    },
  },
} satisfies Record<string, Reading>;

/**
 * The clauses with every reading as a clause of its own (`PRECOPY-4/session`,
 * `PRECOPY-4/migration`), at the clause's level: what `matrix --readings` checks. Clauses
 * without readings are unchanged.
 */
export function withReadings<C extends Clause>(clauses: readonly C[]): C[] {
  return clauses.flatMap((c) => {
    if (!c.readings) return [c];
    return Object.entries(c.readings).map(([name, r]) => {
      const def = { ...c, statement: r.statement, permission: r.permission, behaviour: r.behaviour, property: r.property, readings: undefined, reading: name };
      return { ...def, key: `${c.key}/${name}`, text: clauseText(def, c.level) };
    });
  });
}

export const CLAUSES = {
  'DATA-9': {
    id: 'DATA-9',
    party: 'kernel/driver',
    level: 'MUST',
    statement: 'A migration the user completed (read to the end of STOP_COPY, wrote every record in order, RESUMING->STOP succeeded) leaves the destination with the source state as of the moment the source stopped, the whole initial data set included.',
    behaviour: 'the destination accepts a complete stream that lacks part of the source state',
    property: { name: 'NoLostMandatoryData', model: 'NoLostMandatoryData' },
  },
  'DATA-7': {
    id: 'DATA-7',
    party: 'kernel/driver',
    level: 'MUST',
    statement: 'In STOP_COPY, once read() has returned 0 it keeps returning 0: the end of the stream is permanent.',
    behaviour: 'read() returns data or an error after it returned 0 in STOP_COPY',
    property: { name: 'EofIsPermanent', model: 'EofIsPermanent' },
  },
  'DATA-8': {
    id: 'DATA-8',
    party: 'kernel/driver',
    level: 'MUST NOT',
    statement: 'read() must not fail with ENOMSG while the device is in STOP_COPY.',
    behaviour: 'read() returns -1 ENOMSG in STOP_COPY',
    property: { name: 'NoEnomsgInStopCopy', model: 'NoEnomsgInStopCopy' },
  },
  'FSM-2': {
    id: 'FSM-2',
    party: 'kernel/driver',
    level: 'MUST',
    statement: 'A stopped device (STOP, STOP_COPY) does not change its internal state.',
    behaviour: 'the device state changes while the device is stopped',
    property: { name: 'StoppedDeviceDoesNotChange', model: 'StoppedDeviceDoesNotChange' },
  },
  'SAVE-2': {
    id: 'SAVE-2',
    party: 'kernel/driver',
    level: 'MUST',
    statement: 'Moving between PRE_COPY, PRE_COPY_P2P and STOP_COPY keeps one saving session and its data_fd; entering that group from outside opens a new one.',
    behaviour: 'the saving session changes while the device stays in the saving group',
    property: { name: 'OneSessionPerSavingStay', model: 'OneSessionPerSavingStay' },
  },
  'PRECOPY-2': {
    id: 'PRECOPY-2',
    party: 'kernel/driver',
    level: 'SHOULD',
    statement: 'VFIO_MIG_GET_PRECOPY_INFO answers only in PRE_COPY and PRE_COPY_P2P; in other states the driver returns EINVAL.',
    behaviour: 'precopy_info succeeds outside the PRE_COPY states',
    property: { name: 'PrecopyInfoOnlyInPreCopy', model: 'PrecopyInfoOnlyInPreCopy' },
  },
  'PRECOPY-5': {
    id: 'PRECOPY-5',
    party: 'kernel/driver',
    level: 'SHOULD',
    statement: 'initial_bytes only goes down as the initial data is read; it never grows from one answer to the next (unless the answer reports REINIT).',
    behaviour: 'initial_bytes grows between two precopy_info answers without REINIT',
    property: { name: 'InitialBytesNeverGrowWithoutReinit', model: 'InitialBytesNeverGrowWithoutReinit' },
  },
  'PRECOPY-11': {
    id: 'PRECOPY-11',
    party: 'kernel/driver',
    level: 'SHOULD',
    statement: 'At the temporary end of the pre-copy stream (nothing to read for now) read() fails with ENOMSG rather than returning 0.',
    behaviour: 'read() returns 0 in a PRE_COPY state',
    property: {
      name: 'EnomsgAtTemporaryEnd',
      step: (ctx) => (b, _a, st) => !(calls(ctx, st, 'src.read') && inPreCopy(b.src.state) && srcReadResult(b, ctx.cfg).kind === 'eof'),
    },
  },
  'PRECOPY-8': {
    id: 'PRECOPY-8',
    party: 'kernel/driver',
    level: 'MAY',
    statement: 'initial_bytes + dirty_bytes, as last reported before the switch, account for what STOP_COPY then streams, apart from a small trailer (at most one plain copy of the device state): the closer the report is to zero, the shorter STOP_COPY.',
    permission: 'What STOP_COPY streams may be far larger than initial_bytes + dirty_bytes reported before the switch: the fields need bear no relation to the STOP_COPY size (MIG_DATA_SIZE reports that).',
    behaviour: 'STOP_COPY (by the driver\'s own MIG_DATA_SIZE) exceeds the last reported initial_bytes + dirty_bytes by more than a small trailer',
    property: {
      name: 'TrailerWithinEstimate',
      step: (ctx) => (b, a) => {
        if (!switchesToStopCopy(b, a) || a.src.infoInitial === NONE) return true;
        const reported = a.src.infoInitial + Math.max(0, a.src.infoDirty);
        return ctx.cfg.driver.dataSize(a.src) <= reported + smallTrailer(ctx.cfg);
      },
    },
  },
  'PRECOPY-6': {
    id: 'PRECOPY-6',
    party: 'userspace',
    level: 'REC',
    statement: 'The user leaves PRE_COPY for STOP_COPY only once the initial data set has been read (initial_bytes is zero).',
    behaviour: 'the user switches to STOP_COPY with initial data still unread',
    property: { name: 'SwitchAfterInitialData', state: () => (s) => s.src.switchInitial <= 0 },
  },
  'PRECOPY-4': { id: 'PRECOPY-4', party: 'userspace', level: 'MAY', ...PRECOPY_4.session, readings: PRECOPY_4, reading: 'session' },
  'REINIT-3': {
    id: 'REINIT-3',
    party: 'kernel/driver',
    level: 'MUST NOT',
    statement: 'precopy_info must not report REINIT unless the user opted in with VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2.',
    behaviour: 'precopy_info reports REINIT without the opt-in',
    property: { name: 'ReinitOnlyAfterOptIn', model: 'ReinitOnlyAfterOptIn' },
  },
  'REINIT-2': {
    id: 'REINIT-2',
    party: 'kernel/driver',
    level: 'MAY',
    statement: 'initial_bytes never goes up again within a session.',
    permission: 'With REINIT reported, initial_bytes may go up to any non-zero value and count down again.',
    behaviour: 'precopy_info reports REINIT with initial_bytes above the previous answer',
    property: {
      name: 'InitialBytesRiseWithReinit',
      witnessStep: (ctx) => (b, _a, st) => {
        if (!calls(ctx, st, 'src.precopy_info') || !inPreCopy(b.src.state)) return false;
        const r = srcPrecopyInfoResult(b, ctx.cfg);
        return r.ok && r.reinit && r.initial > 0 && (b.src.infoInitial === NONE || r.initial > b.src.infoInitial);
      },
    },
  },
} as const satisfies Record<string, ClauseDef>;

export type ClauseKey = keyof typeof CLAUSES;

/** The catalogue as a lookup table. */
export const CLAUSE_CATALOGUE: Readonly<Record<string, ClauseDef>> = CLAUSES;

/** The statement of a clause at a level: the permission form for MAY when the clause has one. */
export function clauseText(def: ClauseDef, level: ClauseLevel): string {
  return level === 'MAY' && def.permission ? def.permission : def.statement;
}
