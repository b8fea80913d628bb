// `migcheck replay LOG...`: could a conforming device and user have produced this recorded
// migration, and if not, where did it depart? Reads the log (QEMU trace, strace, migcheck's
// JSON lines, or a migcheck JSON/ITF trace), splits it by device, replays each device against
// the model with the driver and user profiles asked for (or every built-in one), and prints
// the log and the model's explanation side by side.
//
// Compute (model/replay/run.ts over checker/explore/validate.ts), render (the functions
// below) and exit (the returned code, from checker/cli/exit.ts's replayExitCode) are apart.

import { DEFAULT_KERNEL, KERNEL_NAMES } from '../kernel/index.js';
import { Option, type Command } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  ConfigError, UsageError, Successors, instantiate, labelObserver, replayExitCode, replayLog,
  renderJUnit, annotation, suggest,
  type CliContext, type Instance, type LabelledStep, type ReplayOutcome, type ReplayVerdict, type Spec, type WitnessStep,
} from '../../checker/index.js';
import {
  LOG_FORMATS, detectFormat, logFormatProblem, parseLog, readTrace, showEvent, showProblem, SIDES,
  type LogFormat, type ReplayEvent, type Side,
} from '../replay/index.js';
import { splitDevices, replayDevice, explainDeparture, type DeviceLog, type Explanation } from '../replay/run.js';
import { vfioObserver, QEMU_UNTRACED } from '../replay/validate.js';
// Spec files loaded, and `--const` / `--name VALUE` resolved, as `check` does. Not re-exported
// from the checker's index: that would pull the CLI's loader and the check command (and its
// worker pool) into the bundle every parallel worker loads a spec through.
import { loadSpec, packageRoot } from '../../checker/cli/load.js';
import { parseConstOptions } from '../../checker/cli/commands.js';
import { DRIVER_NAMES } from '../drivers/index.js';
import { userNames } from '../users/index.js';

export const REPLAY_FORMATS = ['text', 'json', 'junit', 'github'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

/** The kernel profiles the model has (model/kernel/: the releases where the next-step walk and features changed). */
export const KERNEL_PROFILES: readonly string[] = KERNEL_NAMES;

export interface ReplayCliOptions {
  formatIn?: string;
  spec?: string;
  driver?: string;
  user?: string;
  kernel?: string;
  const: string[];
  invariant: string[];
  side?: string;
  asLog?: boolean;
  maxHidden?: string;
  format: string;
  out?: string;
  full?: boolean;
  allowIncomplete?: boolean;
  color?: boolean;
}

/** One replay of one device (or one whole trace) under one set of constants. */
export interface ReplayRow {
  readonly file: string;
  readonly device: string;
  readonly sides: readonly Side[];
  readonly constants: Readonly<Record<string, unknown>>;
  readonly verdict: ReplayVerdict<unknown, ReplayEvent | LabelledStep>;
  readonly explanation?: Explanation;
  readonly exercised?: readonly string[];
  /** The observations replayed (events, or a trace's steps). */
  readonly log: readonly (ReplayEvent | LabelledStep)[];
  readonly steps: boolean;
}

/** What the command computed: per file and device, every profile's run. */
export interface ReplayReport {
  readonly files: readonly { readonly file: string; readonly format: LogFormat; readonly events: number; readonly unknown: Readonly<Record<string, number>>; readonly informational: Readonly<Record<string, number>>; readonly notes: readonly string[] }[];
  readonly spec: { readonly name: string; readonly file: string };
  readonly groups: readonly { readonly file: string; readonly device: string; readonly outcome: ReplayOutcome; readonly runs: readonly ReplayRow[]; readonly conforming: readonly string[] }[];
  readonly outcome: ReplayOutcome;
}

const isStep = (o: ReplayEvent | LabelledStep): o is LabelledStep => !('call' in o);
const showObs = (o: ReplayEvent | LabelledStep): string => (isStep(o) ? o.label : showEvent(o));
const lineOf = (o: ReplayEvent | LabelledStep, index: number): number | undefined => (isStep(o) ? index + 1 : o.line);
const profileName = (c: Readonly<Record<string, unknown>>): string =>
  'DRIVER' in c ? ['DRIVER', 'USER'].filter((k) => k in c).map((k) => `${k}=${String(c[k])}`).join(' ') : Object.entries(c).map(([k, v]) => `${k}=${String(v)}`).join(' ');

/** The worst of several outcomes: a departure over an incomplete log over conformance. */
const RANK: Readonly<Record<ReplayOutcome, number>> = { conforms: 0, incomplete: 1, departs: 2, error: 3, malformed: 4 };
const worst = (os: readonly ReplayOutcome[]): ReplayOutcome => os.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'conforms' as ReplayOutcome);
const outcomeOf = (v: ReplayVerdict<unknown, unknown>): ReplayOutcome => v.kind;

/** A group's outcome across profiles: it conforms when some profile conforms (the best of them). */
const bestOf = (runs: readonly ReplayRow[]): ReplayOutcome =>
  runs.map((r) => outcomeOf(r.verdict)).reduce((a, b) => (RANK[b] < RANK[a] ? b : a), 'malformed' as ReplayOutcome);

function readLog(file: string, cwd: string): { path: string; text: string } {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  if (!existsSync(path)) throw new ConfigError(`log file not found: ${file}`);
  if (!statSync(path).isFile()) throw new ConfigError(`not a file: ${file}`);
  return { path, text: readFileSync(path, 'utf8') };
}

function nameList(option: string, value: string | undefined, known: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'any') return [...known];
  const names = value.split(',').map((v) => v.trim());
  for (const v of names) if (!known.includes(v)) throw new UsageError(`${option}: unknown profile '${v}' (known: ${known.join(', ')}, or any)${suggest(v, known)}`);
  return [...new Set(names)];
}

/** The command's procedure. Returns the exit code. */
export async function replayCommand(ctx: CliContext, files: readonly string[], opts: ReplayCliOptions): Promise<number> {
  const { io } = ctx;
  if (!(REPLAY_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format: '${opts.format}' is not one of ${REPLAY_FORMATS.join(', ')}${suggest(opts.format, REPLAY_FORMATS)}`);
  if (opts.formatIn !== undefined) {
    const bad = logFormatProblem(opts.formatIn);
    if (bad) throw new UsageError(`--format-in: ${bad}${bad.includes('did you mean') ? '' : suggest(opts.formatIn, LOG_FORMATS)}`);
  }
  if (opts.side !== undefined && !(SIDES as readonly string[]).includes(opts.side)) throw new UsageError(`--side: '${opts.side}' is not one of ${SIDES.join(', ')}${suggest(opts.side, SIDES)}`);
  if (opts.kernel !== undefined && !(KERNEL_PROFILES as readonly string[]).includes(opts.kernel))
    throw new UsageError(`--kernel: unknown kernel profile '${opts.kernel}' (known: ${KERNEL_PROFILES.join(', ')}; model/kernel/)${suggest(opts.kernel, KERNEL_PROFILES)}`);
  const maxHidden = opts.maxHidden === undefined ? 8 : Number(opts.maxHidden);
  if (!Number.isSafeInteger(maxHidden) || maxHidden < 0) throw new UsageError(`--max-hidden: '${opts.maxHidden}' is not a count (an integer >= 0)`);
  const drivers = nameList('--driver', opts.driver, DRIVER_NAMES);
  const users = nameList('--user', opts.user, userNames());

  // Read and parse every log; a malformed one is reported line by line and nothing is replayed.
  const parsed: { file: string; format: LogFormat; devices: DeviceLog[]; steps?: readonly LabelledStep[]; specFile?: string; constants?: Readonly<Record<string, string | number | boolean>>; info: ReplayReport['files'][number] }[] = [];
  let malformed = false;
  for (const file of files) {
    const { text } = readLog(file, io.cwd);
    const format = (opts.formatIn as LogFormat | undefined) ?? detectFormat(text);
    if (format === null) {
      const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
      io.err(`${file}:1: cannot tell the log format from its first line ('${first.slice(0, 60)}'); give --format-in (${LOG_FORMATS.join(', ')})\n`);
      malformed = true;
      continue;
    }
    const r = parseLog(format, text, { side: opts.side as Side | undefined });
    if (!r.ok) {
      for (const p of r.problems) io.err(showProblem(file, p) + '\n');
      malformed = true;
      continue;
    }
    if (r.events.length === 0) {
      // Nothing to replay is no verdict: a log read in the wrong format, or an empty one.
      const guess = detectFormat(text);
      io.err(`${file}:1: no ${format} events in this log (${r.otherLines} line${r.otherLines === 1 ? '' : 's'} that are not ${format} entries)${guess && guess !== format ? `; it looks like ${guess} (--format-in ${guess})` : ''}\n`);
      malformed = true;
      continue;
    }
    const info = { file, format, events: r.events.length, unknown: r.unknown, informational: r.informational, notes: r.notes.map((n) => showProblem(file, n)) };
    if (format === 'json' || format === 'itf') {
      const t = readTrace(text);
      if (!t.ok) throw new Error('readTrace disagrees with parseLog');
      const steps = opts.asLog ? undefined : t.steps.slice(1);
      parsed.push({ file, format, devices: opts.asLog ? splitDevices(r.events) : [], steps, specFile: t.specFile, constants: t.constants, info });
    } else parsed.push({ file, format, devices: splitDevices(r.events), info });
  }
  if (malformed) return replayExitCode('malformed');

  // The spec: as given, or the one a migcheck trace names, or the built-in default.
  const specFiles = [...new Set(parsed.map((p) => p.specFile).filter((f): f is string => f !== undefined))];
  const specArg = opts.spec ?? (specFiles.length === 1 ? specFiles[0] : undefined);
  if (opts.spec === undefined && specFiles.length > 1) throw new UsageError(`the traces name different specs (${specFiles.join(', ')}); replay them one at a time or give --spec`);
  // A trace names its spec as `check` was given it, relative to where check ran: here, or (a
  // built-in spec) the package.
  const named = opts.spec === undefined && specArg !== undefined && !isAbsolute(specArg) && !existsSync(resolve(io.cwd, specArg)) && existsSync(resolve(packageRoot, specArg));
  const { spec, display } = await loadSpec(named ? resolve(packageRoot, specArg) : specArg, io.cwd);
  const overrides = parseConstOptions(spec as Spec, opts.const);

  const combos = (base: Readonly<Record<string, string | number | boolean>>): Record<string, string | number | boolean>[] => {
    const out: Record<string, string | number | boolean>[] = [];
    for (const d of drivers ?? [undefined]) for (const u of users ?? [undefined]) {
      const c: Record<string, string | number | boolean> = { ...base, ...overrides };
      if (d !== undefined) c.DRIVER = d;
      if (u !== undefined) c.USER = u;
      if (opts.kernel !== undefined) c.KERNEL = opts.kernel;
      out.push(c);
    }
    return out;
  };

  const groups: ReplayReport['groups'][number][] = [];
  for (const p of parsed) {
    const base = opts.spec === undefined ? p.constants ?? {} : {};
    const instances = combos(base).map((c) => instantiate(spec as Spec, c) as Instance<unknown>);
    if (p.steps) {
      const runs = instances.map((inst): ReplayRow => {
        // Every step is recorded; what a migration still owes at the end is the model's to say
        // (a liveness counterexample ends with a save pending: incomplete, not conforming).
        const owed = vfioObserver(inst, { exact: true, sides: new Set(SIDES) }).owed;
        const verdict = replayLog(new Successors(inst, { invariants: opts.invariant }), { ...labelObserver<unknown>(), owed }, p.steps!, { maxHidden });
        return { file: p.file, device: '(every step)', sides: [], constants: inst.constants, verdict, explanation: verdict.kind === 'departs' ? explainDeparture(inst, verdict as never) : undefined, log: p.steps!, steps: true };
      });
      groups.push(group(p.file, '(every step)', runs));
      continue;
    }
    if (p.devices.length === 0) {
      groups.push({ file: p.file, device: '(none)', outcome: 'conforms', runs: [], conforming: [] });
      continue;
    }
    for (const dev of p.devices) {
      const runs = instances.map((inst): ReplayRow => {
        const r = replayDevice(inst, dev, { exact: p.format === 'json' || p.format === 'itf', maxHidden, invariants: opts.invariant, untraced: p.format === 'qemu' ? QEMU_UNTRACED : [] });
        return { file: p.file, device: dev.name, sides: dev.sides, constants: r.constants, verdict: r.verdict, explanation: r.explanation, exercised: r.exercised, log: dev.events, steps: false };
      });
      groups.push(group(p.file, dev.name, runs));
    }
  }
  const report: ReplayReport = { files: parsed.map((p) => p.info), spec: { name: spec.name, file: display }, groups, outcome: worst(groups.map((g) => g.outcome)) };

  const c = ctx.chalk(opts.color !== false && io.isTTY && opts.out === undefined);
  let text: string;
  switch (opts.format as ReplayFormat) {
    case 'json': text = JSON.stringify(replayJson(report), null, 1) + '\n'; break;
    case 'junit': text = replayJUnit(report); break;
    case 'github': text = replayGithub(report); break;
    case 'text': text = replayText(report, { full: opts.full === true, ok: c.green, bad: c.red, dim: c.dim, bold: c.bold }); break;
  }
  if (opts.out !== undefined) io.writeFile(isAbsolute(opts.out) ? opts.out : resolve(io.cwd, opts.out), text);
  else io.out(text);
  if (opts.format !== 'text' || opts.out !== undefined) io.err(`migcheck replay: ${summaryLine(report)}\n`);
  return replayExitCode(report.outcome, opts.allowIncomplete === true);
}

function group(file: string, device: string, runs: readonly ReplayRow[]): ReplayReport['groups'][number] {
  return { file, device, outcome: bestOf(runs), runs, conforming: runs.filter((r) => r.verdict.kind === 'conforms').map((r) => profileName(r.constants)) };
}

/** The run a group's report shows first: a conforming one, else the one that got furthest. */
function headRun(g: ReplayReport['groups'][number]): ReplayRow | undefined {
  const reach = (r: ReplayRow) => (r.verdict.kind === 'departs' || r.verdict.kind === 'error' ? r.verdict.index : r.log.length + 1);
  return [...g.runs].sort((a, b) => RANK[outcomeOf(a.verdict)] - RANK[outcomeOf(b.verdict)] || reach(b) - reach(a))[0];
}

function summaryLine(r: ReplayReport): string {
  const n = r.groups.length;
  const by = (o: ReplayOutcome) => r.groups.filter((g) => g.outcome === o).length;
  return `${r.outcome} (${n} device log${n === 1 ? '' : 's'}: ${by('conforms')} conform, ${by('departs')} depart, ${by('incomplete')} incomplete${by('error') ? `, ${by('error')} undecided` : ''})`;
}

/** One row of the side-by-side view: the log's event (or nothing, for a hidden step) and the model's step. */
interface SideRow { readonly mark: string; readonly index?: number; readonly line?: number; readonly log: string; readonly model: string }

export function sideBySide(row: ReplayRow): SideRow[] {
  const v = row.verdict;
  if (v.kind === 'error') return [];
  const out: SideRow[] = [];
  for (const st of v.witness as readonly WitnessStep<unknown>[]) {
    if (st.action === 'Init') continue;
    if (st.hidden) {
      out.push({ mark: ' ', log: '', model: `${st.label}  [${st.action}, not observed]` });
      continue;
    }
    for (let k = st.from; k < st.to; k++) {
      const o = row.log[k];
      const same = isStep(o) && o.label === st.label;
      const model = k > st.from ? '  (the same step)' : st.action === 'skip' ? `(skipped: ${st.label})` : st.action === 'stutter' ? `(no step: ${st.label})` : same ? `= [${st.action}]` : `${st.label}  [${st.action}]`;
      out.push({ mark: ' ', index: k + 1, line: lineOf(o, k), log: showObs(o), model });
    }
  }
  if (v.kind === 'departs')
    out.push({ mark: '✗', index: v.index + 1, line: lineOf(v.observation, v.index), log: showObs(v.observation), model: v.broken ? `the model makes this step only by breaking ${v.broken.name}` : 'no step of the model matches' });
  return out;
}

const SHOWN_ROWS = 24;

export function replayText(r: ReplayReport, p: { full: boolean; ok: (s: string) => string; bad: (s: string) => string; dim: (s: string) => string; bold: (s: string) => string }): string {
  const L: string[] = [];
  for (const f of r.files) {
    const extra = [
      Object.keys(f.unknown).length ? `unknown: ${Object.entries(f.unknown).map(([k, n]) => `${k} x${n}`).join(', ')}` : '',
      Object.keys(f.informational).length ? `informational: ${Object.values(f.informational).reduce((a, b) => a + b, 0)}` : '',
    ].filter(Boolean);
    L.push(`${f.file}: ${f.format}, ${f.events} event${f.events === 1 ? '' : 's'}${extra.length ? ` (${extra.join('; ')})` : ''}`);
    for (const n of f.notes) L.push(p.dim(`  note: ${n}`));
  }
  L.push(`spec: ${r.spec.name} (${r.spec.file})`);
  for (const g of r.groups) {
    L.push('');
    const head = headRun(g);
    if (!head) {
      L.push(`${g.file}: no device events to replay`);
      continue;
    }
    const v = head.verdict;
    const who = `${g.file} ${g.device}${head.sides.length ? ` (${head.sides.join(' + ')})` : ''}`;
    const profiles = g.runs.length > 1 ? ` — ${g.conforming.length} of ${g.runs.length} profiles conform${g.conforming.length ? `: ${g.conforming.join('; ')}` : ''}` : '';
    switch (v.kind) {
      case 'conforms': L.push(p.ok(p.bold(`${who}: CONFORMS`)) + ` with ${profileName(head.constants)}${profiles}`); break;
      case 'departs': L.push(p.bad(p.bold(`${who}: DEPARTS at ${head.steps ? 'step' : 'event'} ${v.index + 1}${!head.steps && lineOf(v.observation, v.index) !== undefined ? ` (line ${lineOf(v.observation, v.index)})` : ''}`)) + ` under ${profileName(head.constants)}${profiles}`); break;
      case 'incomplete': L.push(p.bold(`${who}: INCOMPLETE`) + ` under ${profileName(head.constants)}: the log ends mid-migration${profiles}`); break;
      case 'error': L.push(p.bad(`${who}: UNDECIDED at event ${v.index + 1}: ${v.message}`)); continue;
    }
    const rows = sideBySide(head);
    const shown = p.full || rows.length <= SHOWN_ROWS ? rows : rows.slice(rows.length - SHOWN_ROWS);
    if (shown.length < rows.length) L.push(p.dim(`  … ${rows.length - shown.length} earlier rows (--full shows them)`));
    const w = Math.min(64, Math.max(12, ...shown.map((x) => x.log.length)));
    const lw = Math.max(4, ...shown.map((x) => String(x.line ?? '').length));
    L.push(p.dim(`  ${'#'.padStart(6)} ${(head.steps ? 'step' : 'line').padStart(lw)}  ${'log'.padEnd(w)}  model`));
    for (const x of shown) {
      const text = `${x.mark} ${String(x.index ?? '').padStart(6)} ${String(x.line ?? '').padStart(lw)}  ${x.log.padEnd(w)}  ${x.model}`;
      L.push(x.mark === '✗' ? p.bad(text) : x.index === undefined ? p.dim(text) : text);
    }
    if (v.kind === 'departs') {
      const e = head.explanation!;
      if (!v.broken) {
        L.push(`  the model allowed instead: ${v.allowed.length ? '' : '(nothing: no step is enabled)'}`);
        for (const a of v.allowed) L.push(`    ${a}`);
      }
      if (v.near.length && !v.broken) L.push(`  the same call with the model's result: ${v.near.join(' | ')}`);
      if (e.property) L.push(`  broken: ${e.property}${e.clause ? ` [${e.clause}${e.level ? ` ${e.level}` : ''}]` : ''}${e.text ? `: ${e.text}` : ''}`);
      L.push(`  party to blame: ${e.party} (${e.why})`);
    }
    if (v.kind === 'incomplete') for (const o of v.owed) L.push(`  still owed: ${o}`);
    if (v.kind === 'conforms') {
      const clauseOf = new Map(v.checked.map((c) => [c.name, c.clause]));
      const named = (ns: readonly string[]) => ns.map((n) => (clauseOf.get(n) ? `${n} [${clauseOf.get(n)}]` : n)).join(', ');
      L.push(p.dim(`  ${v.observations} events, ${Object.values(v.actions).reduce((a, b) => a + b, 0)} model steps (${Object.entries(v.actions).map(([a, n]) => `${a} x${n}`).join(', ')})`));
      if (head.exercised) L.push(`  exercised: ${named(head.exercised)}`);
      L.push(p.dim(`  checked on every step: ${named(v.checked.map((c) => c.name))}`));
    }
    if (v.skipped.length) L.push(p.dim(`  skipped ${v.skipped.length} event${v.skipped.length === 1 ? '' : 's'} the model does not know: ${[...new Set(v.skipped.map((s) => s.reason))].join('; ')}`));
    L.push(p.dim(`  ${v.stats.states} model states kept (at most ${v.stats.widest} at one position), ${v.stats.generated} successors, ${v.stats.seconds.toFixed(2)} s`));
  }
  L.push('', summaryLine(r));
  return L.join('\n') + '\n';
}

export function replayJson(r: ReplayReport): unknown {
  return {
    migcheck: 1,
    command: 'replay',
    outcome: r.outcome,
    exitCode: replayExitCode(r.outcome),
    spec: r.spec,
    files: r.files,
    devices: r.groups.map((g) => ({
      file: g.file,
      device: g.device,
      outcome: g.outcome,
      conforming: g.conforming,
      runs: g.runs.map((run) => {
        const v = run.verdict;
        const base = { constants: run.constants, outcome: v.kind, stats: v.stats, skipped: v.skipped.map((s) => ({ index: s.index, line: lineOf(s.observation, s.index), reason: s.reason })) };
        switch (v.kind) {
          case 'conforms': return { ...base, events: v.observations, actions: v.actions, checked: v.checked, exercised: run.exercised };
          case 'incomplete': return { ...base, events: v.observations, owed: v.owed };
          case 'error': return { ...base, index: v.index, message: v.message };
          case 'departs':
            return {
              ...base, index: v.index, line: lineOf(v.observation, v.index), event: v.observation, shown: showObs(v.observation),
              allowed: v.allowed, near: v.near, explanation: run.explanation,
              witness: v.witness.filter((w) => w.action !== 'Init').map((w) => ({ action: w.action, label: w.label, events: [w.from, w.to] })),
            };
        }
      }),
    })),
  };
}

function departMessage(run: ReplayRow): string {
  const v = run.verdict;
  if (v.kind !== 'departs') return '';
  const e = run.explanation!;
  return `departs at event ${v.index + 1}: ${showObs(v.observation)}; ${e.property ? `breaks ${e.property}${e.clause ? ` [${e.clause} ${e.level ?? ''}]`.trimEnd() : ''}${e.text ? ` (${e.text})` : ''}; ` : ''}blame: ${e.party}; the model allowed: ${v.allowed.join(' | ') || 'nothing'}`;
}

export function replayJUnit(r: ReplayReport): string {
  return renderJUnit(r.groups.map((g) => ({
    name: `replay ${g.file} ${g.device}`,
    time: g.runs.reduce((t, x) => t + x.verdict.stats.seconds, 0),
    cases: g.runs.map((run) => {
      const v = run.verdict;
      const name = profileName(run.constants) || r.spec.name;
      const classname = `replay.${g.device}`;
      switch (v.kind) {
        case 'conforms': return { name, classname, time: v.stats.seconds };
        case 'departs': return { name, classname, time: v.stats.seconds, failure: { message: departMessage(run), type: run.explanation?.clause ?? 'departs', text: sideBySide(run).map((x) => `${x.mark} ${x.index ?? ''} ${x.log}  ${x.model}`).join('\n') } };
        case 'incomplete': return { name, classname, time: v.stats.seconds, failure: { message: `the log ends mid-migration: ${v.owed.join('; ')}`, type: 'incomplete' } };
        case 'error': return { name, classname, time: v.stats.seconds, error: { message: v.message, type: 'error' } };
      }
    }),
  })), 'migcheck replay');
}

export function replayGithub(r: ReplayReport): string {
  const out: string[] = [];
  for (const g of r.groups) {
    const run = headRun(g);
    if (!run) continue;
    const v = run.verdict;
    const where = { file: g.file };
    switch (v.kind) {
      case 'conforms': out.push(annotation({ level: 'notice', ...where, title: `replay ${g.device}: conforms`, message: `${v.observations} events conform to ${r.spec.name} with ${profileName(run.constants)}` })); break;
      case 'departs': out.push(annotation({ level: 'error', ...where, line: lineOf(v.observation, v.index), title: `replay ${g.device}: ${run.explanation?.clause ?? 'departs'}`, message: departMessage(run) })); break;
      case 'incomplete': out.push(annotation({ level: 'warning', ...where, title: `replay ${g.device}: incomplete`, message: `the log ends mid-migration: ${v.owed.join('; ')}` })); break;
      case 'error': out.push(annotation({ level: 'error', ...where, title: `replay ${g.device}: undecided`, message: v.message })); break;
    }
  }
  return out.join('\n') + '\n';
}

/** Adds `migcheck replay` to the program (package.json "migcheck.commands"). */
export function register(program: Command, ctx: CliContext): void {
  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
  program
    .command('replay')
    .description('replay a recorded migration (QEMU trace, strace, JSON lines, or a migcheck trace) against the model: conforms, departs at event k, or incomplete')
    .argument('<log...>', 'log files; each is replayed on its own, device by device')
    .addOption(new Option('--format-in <format>', `log format (default: detected from the first line): ${LOG_FORMATS.join(', ')}`))
    .option('--spec <file>', 'spec to replay against (default: the spec a migcheck trace names, else the built-in default)')
    .option('--driver <names>', `driver profile(s), comma-separated, or any (try each): ${DRIVER_NAMES.join(', ')}`)
    .option('--user <names>', `user (VMM) profile(s), comma-separated, or any: ${userNames().join(', ')}`)
    .option('--kernel <name>', `kernel profile (sets the spec's KERNEL constant): ${KERNEL_PROFILES.join(', ')} (default ${DEFAULT_KERNEL})`)
    .option('--const <NAME=VALUE>', 'set a spec constant (repeatable), e.g. MAX_VERSION=3', collect, [])
    .option('--invariant <name>', 'judge steps by only this invariant or action property (repeatable), as check --invariant', collect, [])
    .option('--side <side>', 'qemu, strace: the side of every device (default: from what the log shows)')
    .option('--as-log', 'json, itf: replay only the uAPI calls the trace shows, as a recorded log would (default: every step, by its label)')
    .option('--max-hidden <n>', 'unobserved model steps allowed between two events', '8')
    .option('--format <format>', `output format: ${REPLAY_FORMATS.join(', ')}`, 'text')
    .option('--out <file>', 'write the report to a file')
    .option('--full', 'show the whole log side by side (default: the last rows)')
    .option('--allow-incomplete', 'exit 0 when a log ends mid-migration')
    .option('--no-color', 'no colour in text output')
    .addHelpText('after', '\nExit codes: 0 conforms, 12 departs, 14 incomplete (log ends mid-migration), 75 undecided (state bound or spec error), 150 unreadable or malformed log or bad spec, 2 usage.')
    .action(async (logs: string[], opts: ReplayCliOptions) => {
      ctx.setExit(await replayCommand(ctx, logs, opts));
    });
}
