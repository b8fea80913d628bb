// Procedures of the built-in commands. Each returns the exit code; printing goes through Io.

import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Io, CliContext } from './main.js';
import { loadSpec, packageVersion, typecheckWanted, type LoadedSpec } from './load.js';
import { instantiate, loadConstants, describeConstants, showFairness, type ConstValue, type Level, type Meta, type Spec } from '../spec.js';
import { checkAsync } from '../explore/check.js';
import { checkSymmetry, SYMMETRY_CHECK_STATES } from '../explore/symmetry-check.js';
import { show } from '../schema.js';
import type { Instance } from '../spec.js';
import { CheckpointKeeper } from '../explore/checkpoints.js';
import { checkWritable } from '../store/checkpoint.js';
import { withStopSignals } from './stopping.js';
import { EXIT, exitCodeFor, checkOutFile, commandLine, cut, invocation, parseCount, parseDuration, parseSize, parseWorkers, progressDisplay, writeReportFile } from './kit.js';
import { formats } from '../report/formats.js';
import { ConfigError, UsageError, SpecError } from '../errors.js';
import { suggest } from '../names.js';
import { constantsLine, progressParts, type CheckedItem, type RunInfo } from '../report/text.js';
import type { Progress } from '../result.js';
import { show as showFormula } from '../ltl.js';
import { parseStrategyOptions, prepareDump, strategyReproArgs, writeDump, type StrategyCliOptions } from './strategy-options.js';

export interface CheckCliOptions extends StrategyCliOptions {
  invariant: string[];
  const: string[];
  deadlock: boolean;
  enabledness?: 'action' | 'explored';
  maxStates?: string;
  maxDepth?: string;
  memory?: string;
  spill: 'auto' | 'always' | 'never';
  spillDir?: string;
  format: string;
  out?: string;
  full?: boolean;
  color: boolean;
  engine: 'fast' | 'immer';
  workers?: string;
  allowIncomplete?: boolean;
  typecheck?: boolean;
  timeLimit?: string;
  checkpoint?: string;
  checkpointEvery?: string;
  resume?: string;
  /** Check that the spec's symmetry declaration holds (equivariance), instead of the search. */
  checkSymmetry?: boolean;
}

/** Parses `NAME=VALUE` pairs; `@alias` names (from plain --name options) are matched to the spec's constants. */
export function parseConstOptions(spec: Spec, pairs: readonly string[]): Record<string, ConstValue> {
  const out: Record<string, ConstValue> = {};
  const names = Object.keys(spec.constants ?? {});
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  // The same constant twice with two values is a mistake, not a case for the last one to win.
  const set = (name: string, value: string) => {
    if (Object.hasOwn(out, name) && out[name] !== value) throw new UsageError(`constant ${cut(name)} is given twice, as ${cut(String(out[name]))} and as ${cut(value)}; give it once`);
    out[name] = value;
  };
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (p.startsWith('@')) {
      // `--name VALUE` for a name the command does not declare: a constant, or a mistake.
      const alias = eq < 0 ? p.slice(1) : p.slice(1, eq);
      const hit = names.find((n) => norm(n) === norm(alias));
      if (!hit) {
        const asOptions = names.map((n) => `--${n.toLowerCase().replace(/_/g, '-')}`);
        throw new UsageError(`unknown option '--${cut(alias)}' (and spec ${spec.name} has no constant of that name${names.length ? `; constants: ${names.join(', ')}` : ''})${suggest(`--${alias}`, asOptions)}`);
      }
      if (eq < 0) throw new UsageError(`option '--${alias}' (constant ${hit}) needs a value`);
      set(hit, p.slice(eq + 1));
      continue;
    }
    if (eq <= 0) throw new UsageError(`--const expects NAME=VALUE, got '${cut(p)}'`);
    set(p.slice(0, eq), p.slice(eq + 1));
  }
  return out;
}

export { parseCount, parseSize } from './kit.js';

/**
 * instantiate(), after the constants that name something to load (ConstDef.load) are
 * loaded, with the file named in a bad-spec message (the spec's name alone may not say where it is).
 */
async function instantiateIn(loaded: LoadedSpec, overrides: Record<string, ConstValue>, cwd: string) {
  try {
    return instantiate(loaded.spec, overrides, await loadConstants(loaded.spec, overrides, cwd));
  } catch (e) {
    if (e instanceof SpecError && !e.message.startsWith(loaded.display)) throw new SpecError(e.message, loaded.display);
    throw e;
  }
}

function readSource(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Formats that show traces with only the changed variables unless --full. */
const FULL_FORMATS = new Set(['text', 'plain']);

/** `check`, with SIGINT and SIGTERM stopping the run from the start (stopping.ts): a stop while the spec loads ends the search at once. */
export async function checkCommand(ctx: CliContext, specArg: string | undefined, opts: CheckCliOptions): Promise<number> {
  // On a terminal the stop message replaces the progress line (and the '^C' echoed after it) rather than leaving it above.
  const note = (s: string) => ctx.io.err(ctx.io.errIsTTY ? s.replace(/^\n/, '\r\x1b[K') : s);
  return withStopSignals(note, (signal) => checkRun(ctx, specArg, opts, signal));
}

async function checkRun(ctx: CliContext, specArg: string | undefined, opts: CheckCliOptions, signal: AbortSignal): Promise<number> {
  const { io } = ctx;
  // Everything the user typed is checked before the search starts: a typo must not cost a long run.
  if (!formats.has(opts.format)) throw new UsageError(`unknown format '${cut(opts.format)}'`);
  if (opts.full && !FULL_FORMATS.has(opts.format)) throw new UsageError(`--full applies to the ${[...FULL_FORMATS].join(' and ')} formats, not --format ${opts.format} (which always shows whole states or none)`);
  const maxStates = parseCount('--max-states', opts.maxStates);
  const maxDepth = parseCount('--max-depth', opts.maxDepth);
  const memory = parseSize('--memory', opts.memory);
  const spillDir = opts.spillDir === undefined ? undefined : resolve(io.cwd, opts.spillDir);
  if (spillDir !== undefined) {
    if (opts.spill === 'never') throw new UsageError('--spill-dir names where the stores spill to disk; --spill never keeps them in memory');
    checkWritable(`--spill-dir ${opts.spillDir}`, spillDir);
  }
  const workers = parseWorkers(opts.workers, io.err);
  const outPath = opts.out === undefined ? undefined : checkOutFile('--out', opts.out, io.cwd);
  // A type-check the cache cannot answer takes seconds: the terminal says what is going on.
  let typechecking: ReturnType<typeof progressDisplay> | undefined;
  const onTypecheck = (display: string) => (typechecking = progressDisplay(io, display)).show('type-checking');
  const loaded = await loadSpec(specArg, io.cwd, { typecheck: typecheckWanted(opts.typecheck), onTypecheck }).finally(() => typechecking?.done());
  const overrides = parseConstOptions(loaded.spec, opts.const);
  const timeLimit = parseDuration('--time-limit', opts.timeLimit);
  const checkpointEvery = parseDuration('--checkpoint-every', opts.checkpointEvery);
  if (checkpointEvery !== undefined && opts.checkpoint === undefined && opts.resume === undefined) throw new UsageError('--checkpoint-every needs --checkpoint DIR (or --resume DIR)');
  const inst = await instantiateIn(loaded, overrides, io.cwd);
  if (opts.checkSymmetry) return symmetryRun(ctx, inst, opts, maxStates);
  const strategy = parseStrategyOptions(opts);
  if (strategy.simulate && (opts.checkpoint !== undefined || opts.resume !== undefined)) throw new UsageError('--checkpoint and --resume keep an exhaustive search; a simulation (--simulate) has none to keep (rerun it with its --seed)');
  const dumpPath = strategy.dump ? checkOutFile('--dump', strategy.dump.file, io.cwd) : undefined;
  // A report written over the spec it came from would lose the spec.
  for (const [option, file, abs] of [['--out', opts.out, outPath], ['--dump', strategy.dump?.file, dumpPath]] as const)
    if (abs !== undefined && abs === loaded.path) throw new ConfigError(`${option} ${file}: is the spec file being checked; give another file for the report`);
  const dump = prepareDump(inst, opts.engine, strategy);

  const repro = [...invocation(io.cwd), 'check'];
  if (specArg !== undefined) repro.push(loaded.display);
  for (const [k, v] of Object.entries(overrides)) repro.push('--const', `${k}=${v}`);
  for (const i of opts.invariant) repro.push('--invariant', i);
  // --no-deadlock turns deadlock checking off; without it the spec's check.deadlock decides (default on).
  const deadlock = opts.deadlock && (inst.check?.deadlock ?? true);
  if (!opts.deadlock) repro.push('--no-deadlock');
  if (opts.enabledness) repro.push('--enabledness', opts.enabledness);
  if (maxStates) repro.push('--max-states', String(maxStates));
  if (maxDepth) repro.push('--max-depth', String(maxDepth));
  if (opts.memory) repro.push('--memory', opts.memory);
  if (opts.spill !== 'auto') repro.push('--spill', opts.spill);
  if (opts.spillDir !== undefined) repro.push('--spill-dir', opts.spillDir);
  if (opts.engine !== 'fast') repro.push('--engine', opts.engine);

  // On a terminal's stderr only (progressDisplay prints nothing elsewhere); erased before the report is printed.
  // The constants set on the command line first: they are what a narrow terminal still shows.
  const ordered = Object.fromEntries(Object.entries(inst.constants).sort(([a], [b]) => Number(b in overrides) - Number(a in overrides)));
  const consts = Object.keys(inst.constants).length ? ` ${constantsLine(ordered)}` : '';
  const progress = progressDisplay(io, `${inst.name}${consts}`);

  // --resume DIR goes on writing its checkpoints to DIR unless --checkpoint names another.
  const checkpointDir = opts.checkpoint ?? opts.resume;
  if (checkpointDir !== undefined) checkWritable(`${opts.checkpoint !== undefined ? '--checkpoint' : '--resume'} ${checkpointDir}`, resolve(io.cwd, checkpointDir));
  const keeper = checkpointDir === undefined ? undefined : new CheckpointKeeper({
    dir: resolve(io.cwd, checkpointDir),
    every: checkpointEvery ?? 5 * 60_000,
    resume: opts.resume === undefined ? undefined : resolve(io.cwd, opts.resume),
    file: loaded.display,
    module: loaded.path,
    onWrite: (_path, c) => {
      progress.done();
      io.err(`migcheck: checkpoint written to ${checkpointDir} (depth ${c.depth}, ${c.generated} generated; go on with --resume ${checkpointDir})\n`);
    },
    onError: (m) => {
      progress.done();
      io.err(`migcheck: warning: ${m}\n`);
    },
  });
  progress.show('starting');
  let result;
  try {
    result = await checkAsync(inst, {
      invariants: opts.invariant,
      deadlock,
      enabledness: opts.enabledness,
      maxStates,
      maxDepth,
      memory,
      spill: opts.spill,
      spillDir,
      engine: opts.engine,
      workers,
      module: loaded.path,
      onProgress: (p: Progress) => progress.show(progressParts(p)),
      signal,
      timeLimit,
      keeper,
      simulate: strategy.simulate,
      coverage: strategy.coverage,
    });
  } finally {
    progress.done();
  }
  repro.push(...strategyReproArgs(strategy, result));
  if (dump) writeDump(io, strategy, dump, result);
  const code = exitCodeFor(result, opts.allowIncomplete);
  const info: RunInfo = { spec: inst.name, file: loaded.display, relative: relative(io.cwd, loaded.path).split(sep).join('/'), source: readSource(loaded.path), constants: inst.constants, schema: inst.schema, reproduce: commandLine(repro), checks: checkedItems(inst, opts.invariant, deadlock, strategy.simulate !== undefined), coverage: strategy.coverage, notChecked: strategy.simulate ? (inst.temporal ?? []).map((t) => t.name) : undefined };
  const color = ctx.chalk(opts.color && !opts.out && io.isTTY && opts.format === 'text');
  const text = formats.get(opts.format)!(info, result, { color, full: Boolean(opts.full), exitCode: code, version: packageVersion() });
  if (opts.out !== undefined && outPath !== undefined) {
    writeReportFile('--out', opts.out, outPath, text, io.writeFile);
    io.err(`migcheck: ${result.status}; report written to ${opts.out}\n`);
  } else io.out(text);
  return code;
}

/** The claims a run checks, in the engine's order: TypeOK, invariants, action properties, deadlock, then temporal properties. */
export function checkedItems(inst: { readonly invariants: readonly (Meta & { name: string })[]; readonly properties: readonly (Meta & { name: string })[]; readonly temporal?: readonly (Meta & { name: string })[] }, only: readonly string[], deadlock: boolean, simulate = false): CheckedItem[] {
  const pick = (n: string) => only.length === 0 || only.includes(n);
  const meta = (x: { clause?: string; level?: Level; doc?: string }) => ({ clause: x.clause, level: x.level, doc: x.doc });
  return [
    { name: 'TypeOK', kind: 'TypeOK', doc: 'every variable stays within its declared domain' },
    ...inst.invariants.filter((i) => pick(i.name)).map((i): CheckedItem => ({ name: i.name, kind: 'invariant', ...meta(i) })),
    ...inst.properties.filter((p) => pick(p.name)).map((p): CheckedItem => ({ name: p.name, kind: 'property', ...meta(p) })),
    ...(deadlock ? [{ name: 'Deadlock', kind: 'deadlock', doc: 'every non-terminal state has a successor' } as CheckedItem] : []),
    ...(simulate ? [] : inst.temporal ?? []).filter((t) => pick(t.name)).map((t): CheckedItem => ({ name: t.name, kind: 'temporal', ...meta(t) })),
  ];
}

export async function listCommand(ctx: CliContext, specArg: string | undefined, opts: { const: string[]; typecheck?: boolean }): Promise<number> {
  const { io } = ctx;
  const loaded = await loadSpec(specArg, io.cwd, { typecheck: typecheckWanted(opts.typecheck) });
  const inst = await instantiateIn(loaded, parseConstOptions(loaded.spec, opts.const), io.cwd);
  const lines: string[] = [];
  lines.push(`${inst.name} (${loaded.display})`);
  if (loaded.spec.doc) lines.push(`  ${loaded.spec.doc}`);
  lines.push('', 'Constants:');
  const consts = describeConstants(loaded.spec);
  if (consts.length === 0) lines.push('  (none)');
  for (const c of consts)
    lines.push(`  ${c.name} = ${String(inst.constants[c.name])}  (default ${String(c.default)}${c.domain ? `; ${c.domain}` : ''})${c.doc ? `  ${c.doc}` : ''}`);
  lines.push('', 'Actions:');
  for (const a of inst.actions) {
    const n = inst.choices.filter((c) => inst.actions[c.action] === a).length;
    lines.push(`  ${a.name}${a.hasParams ? ` (${n} parameter value${n === 1 ? '' : 's'})` : ''}${a.def.doc ? `  ${a.def.doc}` : ''}`);
  }
  const tag = (x: { clause?: string; level?: string; doc?: string }) =>
    `${x.clause ? ` [${x.clause}${x.level ? ` ${x.level}` : ''}]` : ''}${x.doc ? `  ${x.doc}` : ''}`;
  lines.push('', 'Invariants:', '  TypeOK  (derived from the state schema)');
  for (const i of inst.invariants) lines.push(`  ${i.name}${tag(i)}`);
  lines.push('', 'Action properties:');
  if (inst.properties.length === 0) lines.push('  (none)');
  for (const p of inst.properties) lines.push(`  ${p.name}${tag(p)}`);
  if (inst.temporal?.length) {
    const form = { leadsTo: 'p ~> q', alwaysEventually: '[]<>p', eventuallyAlways: '<>[]p' } as const;
    lines.push('', 'Temporal properties:');
    for (const tp of inst.temporal) lines.push(`  ${tp.name} (${tp.kind === 'formula' ? showFormula(tp.formula) : form[tp.kind]})${tag(tp)}`);
    if (inst.fairness?.length) lines.push(`  under ${inst.fairness.map(showFairness).join(', ')}`);
  }
  if (loaded.spec.expect?.length) {
    lines.push('', 'Expected results:');
    for (const e of loaded.spec.expect) {
      const c = e.constants ? Object.entries(e.constants).map(([k, v]) => `${k}=${v}`).join(' ') : 'defaults';
      lines.push(`  ${c}: ${e.status}${e.violation ? ` (${e.violation.name})` : ''}${e.distinct !== undefined ? `, ${e.distinct} distinct` : ''}`);
    }
  }
  io.out(lines.join('\n') + '\n');
  return EXIT.OK;
}
export type { Io };

/** `check --check-symmetry`: whether the spec's symmetry declaration holds on its reachable orbits (exit 0), or where it breaks (exit 150). */
function symmetryRun<S>(ctx: CliContext, inst: Instance<S>, opts: CheckCliOptions, maxStates: number | undefined): number {
  const { io } = ctx;
  for (const [flag, given] of [['--simulate', opts.simulate], ['--checkpoint', opts.checkpoint], ['--resume', opts.resume], ['--dump', opts.dump], ['--coverage', opts.coverage], ['--out', opts.out]] as const)
    if (given !== undefined && given !== false) throw new UsageError(`--check-symmetry checks the symmetry declaration and prints its finding; it does not take ${flag}`);
  if (opts.format !== 'text') throw new UsageError('--check-symmetry prints text only; drop --format');
  const r = checkSymmetry(inst, { maxStates, engine: opts.engine, invariants: opts.invariant });
  const bound = maxStates ?? SYMMETRY_CHECK_STATES;
  if (r.status === 'symmetric') {
    const scope = r.complete ? `all ${r.states} reachable orbits` : `${r.states} of the reachable orbits (breadth-first; --max-states ${bound} stopped it: raise it to examine more)`;
    io.out(`symmetric: ${inst.name} commutes with all ${r.permutations} permutations on ${scope}\n`);
    return EXIT.OK;
  }
  io.out(
    `not symmetric: ${inst.name}, after ${r.states} orbits, under the permutation ${r.permutation}:\n` +
    `  ${r.reason}\n  state:    ${show(r.state)}\n  permuted: ${show(r.permuted)}\n` +
    'The reduced search would be unsound: make the spec choose by data, not by index, or drop the symmetry.\n',
  );
  return EXIT.BAD_SPEC;
}
