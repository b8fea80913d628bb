// The `check` options of the strategies built on Successors (simulation, coverage, graph
// dump): parsed and cross-checked here, so that commands.ts only hands them on. An option
// that would have no effect (--seed without --simulate, --max-states with it) is an error.

import { resolve } from 'node:path';
import type { CheckResult } from '../result.js';
import type { Instance } from '../spec.js';
import type { SimulateOptions } from '../explore/options.js';
import { Successors } from '../explore/successors.js';
import { DUMP_FORMATS, dumpDoc, exploreForDump, renderDump, type DumpFormat, type Explored } from '../explore/dump.js';
import { DEFAULT_DEPTH } from '../explore/simulate.js';
import { UsageError, ConfigError } from '../errors.js';
import { suggest } from '../names.js';
import { parseCount } from './commands.js';
import { formatCount } from '../report/text.js';
import type { Io } from './main.js';
import { writeReportFile } from './output.js';
import { parseDuration } from './stopping.js';

export interface StrategyCliOptions {
  simulate?: boolean;
  seed?: string;
  depth?: string;
  runs?: string;
  time?: string;
  coverage?: boolean;
  dump?: string[];
  maxStates?: string;
  maxDepth?: string;
  timeLimit?: string;
  workers?: string;
}

export interface StrategyOptions {
  simulate?: SimulateOptions;
  coverage: boolean;
  dump?: { format: DumpFormat; file: string };
}

/** Parses and cross-checks --simulate/--seed/--depth/--runs/--time, --coverage and --dump. */
export function parseStrategyOptions(o: StrategyCliOptions): StrategyOptions {
  const out: StrategyOptions = { coverage: Boolean(o.coverage) };
  const simOnly = (['seed', 'depth', 'runs', 'time'] as const).filter((k) => o[k] !== undefined);
  if (!o.simulate) {
    if (simOnly.length) throw new UsageError(`--${simOnly[0]} is an option of --simulate (random walks); add --simulate, or use --max-depth for the exhaustive search`);
  } else {
    for (const [k, v] of [['--max-states', o.maxStates], ['--max-depth', o.maxDepth]] as const)
      if (v !== undefined) throw new UsageError(`${k} bounds the exhaustive search; with --simulate use --depth (walk length) and --runs or --time`);
    // The walks run in one synchronous stretch (explore/simulate.ts) that does not look at the clock of --time-limit.
    if (o.timeLimit !== undefined) throw new UsageError('--time-limit stops the exhaustive search; with --simulate use --time (how long the walks go on)');
    if (o.workers !== undefined && o.workers !== '1') throw new UsageError('--simulate runs its walks in one thread; drop --workers');
    let seed = 0;
    if (o.seed !== undefined) {
      if (!/^\d+$/.test(o.seed) || Number(o.seed) > 0xffffffff) throw new UsageError(`--seed expects a whole number from 0 to 4294967295, got '${o.seed}'`);
      seed = Number(o.seed);
    }
    // The same durations as --time-limit: 30, 30s, 2m, 1h30m, 250ms.
    const ms = parseDuration('--time', o.time);
    const seconds = ms === undefined ? undefined : ms / 1000;
    out.simulate = { seed, depth: parseCount('--depth', o.depth) ?? DEFAULT_DEPTH, runs: parseCount('--runs', o.runs), seconds };
  }
  if (o.dump !== undefined) {
    if (o.dump.length !== 2) throw new UsageError(`--dump expects FORMAT FILE (e.g. --dump dot graph.dot), got ${o.dump.length} value${o.dump.length === 1 ? '' : 's'}: ${o.dump.join(' ')}; put the spec argument before --dump`);
    const [format, file] = o.dump;
    if (!(DUMP_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--dump: unknown format '${format}'; formats: ${DUMP_FORMATS.join(', ')}${suggest(format, DUMP_FORMATS)}`);
    out.dump = { format: format as DumpFormat, file };
  }
  return out;
}

/** The reproduction arguments of a run: the walk that failed alone (`--seed seed+k --runs 1`), or the whole simulation. */
export function strategyReproArgs(s: StrategyOptions, r: CheckResult): string[] {
  const sim = s.simulate;
  if (!sim) return [];
  const f = r.simulation?.failing;
  if (f) return ['--simulate', '--seed', String(f.seed), '--depth', String(sim.depth), '--runs', '1'];
  const out = ['--simulate', '--seed', String(sim.seed ?? 0), '--depth', String(sim.depth)];
  if (sim.runs !== undefined) out.push('--runs', String(sim.runs));
  if (sim.seconds !== undefined) out.push('--time', `${sim.seconds}s`);
  return out;
}

/** The graph of a --dump run, explored before the check so that a large instance is refused at once. */
export function prepareDump<S>(inst: Instance<S>, engine: 'fast' | 'immer', s: StrategyOptions): { succ: Successors<S>; explored: Explored<S> } | undefined {
  if (!s.dump) return undefined;
  const succ = new Successors(inst, { engine });
  const e = exploreForDump(succ);
  if (e.kind === 'too-large') throw new UsageError(`--dump: ${inst.name} has more than ${formatCount(e.limit)} reachable states; the dump is for small instances (choose smaller constants)`);
  if (e.kind === 'error') throw new ConfigError(`--dump: ${e.message}`);
  return { succ, explored: e.explored };
}

/** Writes the dump with the run's counterexample (or error trace) marked; a note goes to standard error. */
export function writeDump<S>(io: Io, s: StrategyOptions, prepared: { succ: Successors<S>; explored: Explored<S> }, r: CheckResult<S>): void {
  const d = s.dump!;
  const doc = dumpDoc(prepared.succ, prepared.explored, r.status === 'violation' ? r.violation : undefined, r.status === 'error' ? r.error.trace : undefined);
  // The path was checked before the search (commands.ts); a failure now (disk full) is exit 74.
  writeReportFile('--dump', d.file, resolve(io.cwd, d.file), renderDump(doc, prepared.succ.inst.schema, d.format), io.writeFile);
  io.err(`migcheck: state graph (${doc.states.length} states, ${doc.edges.length} edges${doc.violation ? ', counterexample marked' : ''}) written to ${d.file}\n`);
}
