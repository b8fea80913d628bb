// `migcheck fsm`: shows what a next-step table does for every (current, requested) pair of
// each feature set, and checks the table against the rules (termination, the kernel's
// result, FSM-12, COMB-1, COMB-2, COMB-4, FSM-11, FSM-13, ERR-1, ERR-5). The JSON output uses
// kernel-fsm.json's keys and words, so the two can be diffed directly.
//
// Compute (model/kernel/fsm.ts), render (the functions below) and exit (the returned code) are kept
// apart; only the checker's CLI touches process.exitCode.

import type { Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import {
  ConfigError, UsageError, EXIT, annotation, checkOutFile, commandLine, invocation, packageVersion, renderJUnit, sarifLog, suggest, writeReportFile,
  type CliContext, type JUnitCase,
} from '../../checker/index.js';
import { STATES, FEATURE_SETS, parseFeatures, supportedStates, type FeatureSet, type MigState } from '../states.js';
import {
  RULES, checkTable, describeFeatureSet, isSupported, mandatoryArcs, arcEnds, opensSession, endsSession, tableFor,
  type Arc, type Finding, type FsmTable, type PairOutcome, type RuleInfo, type StepFunction,
  nextStep,
} from '../kernel/fsm.js';
import { KERNEL_NAMES, kernelFeatureSets, type KernelProfile } from '../kernel/index.js';
import { loadKernel, loadStep } from './load.js';
import { isProfileFile } from './files.js';

export const FSM_FORMATS = ['text', 'json', 'dot', 'junit', 'github', 'sarif'] as const;
export type FsmFormat = (typeof FSM_FORMATS)[number];

export interface FsmOptions {
  features?: string;
  table?: string;
  /** A kernel profile (`v6.2`, or a JSON file): its table and next-step function (model/kernel/). */
  kernel?: string;
  /** A .ts/.js module exporting a step function (default or `step`); overrides the kernel's. */
  step?: string;
  format: string;
  /** Write the report to this file instead of standard output. */
  out?: string;
  color?: boolean;
}

/** Everything the command computed, per feature set. */
export interface FsmReport {
  readonly table: FsmTable;
  /** The kernel profile whose next-step function was walked, when one was named. */
  readonly kernel?: KernelProfile;
  readonly sets: readonly { readonly features: FeatureSet; readonly pairs: Record<Arc, PairOutcome>; readonly findings: readonly Finding[] }[];
}

/** Computes the report: every pair's outcome and every rule finding, for one feature set or all four. */
export function fsmReport(table: FsmTable, only?: FeatureSet, kernel?: KernelProfile, stepFn?: StepFunction): FsmReport {
  const step = stepFn ?? kernel?.step ?? nextStep;
  // A kernel that does not know a flag has no device claiming it (v5.18: no PRE_COPY).
  const known = kernel ? kernelFeatureSets(kernel) : [...FEATURE_SETS];
  const sets = (only ? [only] : known).map((features) => ({
    features,
    pairs: describeFeatureSet(table, features, step),
    findings: checkTable(table, features, { step }),
  }));
  return { table, kernel, sets };
}

/** kernel-fsm.json's `paths` shape: feature set → `CUR->NEW` → outcome, plus `violates` on offending pairs. */
export function fsmJson(r: FsmReport): Record<string, Record<string, PairOutcome & { violates?: string[] }>> {
  const out: Record<string, Record<string, PairOutcome & { violates?: string[] }>> = {};
  for (const s of r.sets) {
    const bad = new Map<string, string[]>();
    for (const f of s.findings) bad.set(f.pair, [...new Set([...(bad.get(f.pair) ?? []), f.rule])]);
    out[s.features] = {};
    for (const [pair, o] of Object.entries(s.pairs)) out[s.features][pair] = bad.has(pair) ? { ...o, violates: bad.get(pair) } : o;
  }
  return out;
}

function fdText(o: PairOutcome): string {
  if (!o.dataFd || o.dataFd.startsWith('none')) return '';
  const m = /arc (\S+)$/.exec(o.dataFd);
  return `new data_fd (${m ? m[1] : o.dataFd})`;
}

/** A table of every pair per feature set, then each rule's verdict with the offending pairs. */
export function fsmText(r: FsmReport, paint: { ok: (s: string) => string; bad: (s: string) => string; dim: (s: string) => string }): string {
  const lines: string[] = [
    ...(r.kernel ? [`kernel: ${r.kernel.name} (${r.kernel.source})`] : []),
    `next-step table: ${r.table.source}`,
  ];
  const w = Math.max(...STATES.map((s) => s.length));
  for (const s of r.sets) {
    const supported = supportedStates(s.features).filter((x) => x !== 'ERROR');
    lines.push('', `${s.features}  (supports ${supported.join(', ')}; ERROR is reachable only through a failure)`);
    const unreachable = STATES.filter((x) => x !== 'ERROR' && !isSupported(r.table, s.features, x));
    const bad = new Set(s.findings.map((f) => f.pair));
    for (const [pair, o] of Object.entries(s.pairs) as [Arc, PairOutcome][]) {
      if (o.result === 'unreachable-cur') continue;
      const [cur, to] = arcEnds(pair);
      const req = `${cur.padEnd(w)} -> ${to.padEnd(w)}`;
      const res = o.result.padEnd(18);
      const path = (o.path ?? []).join(' > ');
      const extra = o.result === 'does-not-terminate' ? `  loops ${(o.cycle ?? []).join(' > ')}` : o.warnOn ? '  (WARN_ON)' : '';
      const fd = fdText(o);
      const line = `  ${req}  ${res} ${path}${fd ? `   ${fd}` : ''}${extra}`;
      lines.push(bad.has(pair) ? paint.bad(line) : line);
    }
    if (unreachable.length) lines.push(paint.dim(`  (a device with these flags is never in ${unreachable.join(', ')}; those rows are omitted)`));
  }
  lines.push('', 'Rules:');
  for (const rule of RULES) {
    const per = r.sets.map((s) => ({ features: s.features, f: s.findings.filter((x) => x.rule === rule.rule) }));
    const n = per.reduce((a, p) => a + p.f.length, 0);
    const head = `${rule.rule.padEnd(11)} [${rule.clause} ${rule.level}] ${rule.claim}`;
    if (n === 0) {
      lines.push(`  ${paint.ok('✓')} ${head}`);
      continue;
    }
    lines.push(`  ${paint.bad('✗')} ${head}: ${n} offending pair${n === 1 ? '' : 's'}`);
    for (const p of per) for (const f of p.f) lines.push(`      ${p.features}  ${f.pair}: ${f.message}`);
  }
  const total = r.sets.reduce((a, s) => a + s.findings.length, 0);
  lines.push('', total === 0 ? paint.ok('The table obeys every rule.') : paint.bad(`The table breaks ${new Set(r.sets.flatMap((s) => s.findings.map((f) => f.rule))).size} rule(s) in ${total} place(s).`));
  return lines.join('\n') + '\n';
}

const dotId = (s: string): string => `"${s.replace(/"/g, '\\"')}"`;

/**
 * Graphviz: one digraph per feature set. Nodes are the supported states (the saving group
 * shaded); edges are the mandatory arcs (FSM-12), bold where a session starts, dashed where
 * it ends; arcs the walks take that are not mandatory are drawn red.
 */
export function fsmDot(r: FsmReport): string {
  const out: string[] = [];
  for (const s of r.sets) {
    const sg = r.table.savingGroup;
    const nodes = STATES.filter((x) => isSupported(r.table, s.features, x));
    const mandatory = mandatoryArcs(r.table, s.features);
    const used = new Set<Arc>();
    for (const o of Object.values(s.pairs)) for (const a of o.arcs ?? []) used.add(a);
    const extra = [...used].filter((a) => !mandatory.includes(a));
    out.push(`digraph ${dotId(`vfio_fsm ${s.features}`)} {`);
    out.push(`  label=${dotId(`VFIO migration FSM, ${s.features} (table: ${r.table.source})`)}; labelloc=t; rankdir=LR;`);
    out.push('  node [shape=ellipse, fontname="monospace"]; edge [fontname="monospace", fontsize=10];');
    for (const n of nodes) out.push(`  ${dotId(n)}${sg.includes(n) ? ' [style=filled, fillcolor="#dde8f8"]' : ''};`);
    out.push(`  ${dotId('ERROR')} [style=dashed];`);
    const edge = (a: Arc, attrs: string[]) => {
      const [from, to] = arcEnds(a);
      out.push(`  ${dotId(from)} -> ${dotId(to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
    };
    for (const a of mandatory) {
      const [from, to] = arcEnds(a);
      const attrs: string[] = [];
      const opens = opensSession(from, to, sg);
      if (opens) attrs.push('style=bold', `label=${dotId(`new data_fd (${opens})`)}`);
      else if (endsSession(from, to, sg)) attrs.push('style=dashed', `label=${dotId('ends session')}`);
      edge(a, attrs);
    }
    for (const a of extra) edge(a, ['color=red', 'fontcolor=red', `label=${dotId('not mandatory (FSM-12)')}`]);
    out.push('}');
  }
  return out.join('\n') + '\n';
}

/** How the CI formats name what was checked: the table's file (when it is one) and the command that reproduces the run. */
export interface FsmRunInfo {
  /** The table, kernel or step file as the user gave it, for locations; absent for a built-in walk. */
  readonly file?: string;
  readonly reproduce: string;
  readonly exitCode: number;
}

const findingText = (f: Finding): string => `${f.features} ${f.pair}: ${f.message}`;

/** A feature set's findings under each rule, in the order of RULES. */
const byRule = (s: FsmReport['sets'][number]): { rule: RuleInfo; findings: Finding[] }[] =>
  RULES.map((rule) => ({ rule, findings: s.findings.filter((x) => x.rule === rule.rule) }));

/** JUnit: one suite per feature set, one case per rule, failing with its offending pairs. */
export function fsmJUnit(r: FsmReport, info: FsmRunInfo): string {
  const suites = r.sets.map((s) => ({
    name: `fsm ${s.features}`,
    cases: byRule(s).map(({ rule, findings: f }): JUnitCase => ({
      name: `${rule.rule} [${rule.clause} ${rule.level}]`,
      classname: `migcheck.fsm.${s.features.replace(/[^A-Za-z0-9]+/g, '_')}`,
      properties: { clause: rule.clause, level: rule.level, claim: rule.claim },
      ...(f.length
        ? { failure: { message: `${rule.claim}: ${f.length} offending pair${f.length === 1 ? '' : 's'}`, type: rule.level, text: `${f.map(findingText).join('\n')}\n\nTable: ${r.table.source}\nReproduce: ${info.reproduce}` } }
        : {}),
    })),
  }));
  return renderJUnit(suites, `migcheck fsm ${r.table.source}`);
}

/** GitHub workflow commands: one error per broken rule and feature set, or one notice when every rule holds. */
export function fsmGithub(r: FsmReport, info: FsmRunInfo): string {
  const out: string[] = [];
  for (const s of r.sets)
    for (const { rule, findings: f } of byRule(s)) {
      if (f.length === 0) continue;
      out.push(annotation({
        level: 'error',
        file: info.file,
        title: `migcheck fsm: ${rule.rule} [${rule.clause} ${rule.level}] broken for ${s.features} (${f.length} pair${f.length === 1 ? '' : 's'})`,
        message: `${rule.claim}\n${f.map(findingText).join('\n')}\n\nReproduce: ${info.reproduce}`,
      }));
    }
  if (out.length === 0) out.push(annotation({ level: 'notice', file: info.file, title: 'migcheck fsm: every rule holds', message: `${r.table.source}: ${RULES.length} rules over ${r.sets.map((s) => s.features).join(', ')}` }));
  return out.join('\n') + '\n';
}

/** SARIF 2.1.0: the rules are the fsm rules, each offending pair a result located at the table file. */
export function fsmSarif(r: FsmReport, info: FsmRunInfo, version: string): Record<string, unknown> {
  const rules = RULES.map((x) => ({ name: x.rule, kind: 'rule', clause: x.clause, level: x.level, doc: x.claim }));
  const artifact = info.file === undefined ? undefined : { uri: encodeURI(info.file), ...(isAbsolute(info.file) ? {} : { uriBaseId: '%SRCROOT%' }) };
  const results = r.sets.flatMap((s) => s.findings.map((f) => {
    const ruleIndex = RULES.findIndex((x) => x.rule === f.rule);
    return {
      ruleId: f.rule, ruleIndex, level: 'error', kind: 'fail',
      message: { text: `${findingText(f)}\nReproduce: ${info.reproduce}` },
      locations: [{ ...(artifact ? { physicalLocation: { artifactLocation: artifact } } : {}), logicalLocations: [{ name: f.pair, fullyQualifiedName: `${f.features}/${f.pair}`, kind: 'member' }] }],
    };
  }));
  return sarifLog({
    version, rules, results,
    invocation: { executionSuccessful: true, exitCode: info.exitCode, commandLine: info.reproduce },
    srcRoot: artifact !== undefined,
    properties: { table: r.table.source, ...(r.kernel ? { kernel: r.kernel.name } : {}), featureSets: r.sets.map((s) => s.features), findings: results.length },
  });
}

/** The command's procedure: returns the exit code (0, or 12 when a rule fails). */
export async function fsmCommand(ctx: CliContext, opts: FsmOptions): Promise<number> {
  const { io } = ctx;
  if (!(FSM_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format: '${opts.format}' is not one of ${FSM_FORMATS.join(', ')}${suggest(opts.format, FSM_FORMATS)}`);
  // The path is checked before anything is computed.
  const outPath = opts.out === undefined ? undefined : checkOutFile('--out', opts.out, io.cwd);
  let only: FeatureSet | undefined;
  if (opts.features !== undefined) {
    try {
      only = parseFeatures(opts.features);
    } catch (e) {
      throw new ConfigError(`--features ${opts.features}: ${(e as Error).message}`);
    }
  }
  const kernel = opts.kernel === undefined ? undefined : await loadKernel(opts.kernel, io.cwd);
  const step = opts.step === undefined ? undefined : await loadStep(opts.step, io.cwd);
  if (kernel && only && !kernelFeatureSets(kernel).includes(only))
    throw new ConfigError(`--features ${opts.features}: kernel ${kernel.name} knows only ${kernelFeatureSets(kernel).join(', ')}`);
  const table = opts.table === undefined ? kernel?.table ?? tableFor('kernel') : tableFor(isAbsolute(opts.table) ? opts.table : resolve(io.cwd, opts.table));
  const report = fsmReport(opts.table === undefined ? table : { ...table, source: opts.table }, only, kernel, step);
  const findings = report.sets.flatMap((s) => s.findings);
  const exitCode = findings.length === 0 ? EXIT.OK : EXIT.VIOLATION;
  const words = [...invocation(io.cwd), 'fsm'];
  for (const [flag, v] of [['--features', opts.features], ['--table', opts.table], ['--kernel', opts.kernel], ['--step', opts.step]] as const) if (v !== undefined) words.push(flag, v);
  // Findings are located in the file that supplied the walk: the table, else a kernel or step module.
  const file = opts.table ?? (opts.kernel !== undefined && isProfileFile(opts.kernel) ? opts.kernel : opts.step);
  const info: FsmRunInfo = { file, reproduce: commandLine(words), exitCode };
  let text: string;
  switch (opts.format as FsmFormat) {
    case 'json':
      text = JSON.stringify(fsmJson(report), null, 1) + '\n';
      break;
    case 'dot':
      text = fsmDot(report);
      break;
    case 'junit':
      text = fsmJUnit(report, info);
      break;
    case 'github':
      text = fsmGithub(report, info);
      break;
    case 'sarif':
      text = JSON.stringify(fsmSarif(report, info, packageVersion()), null, 2) + '\n';
      break;
    case 'text': {
      const c = ctx.chalk(opts.color !== false && io.isTTY && opts.out === undefined);
      text = fsmText(report, { ok: c.green, bad: c.red, dim: c.dim });
      break;
    }
  }
  if (opts.out !== undefined && outPath !== undefined) writeReportFile('--out', opts.out, outPath, text, io.writeFile);
  else io.out(text);
  if (findings.length === 0) return EXIT.OK;
  if (opts.format !== 'text' || opts.out !== undefined) {
    const rules = [...new Set(findings.map((f) => f.rule))];
    io.err(`migcheck fsm: the table breaks ${rules.join(', ')} (${findings.length} offending pair${findings.length === 1 ? '' : 's'}, first: ${findings[0].features} ${findings[0].pair}: ${findings[0].message})\n`);
  }
  return EXIT.VIOLATION;
}

/** Adds `migcheck fsm` to the program (package.json "migcheck.commands"). */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('fsm')
    .description('show and check a next-step table: every (current, requested) pair per feature set, its outcome, path and data_fd, and the rules it must obey')
    .option('--features <flags>', 'one feature set only, e.g. P2P,PRE_COPY or STOP_COPY|P2P (STOP_COPY is implied)')
    .option('--table <file.json>', 'a next-step table in the kernel\'s form (nextStep + stateFlags); default: the kernel\'s')
    .option('--kernel <name|file.json>', `a kernel profile: its table and next-step function (known: ${KERNEL_NAMES.join(', ')}; default: the newest's table and loop)`)
    .option('--step <file.ts>', 'a module exporting a step function (table, features, cur, target) => StepResult; every walk with it is bounded')
    .option('--format <format>', `output format: ${FSM_FORMATS.join(', ')}`, 'text')
    .option('--out <file>', 'write the report to a file instead of standard output')
    .option('--no-color', 'no colour in text output')
    .addHelpText('after', '\nExit codes: 0 every rule holds, 12 a rule fails (the offending pairs are listed), 150 unreadable or malformed table, 2 usage, 74 the report could not be written.')
    .action(async (opts: FsmOptions) => {
      ctx.setExit(await fsmCommand(ctx, opts));
    });
}

export type { MigState };
