// SARIF 2.1.0 (`--format sarif`): the OASIS Static Analysis Results Interchange Format, which
// code-scanning services (GitHub's upload-sarif action among them) read. One run of one
// tool; each checked claim is a rule (reportingDescriptor); a violation or evaluation error
// is a result located at the claim's definition in the spec file, with the counterexample as
// a code flow (one thread-flow location per trace step). An incomplete search is a result of
// its own rule, so it is never read as a pass. Validated against the official schema in
// test/report/sarif.test.ts.

import type { CheckResult, TraceStep } from '../result.js';
import { headline, statsLine, type CheckedItem, type RunInfo } from './text.js';
import { definitionLine } from './source.js';
import { loopNote } from './plain.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Json = { readonly [k: string]: unknown };

const COMPLETENESS: CheckedItem = { name: 'Completeness', kind: 'invariant', doc: 'the search explored every reachable state (no bound stopped it)' };
const EVALUATION = 'EvaluationError';

/** The SARIF log of one `check` run. */
export function toSarif(info: RunInfo, r: CheckResult, exitCode: number, version: string): Json {
  const rules: CheckedItem[] = [...(info.checks ?? [])];
  const ruleIndex = (name: string, item?: CheckedItem): number => {
    const i = rules.findIndex((x) => x.name === name);
    if (i >= 0) return i;
    rules.push(item ?? { name, kind: 'invariant' });
    return rules.length - 1;
  };
  const region = (name: string) => {
    const line = definitionLine(info.source, name);
    return line === undefined ? {} : { region: { startLine: line } };
  };
  const artifact = info.relative !== undefined ? { uri: encodeURI(info.relative), ...(info.relative.startsWith('/') ? {} : { uriBaseId: '%SRCROOT%' }) } : undefined;
  const location = (name: string) => (artifact ? [{ physicalLocation: { artifactLocation: artifact, ...region(name) } }] : []);
  const flow = (trace: readonly TraceStep[], loop?: number) =>
    trace.length === 0
      ? {}
      : {
          codeFlows: [{
            message: { text: loop === undefined ? `Trace of ${trace.length} states from an initial state` : `Lasso of ${trace.length} states: ${loopNote(trace, loop) ?? ''}` },
            threadFlows: [{ locations: trace.map((st, i) => ({ location: { message: { text: `${i}. ${st.label}` } }, executionOrder: i, nestingLevel: 0 })) }],
          }],
        };
  const level = exitCode === 0 ? 'warning' : 'error';
  const results: Json[] = [];
  switch (r.status) {
    case 'ok':
      break;
    case 'violation': {
      const v = r.violation;
      const idx = ruleIndex(v.name, { name: v.name, kind: v.kind === 'liveness' ? 'temporal' : v.kind === 'action-property' ? 'property' : v.kind === 'deadlock' ? 'deadlock' : v.kind === 'TypeOK' ? 'TypeOK' : 'invariant', clause: v.clause, level: v.level, doc: v.doc });
      results.push({ ruleId: rules[idx].name, ruleIndex: idx, level: 'error', kind: 'fail', message: { text: `${headline(r)}: ${v.message}\nReproduce: ${info.reproduce}` }, locations: location(v.name), ...flow(v.trace, v.loop) });
      break;
    }
    case 'error': {
      const e = r.error;
      const name = e.name ?? EVALUATION;
      const idx = ruleIndex(name, { name, kind: 'invariant', doc: 'every expression of the spec evaluates without an exception' });
      results.push({ ruleId: rules[idx].name, ruleIndex: idx, level: 'error', kind: 'fail', message: { text: `${headline(r)}: ${e.message}\nReproduce: ${info.reproduce}` }, locations: location(e.action ?? name), ...flow(e.trace) });
      break;
    }
    case 'incomplete': {
      const idx = ruleIndex(COMPLETENESS.name, COMPLETENESS);
      results.push({ ruleId: COMPLETENESS.name, ruleIndex: idx, level, kind: 'open', message: { text: `${headline(r)} (${statsLine(r.stats)})\nReproduce: ${info.reproduce}` }, locations: artifact ? [{ physicalLocation: { artifactLocation: artifact } }] : [] });
      break;
    }
  }
  return sarifLog({
    version,
    rules,
    results,
    // A run stopped by a signal did not run to completion; one a bound stopped did as asked.
    invocation: { executionSuccessful: r.status !== 'error' && !(r.status === 'incomplete' && (r.reason === 'interrupted' || r.reason === 'terminated')), exitCode, commandLine: info.reproduce },
    srcRoot: artifact !== undefined,
    properties: { spec: info.spec, status: r.status, constants: { ...info.constants }, stats: { ...r.stats } },
  });
}

/** One run of migcheck as plain data: the claims checked (rules), what broke (results), how it ran. */
export interface SarifRun {
  readonly version: string;
  readonly rules: readonly { readonly name: string; readonly kind: string; readonly clause?: string; readonly level?: string; readonly doc?: string }[];
  /** SARIF result objects, each naming its rule by `ruleId` and `ruleIndex`. */
  readonly results: readonly Json[];
  readonly invocation: { readonly executionSuccessful: boolean; readonly exitCode: number; readonly commandLine: string };
  /** Declare %SRCROOT%, the working directory migcheck ran in, that relative locations are based on. */
  readonly srcRoot: boolean;
  readonly properties: Json;
}

/** The SARIF 2.1.0 log of one run (`check`, and `fsm --format sarif`). */
export function sarifLog(run: SarifRun): Json {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'migcheck',
          version: run.version,
          rules: run.rules.map((it) => ({
            id: it.name,
            name: it.name.replace(/[^A-Za-z0-9]/g, '') || 'Rule',
            shortDescription: { text: it.doc ?? `${it.kind} ${it.name}` },
            ...(it.doc ? { fullDescription: { text: `${it.doc}${it.clause ? ` (${it.clause}${it.level ? ` ${it.level}` : ''})` : ''}` } } : {}),
            defaultConfiguration: { level: 'error' },
            properties: { kind: it.kind, ...(it.clause ? { clause: it.clause } : {}), ...(it.level ? { level: it.level } : {}) },
          })),
        },
      },
      invocations: [{ ...run.invocation }],
      ...(run.srcRoot ? { originalUriBaseIds: { '%SRCROOT%': { description: { text: 'the working directory migcheck ran in' } } } } : {}),
      results: [...run.results],
      properties: run.properties,
    }],
  };
}
