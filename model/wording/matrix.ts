// The wording matrix: every chosen driver x user pair of the migration model, checked
// against the clauses of one wording profile (model/wording/). Rows are pairs, columns
// are clauses, and each cell says whether the clause holds, is violated (with the level
// and the party it binds), is exercised (a MAY whose permitted behaviour shows up) or is
// vacuous (a MAY that no explored state uses), each finding with its shortest trace.
//
// Shortest traces per clause without changing the engine: the pair's model is checked
// with every undecided clause as an invariant or action property; BFS stops at the
// shallowest state that breaks any of them, which is a shortest trace for the clause it
// names; that clause is decided and the search runs again without it, until a run finds
// nothing (every remaining clause holds) or stops on a bound (they stay undecided). A pair
// with k findings costs k + 1 runs; the count is reported.
//
// Compute only: rendering is model/wording/matrix-report.ts, the command model/commands/matrix.ts.

import {
  check, defineSpec, instantiate, model, ConfigError, EXIT,
  type CheckResult, type ConstValue, type Instance, type Schema, type Step, type TraceStep,
} from '../../checker/index.js';
import { compileClause, severity, strength, type Clause, type ClauseContext, type ClauseLevel, type Party } from './clauses.js';
import { DEFAULT_KERNEL } from '../kernel/index.js';
import { migrationConfig, migrationModel, migrationProperties, callLookup, actionsMaking, type MigrationOptions, type MigrationState } from '../datapath/migration.js';
import { DRIVERS, driverProfile, type DriverProfile } from '../drivers/index.js';
import { USERS, userModel, type UapiCall } from '../users/index.js';
import type { Wording } from './index.js';

export type Verdict = 'holds' | 'violated' | 'exercised' | 'vacuous' | 'unknown';

export interface Cell {
  readonly key: string;
  readonly id: string;
  readonly level: ClauseLevel;
  readonly party: Party;
  readonly verdict: Verdict;
  /** The shortest trace that breaks the clause (violated) or shows its permitted behaviour (exercised). */
  readonly trace?: readonly TraceStep<MigrationState>[];
  /** Which run of the pair found it (1-based). */
  readonly run?: number;
}

export type RowStatus = 'complete' | 'incomplete' | 'error';

export interface Row {
  readonly driver: string;
  /** The user variant as given (`qemu-like+ack`). */
  readonly user: string;
  readonly cells: readonly Cell[];
  readonly status: RowStatus;
  /** Why the search stopped early, or what went wrong. */
  readonly note?: string;
  /** Searches run for this pair. */
  readonly runs: number;
  /** Distinct states of the last run (the whole reachable space when the row is complete), and totals over all runs. */
  readonly distinct: number;
  readonly generated: number;
  readonly seconds: number;
  readonly schema: Schema;
  readonly constants: Readonly<Record<string, ConstValue>>;
}

export interface MatrixOptions {
  readonly wording: Wording;
  readonly drivers: readonly (string | DriverProfile)[];
  readonly users: readonly string[];
  /** Model options shared by every pair (units, features, …); driver and user come from the lists. */
  readonly model?: Omit<MigrationOptions, 'driver' | 'user'>;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly memory?: number;
  /** Called after each pair. */
  readonly onRow?: (row: Row, index: number, total: number) => void;
}

export interface MatrixResult {
  readonly wording: Wording;
  readonly clauses: readonly Clause[];
  readonly rows: readonly Row[];
  readonly model: Omit<MigrationOptions, 'driver' | 'user'>;
  /** Set when a signal stopped the matrix between two pairs: `rows` are the pairs checked before it. */
  readonly stopped?: { readonly reason: 'interrupted' | 'terminated'; readonly total: number };
}

/**
 * Model options for the matrix when none are given: two units of state, each changed at most
 * twice, every feature (the default spec's size; one unit changed once until the model-speed
 * work, docs/decisions/model-speed.md).
 */
export const MATRIX_MODEL_DEFAULTS: Omit<MigrationOptions, 'driver' | 'user'> = { units: 2, maxVersion: 2, features: 'all' };

/** The drivers a matrix covers by default: the conforming profiles (broken ones on request). */
export function defaultDrivers(): string[] {
  return DRIVERS.filter((d) => d.breaks === undefined).map((d) => d.name);
}

/** A user variant: a user model name, optionally with `+ack` for QEMU's switchover-ack capability (QEMU-5). */
export interface UserVariant {
  readonly name: string;
  readonly switchoverAck: boolean;
}

export const USER_OPTION_SUFFIXES: Readonly<Record<string, Partial<UserVariant>>> = { ack: { switchoverAck: true } };

export function parseUserVariant(text: string): UserVariant {
  const [name, ...opts] = text.trim().split('+');
  userModel(name); // unknown names are a ConfigError listing the known ones
  let v: UserVariant = { name, switchoverAck: false };
  for (const o of opts) {
    const extra = USER_OPTION_SUFFIXES[o];
    if (!extra) throw new ConfigError(`user '${text}': unknown option '+${o}' (known: ${Object.keys(USER_OPTION_SUFFIXES).map((k) => `+${k}`).join(', ')})`);
    v = { ...v, ...extra };
  }
  return v;
}

/**
 * The users a matrix covers by default: every user model that migrates (the control user
 * drives one device and reads no stream), and users with a switchover-ack knob with and without it.
 */
export function defaultUsers(): string[] {
  return USERS.filter((u) => u.dataSteps !== false).flatMap((u) => (/qemu/.test(u.name) ? [u.name, `${u.name}+ack`] : [u.name]));
}

/** The instance a pair is checked on: the migration model with the wording's clauses as its only claims. */
export function pairInstance(
  wording: Wording,
  driver: string | DriverProfile,
  user: UserVariant,
  base: Omit<MigrationOptions, 'driver' | 'user'> = {},
): { inst: Instance<MigrationState>; constants: Record<string, ConstValue> } {
  const opts: MigrationOptions = { ...base, driver, user: user.name, switchoverAck: user.switchoverAck || base.switchoverAck, history: true };
  const m = migrationModel(opts);
  const cfg = migrationConfig(opts);
  const actions = m.actions as Record<string, { call?: UapiCall }>;
  const callOf = callLookup(actions);
  const ctx: ClauseContext = { cfg, callOf, modelProperties: migrationProperties(cfg, callOf, actionsMaking(actions)) as ClauseContext['modelProperties'] };
  const invariants: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const c of wording.clauses) {
    let compiled;
    try {
      compiled = compileClause(c, ctx);
    } catch (e) {
      throw new ConfigError(`wording ${wording.name}: ${(e as Error).message}`);
    }
    const meta = { doc: c.text, clause: c.id, level: c.level };
    if (compiled.kind === 'invariant') invariants[c.key] = { ...meta, check: compiled.check };
    else properties[c.key] = { ...meta, check: compiled.check, ...(compiled.actions ? { actions: compiled.actions } : {}) };
  }
  const driverName = typeof driver === 'string' ? driver : driver.name;
  const label = `${driverName} x ${user.name}${user.switchoverAck ? '+ack' : ''}`;
  const spec = defineSpec({
    name: `${wording.name}: ${label}`,
    setup: () => model({ ...m, invariants, properties } as never),
  });
  const inst = instantiate(spec) as unknown as Instance<MigrationState>;
  const constants: Record<string, ConstValue> = {
    DRIVER: driverName,
    USER: user.name,
    FEATURES: cfg.features,
    UNITS: cfg.bounds.units,
    MAX_VERSION: cfg.bounds.maxVersion,
    SWITCHOVER_ACK: cfg.switchoverAck,
    REINIT: cfg.reinit,
    // Named only when it is not the default, so the default matrix reads as before kernels were profiles.
    ...(cfg.kernel.name !== DEFAULT_KERNEL ? { KERNEL: cfg.kernel.name } : {}),
  };
  return { inst, constants };
}

const DECIDED_AS_PERMISSION: Record<'found' | 'never', Verdict> = { found: 'exercised', never: 'vacuous' };

/** Checks one pair: every clause of the wording decided with its shortest trace, or left unknown when a bound stopped the search. */
export function checkPair(o: Omit<MatrixOptions, 'drivers' | 'users' | 'onRow'>, driver: string | DriverProfile, userText: string): Row {
  const user = parseUserVariant(userText);
  const driverName = typeof driver === 'string' ? driverProfile(driver).name : driver.name;
  const { inst, constants } = pairInstance(o.wording, driver, user, o.model ?? MATRIX_MODEL_DEFAULTS);
  const byKey = new Map(o.wording.clauses.map((c) => [c.key, c]));
  const decided = new Map<string, Cell>();
  let remaining = o.wording.clauses.map((c) => c.key);
  let runs = 0;
  let generated = 0;
  let seconds = 0;
  let distinct = 0;
  let status: RowStatus = 'complete';
  let note: string | undefined;
  const cell = (c: Clause, verdict: Verdict, extra: Partial<Cell> = {}): Cell => ({ key: c.key, id: c.id, level: c.level, party: c.party, verdict, ...extra });

  while (remaining.length > 0) {
    const r: CheckResult<MigrationState> = check(inst, {
      invariants: remaining,
      deadlock: false,
      temporal: false,
      maxStates: o.maxStates,
      maxDepth: o.maxDepth,
      memory: o.memory,
    });
    runs++;
    generated += r.stats.generated;
    seconds += r.stats.seconds;
    distinct = r.stats.distinct;
    if (r.status === 'violation' && byKey.has(r.violation.name)) {
      const c = byKey.get(r.violation.name)!;
      const found = severity(c.level) === 'permission' ? DECIDED_AS_PERMISSION.found : 'violated';
      decided.set(c.key, cell(c, found, { trace: r.violation.trace, run: runs }));
      remaining = remaining.filter((k) => k !== c.key);
      continue;
    }
    if (r.status === 'ok') {
      for (const k of remaining) {
        const c = byKey.get(k)!;
        decided.set(k, cell(c, severity(c.level) === 'permission' ? DECIDED_AS_PERMISSION.never : 'holds', { run: runs }));
      }
      remaining = [];
      break;
    }
    if (r.status === 'incomplete') {
      status = 'incomplete';
      note = `search stopped at the ${r.reason} bound after ${r.stats.distinct} distinct states; ${remaining.length} clause${remaining.length === 1 ? '' : 's'} undecided`;
    } else if (r.status === 'error') {
      status = 'error';
      note = `${r.error.phase}${r.error.action ? ` of ${r.error.action}` : ''}${r.error.name ? ` (${r.error.name})` : ''}: ${r.error.message}`;
    } else if (r.status === 'violation') {
      // TypeOK, replay nondeterminism: the model itself is at fault, not a clause.
      status = 'error';
      note = `${r.violation.kind} ${r.violation.name}: ${r.violation.message}`;
    } else throw new Error(`matrix: a ${r.status} result (simulation) cannot decide a clause`);
    break;
  }
  const cells = o.wording.clauses.map((c) => decided.get(c.key) ?? cell(c, 'unknown'));
  return { driver: driverName, user: userText, cells, status, note, runs, distinct, generated, seconds, schema: inst.schema, constants };
}

/** The pairs of the matrix in table order, checked one at a time as the generator is pulled. */
function* matrixRows(o: MatrixOptions): Generator<Row, void, undefined> {
  const drivers = o.drivers.map((d) => driverProfile(d));
  for (const u of o.users) parseUserVariant(u);
  const total = drivers.length * o.users.length;
  let i = 0;
  for (const d of drivers)
    for (const u of o.users) {
      const row = checkPair(o, d, u);
      o.onRow?.(row, i++, total);
      yield row;
    }
}

/** The whole matrix. */
export function runMatrix(o: MatrixOptions): MatrixResult {
  return { wording: o.wording, clauses: o.wording.clauses, rows: [...matrixRows(o)], model: o.model ?? MATRIX_MODEL_DEFAULTS };
}

/**
 * The whole matrix, letting the event loop run between pairs so that a signal (`signal`
 * aborted with reason 'SIGINT' or 'SIGTERM', as checker/cli/stopping.ts does) stops it at
 * the next pair: the result then holds the pairs checked so far and says it was stopped.
 */
export async function runMatrixAsync(o: MatrixOptions, signal?: AbortSignal): Promise<MatrixResult> {
  const total = o.drivers.length * o.users.length;
  const rows: Row[] = [];
  let stopped: MatrixResult['stopped'];
  const it = matrixRows(o);
  for (;;) {
    await new Promise<void>((r) => setImmediate(r));
    if (signal?.aborted) {
      stopped = { reason: signal.reason === 'SIGTERM' ? 'terminated' : 'interrupted', total };
      break;
    }
    const next = it.next();
    if (next.done) break;
    rows.push(next.value);
  }
  return { wording: o.wording, clauses: o.wording.clauses, rows, model: o.model ?? MATRIX_MODEL_DEFAULTS, ...(stopped ? { stopped } : {}) };
}

// ---------------------------------------------------------------------------------------
// Findings and the exit code

export type FindingKind = 'hard' | 'soft' | 'vacuous' | 'undecided' | 'error';

export interface Finding {
  readonly kind: FindingKind;
  readonly row: Row;
  readonly cell?: Cell;
}

/** Every cell or row that is not simply fine, in table order. */
export function findings(m: MatrixResult): Finding[] {
  const out: Finding[] = [];
  for (const row of m.rows) {
    if (row.status === 'error') out.push({ kind: 'error', row });
    for (const cell of row.cells) {
      if (cell.verdict === 'violated') out.push({ kind: severity(cell.level) === 'hard' ? 'hard' : 'soft', row, cell });
      else if (cell.verdict === 'vacuous') out.push({ kind: 'vacuous', row, cell });
      else if (cell.verdict === 'unknown' && row.status === 'incomplete') out.push({ kind: 'undecided', row, cell });
    }
  }
  return out;
}

/** The matrix's outcomes, in the CLI's one exit-code table (checker/cli/exit.ts). */
export const MATRIX_EXIT = { OK: EXIT.OK, SOFT: EXIT.SOFT, VIOLATION: EXIT.VIOLATION, INCOMPLETE: EXIT.INCOMPLETE, EVAL_ERROR: EXIT.EVAL_ERROR, SIGINT: EXIT.SIGINT, SIGTERM: EXIT.SIGTERM } as const;

/**
 * The exit code of a matrix: an evaluation error 75; a MUST-level violation 12; an
 * incomplete search 14 (never a silent pass); SHOULD/REC violations and vacuous MAY
 * clauses 10 with `strict`, else 0.
 */
export function matrixExitCode(m: MatrixResult, strict = false): number {
  // A matrix stopped by a signal proved nothing about the pairs it did not reach.
  if (m.stopped) return m.stopped.reason === 'terminated' ? MATRIX_EXIT.SIGTERM : MATRIX_EXIT.SIGINT;
  const f = findings(m);
  if (f.some((x) => x.kind === 'error')) return MATRIX_EXIT.EVAL_ERROR;
  if (f.some((x) => x.kind === 'hard')) return MATRIX_EXIT.VIOLATION;
  if (f.some((x) => x.kind === 'undecided')) return MATRIX_EXIT.INCOMPLETE;
  if (strict && f.some((x) => x.kind === 'soft' || x.kind === 'vacuous')) return MATRIX_EXIT.SOFT;
  return MATRIX_EXIT.OK;
}

// ---------------------------------------------------------------------------------------
// --diff: what one wording allows and the other forbids

export interface Difference {
  readonly driver: string;
  readonly user: string;
  readonly key: string;
  readonly id: string;
  readonly party: Party;
  readonly behaviour: string;
  /** The level in each wording, undefined when the wording does not have the clause (silent: allowed). */
  readonly levelA?: ClauseLevel;
  readonly levelB?: ClauseLevel;
  /** The wording that speaks more strongly against the behaviour. */
  readonly stricter: 'A' | 'B';
  /** A shortest trace showing the behaviour. */
  readonly trace: readonly TraceStep<MigrationState>[];
  readonly schema: Schema;
}

/**
 * Behaviours of the explored pairs that the two wordings judge differently: a clause's
 * behaviour shows up in a pair (its check fails there under either wording) and the two
 * wordings give it a different strength (forbidden, discouraged, recommended against,
 * permitted or silent). Both matrices must cover the same pairs.
 */
export function diffMatrices(a: MatrixResult, b: MatrixResult): Difference[] {
  const out: Difference[] = [];
  const keys = [...new Set([...a.clauses.map((c) => c.key), ...b.clauses.map((c) => c.key)])];
  a.rows.forEach((ra, i) => {
    const rb = b.rows[i];
    if (!rb || rb.driver !== ra.driver || rb.user !== ra.user) throw new Error('diffMatrices: the two matrices cover different pairs');
    for (const key of keys) {
      const ca = ra.cells.find((c) => c.key === key);
      const cb = rb.cells.find((c) => c.key === key);
      const seen = [ca, cb].find((c) => c && (c.verdict === 'violated' || c.verdict === 'exercised') && c.trace);
      if (!seen) continue;
      const sa = strength(ca?.level);
      const sb = strength(cb?.level);
      if (sa === sb) continue;
      const def = a.clauses.find((c) => c.key === key) ?? b.clauses.find((c) => c.key === key)!;
      out.push({
        driver: ra.driver, user: ra.user, key, id: def.id, party: def.party, behaviour: def.behaviour,
        levelA: ca?.level, levelB: cb?.level, stricter: sa > sb ? 'A' : 'B', trace: seen.trace!, schema: ra.schema,
      });
    }
  });
  return out;
}

export type { Step };
