// `npm run bench`: migcheck and SPIN on the same twin-model instances, side by side, in one
// run. Each migcheck run is a fresh child process so its peak RSS is its own: bench/one.ts for
// the twins, the CLI (`migcheck check`, `migcheck matrix`) for the VFIO model and the matrix;
// SPIN runs through spin-run.sh (compile excluded from its wall time, as migcheck's start-up
// and spec loading are excluded from ours). Counts are checked against the closed forms.
//
//   npm run bench                      quick set (a laptop, about a minute)
//   npm run bench -- --full            adds vfio N=7 V=1 and counters K=7 M=9
//   npm run bench -- --huge            counters K=8 M=9 (10^8 states; migcheck only unless --spin)
//   npm run bench -- --giga            counters K=9 M=9 (10^9 states, stores spilled to disk; migcheck only; 30+ min a run)
//   npm run bench -- --workers 1,2     each instance at each worker count
//   npm run bench -- --reps 3          median of 3 runs per tool and instance
//   npm run bench -- --growth          vfio N=4..7: time and memory vs distinct, SVG chart
//   npm run bench -- --real            the VFIO model itself (default spec) at UNITS=2..4, MAX_VERSION=2
//                                      (with --full also UNITS=3,4 at MAX_VERSION=3; with --growth
//                                      UNITS=1..4, chart docs/performance-growth-real.svg); no SPIN twin
//   npm run bench -- --targets         the runs the speed targets name (docs/performance.md, "Targets"):
//                                      vfio N=7 beside SPIN, the VFIO model at UNITS=3 and 4, symmetric
//                                      UNITS=4 MAX_VERSION=3, the default matrix; then each target, met or not
//   npm run bench -- --startup         whole-process start-up of the CLI (bench/startup.ts)
//   npm run bench -- --only vfio       only instances whose label contains 'vfio'
//   npm run bench -- --no-spin         migcheck only
//   npm run bench -- --md FILE         also write the table as Markdown; --json FILE: raw records

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, totalmem } from 'node:os';
import { vfioCounts, countersCounts, vfioBugTraceStates } from './closed-forms.js';
import type { RunRecord } from './one.js';
import { growthChart } from './chart.js';
import { suggest } from '../checker/names.js';
import { startupBench, startupTable } from './startup.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

export interface Instance {
  model: 'vfio' | 'counters' | 'real' | 'matrix';
  params: string;
  /**
   * Expected distinct and transitions (ok runs) or counterexample length (BUG runs); for the
   * real model, distinct and generated as the golden runs pinned them (none: not pinned).
   */
  expect: { distinct?: number; transitions?: number; generated?: number; traceStates?: number };
}

function vfio(N: number, V: number, BUG = 0): Instance {
  const params = `N=${N} V=${V}${BUG ? ' BUG=1' : ''}`;
  return { model: 'vfio', params, expect: BUG ? { traceStates: vfioBugTraceStates(N) } : vfioCounts(N, V) };
}
/**
 * The VFIO migration model (specs/vfio/default.spec.ts: reference driver, adversarial user,
 * every feature). Counts from the runs before the model-speed work (docs/decisions/model-speed.md),
 * which every later run must reproduce.
 */
const REAL_COUNTS: Readonly<Record<string, { distinct: number; generated: number }>> = {
  'UNITS=1 MAX_VERSION=2': { distinct: 5472, generated: 78720 },
  'UNITS=2 MAX_VERSION=2': { distinct: 52176, generated: 766077 },
  'UNITS=3 MAX_VERSION=2': { distinct: 471462, generated: 7052584 },
  'UNITS=4 MAX_VERSION=2': { distinct: 4260708, generated: 64838509 },
  'UNITS=3 MAX_VERSION=3': { distinct: 2788158, generated: 42037616 },
  // Orbits of the symmetric search (docs/decisions/model-speed.md, test/model/symmetry.test.ts).
  'UNITS=4 MAX_VERSION=3 SYMMETRY=true': { distinct: 5257626, generated: 80657793 },
};
function real(units: number, maxVersion: number, symmetry = false): Instance {
  const params = `UNITS=${units} MAX_VERSION=${maxVersion}${symmetry ? ' SYMMETRY=true' : ''}`;
  return { model: 'real', params, expect: REAL_COUNTS[params] ?? {} };
}
/**
 * `migcheck matrix` at its defaults (every conforming driver x every user, 2 units x 2
 * versions), as a user runs it: the CLI in a process of its own, timed whole. Its final
 * searches' distinct states as pinned when the default became 2 x 2.
 */
const MATRIX_DEFAULT: Instance = { model: 'matrix', params: 'default', expect: { distinct: 3701853 } };
function counters(K: number, M: number): Instance {
  return { model: 'counters', params: `K=${K} M=${M}`, expect: countersCounts(K, M) };
}

/**
 * The speed targets `--targets` checks (issue 15; docs/performance.md, "Targets"): the whole
 * process with one worker, in seconds, at most `goal`; or two workers' speed-up over one, at
 * least `goal`. Timings are this machine's in this run: the verdict is printed, not enforced.
 */
const TARGETS: readonly { readonly what: string; readonly instance: string; readonly kind: 'process' | 'speedup'; readonly goal: number }[] = [
  { what: 'VFIO model UNITS=3, one worker, whole process', instance: 'real UNITS=3 MAX_VERSION=2', kind: 'process', goal: 3 },
  { what: 'VFIO model UNITS=4, one worker, whole process', instance: 'real UNITS=4 MAX_VERSION=2', kind: 'process', goal: 25 },
  { what: 'symmetric UNITS=4 MAX_VERSION=3, every feature, one worker, whole process', instance: 'real UNITS=4 MAX_VERSION=3 SYMMETRY=true', kind: 'process', goal: 60 },
  { what: 'default matrix (2 units x 2 versions, every conforming driver x user), whole process', instance: 'matrix default', kind: 'process', goal: 30 },
  { what: 'two workers over one, VFIO model UNITS=4', instance: 'real UNITS=4 MAX_VERSION=2', kind: 'speedup', goal: 1.8 },
  { what: 'two workers over one, vfio twin N=7', instance: 'vfio N=7 V=1', kind: 'speedup', goal: 1.8 },
];

interface SpinRecord {
  tool: 'spin';
  distinct: number | null;
  transitions: number | null;
  wall_s: number | null;
  peak_rss_mb: number | null;
  compile_s: number;
}

interface Options {
  full: boolean;
  huge: boolean;
  giga: boolean;
  growth: boolean;
  spin: boolean;
  spinHuge: boolean;
  real: boolean;
  targets: boolean;
  workers: number[];
  reps: number;
  only?: string;
  md?: string;
  json?: string;
  svg?: string;
}

const OPTIONS = ['--full', '--huge', '--giga', '--growth', '--no-spin', '--real', '--targets', '--spin', '--workers', '--reps', '--only', '--md', '--json', '--svg', '--startup'];

function parseArgs(argv: string[]): Options {
  const o: Options = { full: false, huge: false, giga: false, growth: false, spin: true, spinHuge: false, real: false, targets: false, workers: [1], reps: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--full') o.full = true;
    else if (a === '--huge') o.huge = true;
    else if (a === '--giga') o.giga = true;
    else if (a === '--growth') o.growth = true;
    else if (a === '--no-spin') o.spin = false;
    else if (a === '--real') o.real = true;
    else if (a === '--targets') o.targets = true;
    else if (a === '--spin') o.spinHuge = true;
    else if (a === '--workers') o.workers = val().split(',').map((x) => Number(x));
    else if (a === '--reps') o.reps = Number(val());
    else if (a === '--only') o.only = val();
    else if (a === '--md') o.md = val();
    else if (a === '--json') o.json = val();
    else if (a === '--svg') o.svg = val();
    else fail(`unknown option ${a}${suggest(a, OPTIONS)} (see the header of bench/run.ts)`);
  }
  if (o.workers.some((w) => !Number.isInteger(w) || w < 1)) fail('--workers expects a list such as 1,2');
  if (!Number.isInteger(o.reps) || o.reps < 1) fail('--reps expects a positive whole number');
  return o;
}

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

function instances(o: Options): Instance[] {
  let list: Instance[];
  if (o.targets) list = [vfio(7, 1), real(3, 2), real(4, 2), real(4, 3, true), MATRIX_DEFAULT];
  else if (o.real && o.growth) list = [real(1, 2), real(2, 2), real(3, 2), real(4, 2)];
  else if (o.real) {
    list = [real(2, 2), real(3, 2), real(4, 2)];
    if (o.full) list.push(real(3, 3), real(4, 3));
  } else if (o.growth) list = [vfio(4, 1), vfio(5, 1), vfio(6, 1), vfio(7, 1)];
  else if (o.huge) list = [counters(8, 9)];
  // 10^9 states do not fit in memory as one table: the search spills to disk (CheckOptions.spill).
  else if (o.giga) list = [counters(9, 9)];
  else {
    list = [vfio(5, 1), vfio(6, 1), vfio(6, 1, 1), counters(5, 9), counters(6, 9)];
    if (o.full) list.push(vfio(7, 1), counters(7, 9));
  }
  return o.only ? list.filter((x) => `${x.model} ${x.params}`.includes(o.only!)) : list;
}

/** The instances that run through the CLI: their peak RSS comes from /usr/bin/time (bench/one.ts measures its own). */
const viaCli = (inst: Instance): boolean => inst.model === 'real' || inst.model === 'matrix';

/**
 * How one migcheck run is started. The twins run in bench/one.ts (check() timed from inside,
 * peak RSS from the process itself). The VFIO model and the matrix run as a user runs them,
 * through the CLI (`migcheck check --const …`, `migcheck matrix`, its dist/ build): their
 * 'process s' is then the command's whole process, which is what the targets measure.
 */
function command(inst: Instance, workers: number): string[] {
  if (inst.model === 'matrix') return [resolve(root, 'bin/migcheck.js'), 'matrix', '--format', 'json'];
  if (inst.model === 'real') {
    const consts = inst.params.split(/\s+/).filter(Boolean).flatMap((kv) => ['--const', kv]);
    return [resolve(root, 'bin/migcheck.js'), 'check', ...consts, '--workers', String(workers), '--format', 'json'];
  }
  return [resolve(root, 'bin/run-ts.js'), resolve(here, 'one.ts'), inst.model, inst.params, '--workers', String(workers)];
}

/** The CLI's JSON answers of `check` and `matrix`, as far as a run record needs them. */
interface CheckJson {
  status: string;
  stats: { generated: number; transitions: number; distinct: number; depth: number; seconds: number; storeBytes: number };
}
interface MatrixJson {
  summary: { runs: number; distinct: number; seconds: number; errors: number; undecided: number };
}

/**
 * The run record of one finished run: bench/one.ts prints it; a CLI run's is made from its
 * JSON, the process's wall time and (with /usr/bin/time) its peak RSS.
 */
function record(inst: Instance, workers: number, r: { status: number | null; stdout: string; stderr: string }, whole: number): RunRecord {
  const what = `migcheck run ${inst.model} ${inst.params}`;
  if (!viaCli(inst)) {
    try {
      return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as RunRecord;
    } catch {
      fail(`${what} failed (exit ${r.status}):\n${r.stderr}`);
    }
  }
  let out: CheckJson | MatrixJson;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    fail(`${what} failed (exit ${r.status}):\n${r.stderr}`);
  }
  const rss = /maxrss (\d+)/.exec(r.stderr ?? '');
  const common = {
    tool: 'migcheck' as const, model: inst.model, params: inst.params, workers,
    process_s: Number(whole.toFixed(3)), peak_rss_mb: rss ? Math.round(Number(rss[1]) / 1024) : 0, heap_mb: 0,
  };
  if ('summary' in out) {
    const sum = out.summary;
    return {
      ...common,
      // exit 0: no MUST-level violation, every search complete (docs/wording-lab.md).
      status: r.status === 0 && sum.errors === 0 && sum.undecided === 0 ? 'ok' : `exit ${r.status}`,
      distinct: sum.distinct, transitions: 0, generated: 0, depth: 0,
      wall_s: Number(sum.seconds.toFixed(3)), store_bytes: 0, searches: sum.runs,
    };
  }
  const st = out.stats;
  return {
    ...common,
    status: out.status === 'ok' && r.status === 0 ? 'ok' : `${out.status} (exit ${r.status})`,
    distinct: st.distinct, transitions: st.transitions, generated: st.generated, depth: st.depth,
    wall_s: Number(st.seconds.toFixed(3)), store_bytes: st.storeBytes,
  };
}

/**
 * One untimed CLI run before the timed ones: the CLI type-checks a spec once per content and
 * keeps the answer (checker/cli/typecheck.ts), so the first run of a fresh clone or after an
 * edit pays a few seconds that no later run does. The timed runs are the later runs.
 */
function warmCli(): void {
  process.stderr.write('  migcheck check --const UNITS=1 --const MAX_VERSION=1 (untimed: fills the type-check cache) ... ');
  const r = spawnSync(process.execPath, command(real(1, 1), 1), { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) fail(`the warm-up run failed (exit ${r.status}):\n${r.stderr}`);
  process.stderr.write('ok\n');
}

function runMigcheck(inst: Instance, workers: number): RunRecord {
  const args = command(inst, workers);
  const timed = viaCli(inst) && existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', 'maxrss %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return record(inst, workers, r, (performance.now() - t0) / 1000);
}

/**
 * The machine's own ceiling for two threads: two independent single-worker runs started
 * together. On an idle 2-core machine each takes as long as a run alone; when other load or
 * the hypervisor takes a share, they take longer, and no parallel search can do better than
 * 2 x alone / together.
 */
async function runPair(inst: Instance): Promise<RunRecord[]> {
  const one = () =>
    new Promise<RunRecord>((ok, ko) => {
      const t0 = performance.now();
      const c = spawn(process.execPath, command(inst, 1), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (err += d));
      c.on('close', (code) => {
        try {
          ok(record(inst, 1, { status: code, stdout: out, stderr: err }, (performance.now() - t0) / 1000));
        } catch (e) {
          ko(e);
        }
      });
    });
  return Promise.all([one(), one()]);
}

function spinScript(): string | undefined {
  for (const p of [resolve(root, '../shared/bench/spin-run.sh'), resolve(here, 'spin/spin-run.sh')]) if (existsSync(p)) return p;
  return undefined;
}

function haveSpin(): boolean {
  const r = spawnSync('sh', ['-c', 'command -v spin && command -v gcc && test -x /usr/bin/time'], { encoding: 'utf8' });
  return r.status === 0;
}

function runSpin(script: string, inst: Instance): SpinRecord {
  const r = spawnSync(script, [inst.model, inst.params], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as SpinRecord;
  } catch {
    fail(`spin run ${inst.model} ${inst.params} failed (exit ${r.status}):\n${r.stderr}`);
  }
}

function median<T>(xs: T[], key: (x: T) => number): T {
  const s = [...xs].sort((a, b) => key(a) - key(b));
  return s[Math.floor((s.length - 1) / 2)];
}

const fmtInt = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));
const fmtS = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const fmtRate = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`);

export interface Row {
  instance: string;
  tool: string;
  status: string;
  distinct: number | null;
  transitions: number | null;
  wall: number | null;
  /** migcheck only: the whole process (start-up, loading, search). */
  processS?: number;
  peakMb: number | null;
  /** migcheck only: bytes of seen-set, parent pointers and frontier at the end. */
  storeBytes?: number;
  ok: boolean;
  note: string;
}

/** A table as aligned text and as Markdown; columns for which `left(i)` holds are left-aligned, the others right-aligned. */
function grid(head: string[], body: string[][], left: (i: number) => boolean): { text: string; md: string } {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const text = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
  const md = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (left(i) ? '---' : '---:')).join('|')}|`, ...body.map((b) => `| ${b.join(' | ')} |`)].join('\n');
  return { text, md };
}

function table(rows: Row[], ratios: Map<string, { wall: number; mem: number }>): { text: string; md: string } {
  const head = ['instance', 'tool', 'distinct', 'transitions', 'wall s', 'process s', 'peak MB', 'bytes/state', 'store B/state', 'distinct/s', 'transitions/s', 'wall ratio', 'mem ratio', 'counts'];
  const body = rows.map((r) => {
    const ratio = r.tool.startsWith('migcheck') ? ratios.get(`${r.instance}|${r.tool}`) : undefined;
    const bps = r.peakMb !== null && r.distinct ? (r.peakMb * 2 ** 20) / r.distinct : null;
    return [
      r.instance,
      r.tool,
      fmtInt(r.distinct),
      fmtInt(r.transitions),
      fmtS(r.wall),
      r.processS === undefined ? '-' : fmtS(r.processS),
      fmtInt(r.peakMb),
      bps === null ? '-' : fmtInt(bps),
      r.storeBytes !== undefined && r.distinct ? (r.storeBytes / r.distinct).toFixed(1) : '-',
      r.wall && r.distinct ? fmtRate(r.distinct / r.wall) : '-',
      r.wall && r.transitions ? fmtRate(r.transitions / r.wall) : '-',
      ratio ? ratio.wall.toFixed(2) : '',
      ratio ? ratio.mem.toFixed(2) : '',
      (r.ok ? 'exact' : 'MISMATCH') + (r.note ? ` (${r.note})` : ''),
    ];
  });
  return grid(head, body, (i) => i < 2 || i === head.length - 1);
}

async function main(): Promise<void> {
  if (process.argv.includes('--startup')) {
    process.stdout.write(startupTable(startupBench(resolve(here, '..'))));
    return;
  }
  const o = parseArgs(process.argv.slice(2));
  const list = instances(o);
  const script = spinScript();
  const spinOk = o.spin && haveSpin() && script !== undefined && (!o.huge || o.spinHuge) && !o.giga;
  // The command as shown next to results: the options that choose what is measured (not
  // where the results are written).
  const shown: string[] = [];
  for (let i = 2; i < process.argv.length; i++) {
    if (['--md', '--json', '--svg'].includes(process.argv[i])) i++;
    else shown.push(process.argv[i]);
  }
  const cmd = `npm run bench${shown.length ? ` -- ${shown.join(' ')}` : ''}`;
  process.stderr.write(`bench: ${list.length} instance(s), workers ${o.workers.join(',')}, ${o.reps} rep(s), SPIN ${spinOk ? 'on' : 'off'}; ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB\n`);
  if (o.spin && !spinOk && !o.huge && !o.giga) process.stderr.write('bench: spin, gcc or /usr/bin/time missing: SPIN columns left out (apt-get install -y spin time gcc)\n');

  if (list.some(viaCli)) warmCli();

  const rows: Row[] = [];
  const ratios = new Map<string, { wall: number; mem: number }>();
  const scaling: string[][] = [];
  /** Speed-up of w workers over one, by `${label}|${w}` (for the targets). */
  const speedups = new Map<string, number>();
  const records: unknown[] = [];
  for (const inst of list) {
    const label = `${inst.model} ${inst.params}`;
    let spin: SpinRecord | undefined;
    const mig = new Map<number, RunRecord>();
    const spinRuns: SpinRecord[] = [];
    // The matrix runs its searches one by one: one worker.
    const workers = inst.model === 'matrix' ? [1] : o.workers;
    const migRuns = new Map<number, RunRecord[]>(workers.map((w) => [w, []]));
    // Interleave the tools so slow drift of the machine's load hits both alike.
    for (let rep = 0; rep < o.reps; rep++) {
      for (const w of workers) {
        process.stderr.write(`  migcheck ${label} workers=${w} (rep ${rep + 1}) ... `);
        const r = runMigcheck(inst, w);
        process.stderr.write(`${r.status} ${r.wall_s} s\n`);
        migRuns.get(w)!.push(r);
        records.push(r);
      }
      if (spinOk && (inst.model === 'vfio' || inst.model === 'counters')) {
        process.stderr.write(`  spin     ${label} (rep ${rep + 1}) ... `);
        const s = runSpin(script!, inst);
        process.stderr.write(`${s.wall_s} s\n`);
        spinRuns.push(s);
        records.push({ ...s, model: inst.model, params: inst.params });
      }
    }
    for (const w of workers) mig.set(w, median(migRuns.get(w)!, (r) => r.wall_s));
    if (spinRuns.length) spin = median(spinRuns, (r) => r.wall_s ?? Infinity);

    const bug = inst.expect.traceStates !== undefined;
    // Two 10^9-state runs at once would not fit in memory: no machine-ceiling pair for --giga.
    if (workers.length > 1 && workers.includes(1) && !bug && !o.giga) {
      process.stderr.write(`  two single-worker runs of ${label} at once ... `);
      const pair = await runPair(inst);
      const together = Math.max(...pair.map((r) => r.wall_s));
      process.stderr.write(`${pair.map((r) => r.wall_s).join(' s, ')} s\n`);
      const alone = mig.get(1)!.wall_s;
      const row = [label, fmtS(alone)];
      for (const w of o.workers.filter((x) => x > 1)) {
        const r = mig.get(w)!;
        row.push(fmtS(r.wall_s), (alone / r.wall_s).toFixed(2));
        speedups.set(`${label}|${w}`, alone / r.wall_s);
      }
      row.push(fmtS(together), ((2 * alone) / together).toFixed(2));
      scaling.push(row);
    }
    for (const w of workers) {
      const r = mig.get(w)!;
      const tool = o.workers.length > 1 || w > 1 ? `migcheck w=${w}` : 'migcheck';
      const pinned = inst.model !== 'real' || inst.expect.distinct !== undefined;
      const ok = bug
        ? r.status === 'violation' && r.trace_states === inst.expect.traceStates
        : inst.model === 'matrix'
          ? r.status === 'ok' && r.distinct === inst.expect.distinct
          : inst.model === 'real'
            ? r.status === 'ok' && (!pinned || (r.distinct === inst.expect.distinct && r.generated === inst.expect.generated))
            : r.status === 'ok' && r.distinct === inst.expect.distinct && r.transitions === inst.expect.transitions;
      const note = bug ? `violation, trace ${r.trace_states ?? '?'} states`
        : r.status !== 'ok' ? `${r.status}${r.reason ? ` ${r.reason}` : ''}`
        : inst.model === 'matrix' ? `${r.searches} searches, distinct of the final runs`
        : inst.model === 'real' ? `${fmtInt(r.generated)} generated${pinned ? '' : ', not pinned'}` : '';
      rows.push({ instance: label, tool, status: r.status, distinct: r.distinct, transitions: inst.model === 'matrix' ? null : r.transitions, wall: r.wall_s, processS: r.process_s, peakMb: r.peak_rss_mb || null, storeBytes: inst.model === 'matrix' ? undefined : r.store_bytes, ok, note });
      if (spin && spin.wall_s && spin.peak_rss_mb) ratios.set(`${label}|${tool}`, { wall: r.wall_s / spin.wall_s, mem: r.peak_rss_mb / spin.peak_rss_mb });
    }
    if (spin) {
      // SPIN's "transitions (= stored+matched)" counts storing the initial state as one; the
      // edges of the graph (the closed form, migcheck's stats.transitions) are one fewer.
      // pan prints its counts with 8 significant digits (%9.8g): from 10^8 on they are
      // rounded, and are compared as such.
      const exact = (v: number | null) => v !== null && v < 1e8;
      const same = (reported: number | null, want: number) => reported !== null && (exact(reported) ? reported === want : reported === Number(want.toPrecision(8)));
      const rounded = !exact(spin.transitions) || !exact(spin.distinct);
      const edges = spin.transitions === null ? null : exact(spin.transitions) ? spin.transitions - 1 : spin.transitions;
      const ok = bug ? true : same(spin.distinct, inst.expect.distinct!) && same(spin.transitions, inst.expect.transitions! + 1);
      const note = bug ? 'first violation, DFS' : rounded ? 'as rounded by pan to 8 digits' : '';
      rows.push({ instance: label, tool: 'spin', status: bug ? 'violation' : 'ok', distinct: spin.distinct, transitions: edges, wall: spin.wall_s, peakMb: spin.peak_rss_mb, ok, note });
    }
  }

  const t = table(rows, ratios);
  process.stdout.write(`\n${t.text}\n\n`);
  process.stdout.write('wall ratio = migcheck wall / SPIN wall, mem ratio = migcheck peak RSS / SPIN peak RSS, measured in this run.\n');
  process.stdout.write('SPIN transitions shown as stored+matched - 1 (edges); migcheck transitions = stats.transitions (edges).\n');
  process.stdout.write('bytes/state = peak RSS / distinct (whole process); store B/state = seen-set + parent pointers + frontier / distinct.\n');
  process.stdout.write("wall s = the search (check()); process s = the whole process: Node's start-up, loading the spec, the search (the VFIO model and the matrix: the CLI command as a user runs it).\n");
  if (o.reps > 1) process.stdout.write(`Each figure is the median of ${o.reps} runs.\n`);
  let scalingMd = '';
  if (scaling.length) {
    const more = o.workers.filter((x) => x > 1);
    const head = ['instance', 'w=1 s', ...more.flatMap((w) => [`w=${w} s`, `speedup w=${w}`]), 'two w=1 runs at once, s', 'machine ceiling'];
    const g = grid(head, scaling, (i) => i === 0);
    process.stdout.write(`\nWorker scaling (same run):\n${g.text}\n`);
    process.stdout.write('machine ceiling = 2 x (w=1 alone) / (slower of two w=1 runs started together): the most two threads can gain on this machine now.\n');
    scalingMd = `\n${g.md}\n`;
  }
  let targetsMd = '';
  if (o.targets) {
    const lines = TARGETS.map((t) => {
      const row = rows.find((r) => r.instance === t.instance && (r.tool === 'migcheck' || r.tool === 'migcheck w=1'));
      const measured = t.kind === 'process' ? row?.processS : speedups.get(`${t.instance}|2`);
      const goal = t.kind === 'process' ? `<= ${t.goal} s` : `>= ${t.goal}x`;
      if (row === undefined) return [t.what, 'not run (--only)', goal, '-'];
      if (!row.ok) return [t.what, 'counts wrong', goal, '-'];
      if (measured === undefined) return [t.what, 'needs --workers 1,2', goal, '-'];
      // Speed-ups to three places, so that one just below its goal does not print as on it.
      const shown = t.kind === 'process' ? `${fmtS(measured)} s` : `${measured.toFixed(3)}x`;
      const met = t.kind === 'process' ? measured <= t.goal : measured >= t.goal;
      const by = t.kind === 'process' ? `${(measured - t.goal).toFixed(2)} s` : `${(t.goal - measured).toFixed(3)}x`;
      return [t.what, shown, goal, met ? 'met' : `missed by ${by}`];
    });
    const g = grid(['target', 'measured', 'goal', 'verdict'], lines, (i) => i === 0 || i === 3);
    process.stdout.write(`\nTargets (same run; whole process = start-up, loading and search, the 'process s' column):\n${g.text}\n`);
    targetsMd = `\n${g.md}\n`;
  }
  const stamp = `${new Date().toISOString()} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} CPUs), node ${process.version}`;
  process.stdout.write(`${stamp}\n`);
  if (o.md) writeFileSync(o.md, `<!-- ${cmd}; ${stamp} -->\n${t.md}\n${scalingMd}${targetsMd}`);
  if (o.json) writeFileSync(o.json, JSON.stringify(records, null, 1) + '\n');
  if (o.growth) {
    const svg = o.svg ?? resolve(root, o.real ? 'docs/performance-growth-real.svg' : 'docs/performance-growth.svg');
    const points = rows.filter((r) => r.tool === 'migcheck' || r.tool === 'migcheck w=1').map((r) => ({ label: r.instance, distinct: r.distinct ?? 0, seconds: r.wall ?? 0, peakMb: r.peakMb ?? 0, storeMb: (r.storeBytes ?? 0) / 2 ** 20 }));
    const spinPoints = rows.filter((r) => r.tool === 'spin').map((r) => ({ label: r.instance, distinct: r.distinct ?? 0, seconds: r.wall ?? 0, peakMb: r.peakMb ?? 0 }));
    const title = o.real ? 'VFIO model, UNITS=1..4' : 'vfio N=4..7, V=1';
    writeFileSync(svg, growthChart(points, spinPoints, cmd, title));
    process.stdout.write(`chart written to ${svg}\n`);
  }
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

await main();
