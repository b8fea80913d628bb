// `migcheck matrix`: checks driver x user pairs of the VFIO migration model against the
// clauses of a uAPI wording profile, or (`--diff A B`) shows which behaviours two wordings
// judge differently. Registered as a plugin command (package.json "migcheck.commands").
// Declarations and the procedure live here; the search is model/wording/matrix.ts, the rendering
// model/wording/matrix-report.ts; the exit code goes back through ctx.setExit.

import { withStopSignals } from '../../checker/cli/stopping.js';
import { Option, type Command } from 'commander';
import { join } from 'node:path';
import {
  OutputError, UsageError, checkOutFile, errnoText, commandLine, invocation, parseCount as count, parseList as list, prepareOutDir,
  progressDisplay, writeReportFile, type CliContext,
} from '../../checker/index.js';
import {
  MATRIX_EXIT, MATRIX_MODEL_DEFAULTS, defaultDrivers, defaultUsers, diffMatrices, matrixExitCode, runMatrixAsync,
  type MatrixResult, type Row,
} from '../wording/matrix.js';
import {
  MATRIX_FORMATS, diffJson, formatDiffMarkdown, formatDiffText, formatMatrixMarkdown, formatMatrixText, matrixGithub,
  matrixJUnit, matrixJson, rowLabel, traceFileBase, traceFileItf, traceFileText, traceKey, type MatrixReportContext,
} from '../wording/matrix-report.js';
import { CLAUSE_CATALOGUE, clauseText, withReadings } from '../wording/clauses.js';
import { DEFAULT_WORDING, WORDINGS, loadWording, wording as builtinWording } from '../wording/index.js';
import { DRIVER_NAMES } from '../drivers/index.js';
import { DEFAULT_KERNEL, KERNEL_NAMES } from '../kernel/index.js';
import { loadDriver, loadKernel } from './load.js';
import { userNames } from '../users/index.js';
import type { MigrationOptions } from '../datapath/migration.js';

export interface MatrixCliOptions {
  wording: string;
  drivers?: string;
  users?: string;
  format: string;
  traces?: string;
  strict?: boolean;
  diff?: string[];
  units: string;
  maxVersion: string;
  features: string;
  reinit: boolean;
  maxStates?: string;
  maxDepth?: string;
  out?: string;
  color: boolean;
  list?: boolean;
  kernel?: string;
  kernels?: string;
  readings?: boolean;
}

const DIFF_FORMATS = ['text', 'json', 'markdown'];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('matrix')
    .description('check driver x user pairs of the VFIO migration model against the clauses of a uAPI wording')
    .option('--wording <name|file>', 'wording profile: a built-in name or a .ts/.json file', DEFAULT_WORDING)
    .option('--drivers <list>', `driver profiles, comma-separated (default: the conforming ones; known: ${DRIVER_NAMES.join(', ')})`)
    .option('--users <list>', 'user models, comma-separated; NAME+ack turns on QEMU\'s switchover-ack (default: every user, qemu-like with and without +ack)')
    .addOption(new Option('--format <format>', 'output format').choices([...MATRIX_FORMATS]).default('text'))
    .option('--traces <dir>', 'write the shortest trace of every violated or exercised cell to DIR (text and ITF)')
    .option('--strict', 'fail (exit 10) on SHOULD/REC violations and vacuous MAY clauses too')
    .option('--diff <wordings...>', 'compare two wordings: which behaviours one allows and the other forbids (give two names or files)')
    .option('--units <n>', 'units of device state in the model', String(MATRIX_MODEL_DEFAULTS.units))
    .option('--max-version <n>', 'how often each unit may change', String(MATRIX_MODEL_DEFAULTS.maxVersion))
    .option('--features <flags>', 'migration flags asked of the devices, e.g. P2P,PRE_COPY', String(MATRIX_MODEL_DEFAULTS.features))
    .option('--no-reinit', 'devices never re-initialise their migration data (REINIT-5): the devices of the 2022 texts')
    .option('--max-states <n>', 'bound each search (a pair that hits it is incomplete: exit 14)')
    .option('--max-depth <n>', 'bound each search by depth (a pair that hits it is incomplete: exit 14)')
    .option('--out <file>', 'write the report to a file instead of standard output')
    .option('--no-color', 'no colour in text output')
    .option('--list', 'list the built-in wordings and the clause catalogue, then exit')
    .option('--kernel <name|file>', `kernel profile around the drivers (${KERNEL_NAMES.join(', ')}, or a .json/.ts file; default ${DEFAULT_KERNEL})`)
    .option('--readings', 'check each reading of an ambiguous clause (e.g. PRECOPY-4/session, PRECOPY-4/migration) as a column of its own')
    .option('--kernels <list>', 'run the matrix once per kernel, comma-separated, and show them one after the other')
    .addHelpText('after', '\nExit codes: 0 no MUST-level violation; 10 SHOULD/REC or vacuous findings with --strict; 12 a MUST-level violation;\n14 a search stopped at a bound; 74 the report or a trace file could not be written; 150 bad wording, driver, user or path; 2 usage. See docs/wording-lab.md.')
    .action(async (opts: MatrixCliOptions) => {
      ctx.setExit(await matrixCommand(ctx, opts));
    });
}

/** `--list`: the built-in wordings with their clauses, and the catalogue. */
export function listText(): string {
  const lines: string[] = ['Wordings:'];
  for (const p of WORDINGS) {
    const w = builtinWording(p.name);
    lines.push(`  ${p.name}${p.name === DEFAULT_WORDING ? ' (default)' : ''}  ${p.doc}`);
    lines.push(`      ${w.clauses.map((c) => `${c.key} ${c.level}`).join(', ')}`);
  }
  lines.push('', 'Clause catalogue (model/wording/clauses.ts):');
  for (const [key, c] of Object.entries(CLAUSE_CATALOGUE)) {
    lines.push(`  ${key}  ${c.party}; merged text: ${c.level}; checked by ${c.property.name}`);
    lines.push(`      ${clauseText(c, c.level)}`);
  }
  lines.push('', `Drivers: ${DRIVER_NAMES.join(', ')}`, `Users: ${userNames().join(', ')} (NAME+ack: with switchover-ack)`);
  return lines.join('\n') + '\n';
}

export async function matrixCommand(ctx: CliContext, o: MatrixCliOptions): Promise<number> {
  // SIGINT/SIGTERM stop the matrix at the next pair, with the report of the pairs checked (130/143).
  return withStopSignals((s) => ctx.io.err(s), (signal) => matrixRun(ctx, o, signal));
}

async function matrixRun(ctx: CliContext, o: MatrixCliOptions, signal: AbortSignal): Promise<number> {
  const { io } = ctx;
  if (o.list) {
    io.out(listText());
    return MATRIX_EXIT.OK;
  }
  if (o.diff && o.diff.length !== 2) throw new UsageError(`--diff takes exactly two wordings (names or files), got ${o.diff.length}`);
  if (o.diff && !DIFF_FORMATS.includes(o.format)) throw new UsageError(`--diff reports in ${DIFF_FORMATS.join(', ')}, not ${o.format}`);
  const model: Omit<MigrationOptions, 'driver' | 'user'> = {
    units: count('--units', o.units),
    maxVersion: count('--max-version', o.maxVersion),
    features: o.features,
    reinit: o.reinit,
    ...(o.kernel !== undefined ? { kernel: await loadKernel(o.kernel, io.cwd) } : {}),
  };
  if (o.kernel !== undefined && o.kernels !== undefined) throw new UsageError('give --kernel or --kernels, not both');
  const drivers = list('--drivers', o.drivers) ?? defaultDrivers();
  // Files among the drivers are loaded once; built-in names stay names.
  const driverProfiles = await Promise.all(drivers.map((d) => loadDriver(d, io.cwd)));
  const users = list('--users', o.users) ?? defaultUsers();
  const maxStates = count('--max-states', o.maxStates);
  const maxDepth = count('--max-depth', o.maxDepth);

  // Paths are checked (and the trace directory created) before the searches start.
  const outPath = o.out === undefined ? undefined : checkOutFile('--out', o.out, io.cwd);
  const traceDir = o.traces === undefined ? undefined : prepareOutDir('--traces', o.traces, io.cwd);

  const base = [...invocation(io.cwd), 'matrix'];
  const tail = ['--drivers', drivers.join(','), '--users', users.join(','), '--units', String(model.units), '--max-version', String(model.maxVersion), '--features', String(model.features), ...(model.reinit ? [] : ['--no-reinit'])];
  if (o.kernel !== undefined) tail.push('--kernel', o.kernel);
  if (o.readings) tail.push('--readings');
  // With --readings, each reading of a clause is a clause (a column) of its own.
  const loadWordingAs = async (w: string) => {
    const loaded = await loadWording(w, io.cwd);
    return o.readings ? { ...loaded, clauses: withReadings(loaded.clauses) } : loaded;
  };
  if (maxStates) tail.push('--max-states', String(maxStates));
  if (maxDepth) tail.push('--max-depth', String(maxDepth));
  const cmd = commandLine;

  const run = async (w: string) => {
    const wording = await loadWordingAs(w);
    const progress = progressDisplay(io, `matrix ${wording.name}`);
    progress.show(`${drivers.length * users.length} pairs`);
    try {
      return await runMatrixAsync({
        wording, drivers: driverProfiles, users, model, maxStates, maxDepth,
        onRow: (r: Row, i: number, n: number) => progress.show(`${i + 1}/${n} ${rowLabel(r)} (${r.runs} searches)`),
      }, signal);
    } finally {
      progress.done();
    }
  };
  const finish = (text: string) => {
    if (o.out !== undefined && outPath !== undefined) writeReportFile('--out', o.out, outPath, text, io.writeFile);
    else io.out(text);
  };
  const color = ctx.chalk(o.color && !o.out && io.isTTY && o.format === 'text');

  if (o.diff) {
    const [a, b] = [await run(o.diff[0]), await run(o.diff[1])];
    const diffs = diffMatrices(a, b);
    const rows = [...a.rows, ...b.rows];
    const stopped = a.stopped ? a : b.stopped ? b : undefined;
    const code = stopped ? matrixExitCode(stopped) : rows.some((r) => r.status === 'error') ? MATRIX_EXIT.EVAL_ERROR : rows.some((r) => r.status === 'incomplete') ? MATRIX_EXIT.INCOMPLETE : MATRIX_EXIT.OK;
    const reproduce = cmd([...base, '--diff', o.diff[0], o.diff[1], ...tail]);
    if (traceDir) {
      const dir = traceDir;
      for (const d of diffs) {
        const m = d.stricter === 'A' ? a : b;
        const row = m.rows.find((r) => r.driver === d.driver && r.user === d.user)!;
        const cell = row.cells.find((c) => c.key === d.key) ?? (d.stricter === 'A' ? b : a).rows.find((r) => r.driver === d.driver && r.user === d.user)!.cells.find((c) => c.key === d.key)!;
        writeCell(ctx, dir, m, row, { ...cell, trace: d.trace }, reproduce);
      }
    }
    finish(o.format === 'json' ? JSON.stringify(diffJson(a, b, diffs, code, reproduce), null, 2) + '\n' : o.format === 'markdown' ? formatDiffMarkdown(a, b, diffs) : formatDiffText(a, b, diffs, reproduce, color));
    return code;
  }

  if (o.kernels !== undefined) {
    // One matrix per kernel, in the order given; the exit code is the worst of them.
    if (o.format !== 'text') throw new UsageError(`--kernels reports in text, not ${o.format}`);
    const kernels = list('--kernels', o.kernels)!;
    const parts: string[] = [];
    let worst: number = MATRIX_EXIT.OK;
    for (const k of kernels) {
      const wordingK = await loadWordingAs(o.wording);
      const mk = await runMatrixAsync({ wording: wordingK, drivers: driverProfiles, users, model: { ...model, kernel: await loadKernel(k, io.cwd) }, maxStates, maxDepth }, signal);
      const codeK = matrixExitCode(mk, o.strict);
      worst = Math.max(worst, codeK);
      const reproduceK = cmd([...base, '--wording', o.wording, ...tail, '--kernel', k, ...(o.strict ? ['--strict'] : [])]);
      parts.push(`kernel ${k}\n\n${formatMatrixText(mk, { exitCode: codeK, strict: Boolean(o.strict), reproduce: reproduceK, files: new Map() }, color)}`);
      if (mk.stopped) break;
    }
    finish(parts.join('\n'));
    return worst;
  }

  const m = await run(o.wording);
  const code = matrixExitCode(m, o.strict);
  const reproduce = cmd([...base, '--wording', o.wording, ...tail, ...(o.strict ? ['--strict'] : [])]);
  const files = new Map<string, string>();
  if (traceDir) {
    const dir = traceDir;
    for (const row of m.rows)
      for (const cell of row.cells) {
        if (!cell.trace || (cell.verdict !== 'violated' && cell.verdict !== 'exercised')) continue;
        const pairCmd = cmd([...base, '--wording', o.wording, '--drivers', row.driver, '--users', row.user, ...tail.slice(4)]);
        files.set(traceKey(m.wording.name, row, cell.key), writeCell(ctx, dir, m, row, cell, pairCmd));
      }
  }
  const rctx: MatrixReportContext = { exitCode: code, strict: Boolean(o.strict), reproduce, files };
  let text: string;
  switch (o.format) {
    case 'json': text = JSON.stringify(matrixJson(m, rctx), null, 2) + '\n'; break;
    case 'junit': text = matrixJUnit(m, rctx); break;
    case 'markdown': text = formatMatrixMarkdown(m, rctx); break;
    case 'github': text = matrixGithub(m, rctx, m.wording.file); break;
    default: text = formatMatrixText(m, rctx, color);
  }
  finish(text);
  if (o.traces && files.size > 0 && o.format !== 'text') io.err(`migcheck: ${files.size} trace file${files.size === 1 ? '' : 's'} written to ${o.traces}\n`);
  return code;
}

/** Writes a cell's trace as text and ITF; returns the text file's path as shown to the user. */
function writeCell(ctx: CliContext, dir: { abs: string; shown: string }, m: MatrixResult, row: Row, cell: Row['cells'][number], reproduce: string): string {
  const name = traceFileBase(m.wording.name, row, cell.key);
  try {
    ctx.io.writeFile(join(dir.abs, `${name}.txt`), traceFileText(m, row, cell, reproduce));
    ctx.io.writeFile(join(dir.abs, `${name}.itf.json`), traceFileItf(m, row, cell));
  } catch (e) {
    throw new OutputError(`--traces ${dir.shown}: cannot write ${name}: ${errnoText(e)}`);
  }
  return join(dir.shown, `${name}.txt`);
}
