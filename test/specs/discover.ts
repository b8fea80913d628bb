// Finds the spec files the golden and differential tests run: every `*.spec.ts` under the
// given directories (relative to the repository root), in a stable order. Uses only fs, so
// a spec added anywhere under specs/ is picked up without touching the tests.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { check, instantiate, isSpec, type CheckResult, type Expectation, type Spec } from '../../checker/index.js';

// Any spec, whatever its constants, schema and actions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySpec = Spec<any, any, any>;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Repository-relative paths (with `/`) of every `*.spec.ts` below `dirs`, sorted. */
export function findSpecFiles(...dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const abs = resolve(repoRoot, d);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs, { recursive: true, encoding: 'utf8' })) {
      if (!f.endsWith('.spec.ts') || f.split(sep).includes('node_modules')) continue;
      out.push(relative(repoRoot, join(abs, f)).split(sep).join('/'));
    }
  }
  return out.sort();
}

export type Loaded = { file: string; spec: Spec } | { file: string; error: string };

/** Imports a spec file; a file that fails to load or exports no spec gives an error entry. */
export async function loadSpecFile(file: string): Promise<Loaded> {
  try {
    const mod = (await import(pathToFileURL(resolve(repoRoot, file)).href)) as { default?: unknown };
    if (!isSpec(mod.default)) return { file, error: `${file}: the default export is not a spec made with defineSpec()` };
    return { file, spec: mod.default };
  } catch (e) {
    return { file, error: `${file}: cannot be loaded: ${(e as Error)?.message ?? String(e)}` };
  }
}

/** A short name for one expectation: its index and the constants and options it sets. */
export function describeExpectation(e: Expectation, index: number): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.constants ?? {})) parts.push(`${k}=${v}`);
  if (e.options?.deadlock === false) parts.push('no-deadlock');
  if (e.options?.invariants?.length) parts.push(`invariants=${e.options.invariants.join(',')}`);
  if (e.options?.maxStates !== undefined) parts.push(`max-states=${e.options.maxStates}`);
  if (e.options?.maxDepth !== undefined) parts.push(`max-depth=${e.options.maxDepth}`);
  return `expect[${index}] ${parts.length ? parts.join(' ') : 'defaults'}`;
}

// ---------------------------------------------------------------------------------------
// Checking a spec against one entry of its expect block.

/** Why the run ended, in one line, for failure messages. */
export function outcome(r: CheckResult): string {
  switch (r.status) {
    case 'ok':
      return 'ok';
    case 'violation':
      return `violation ${r.violation.kind} ${r.violation.name}: ${r.violation.message}`;
    case 'error':
      return `error in ${r.error.phase}${r.error.action ? ` of ${r.error.action}` : ''}${r.error.name ? ` (${r.error.name})` : ''}: ${r.error.message}`;
    case 'incomplete':
      return `incomplete (${r.reason})`;
    case 'no-violation-found':
      return 'no violation found (simulation)';
  }
}

/** Structural problems of an entry that no run could satisfy. */
export function malformed(e: Expectation): string[] {
  const out: string[] = [];
  if (!['ok', 'violation', 'error', 'incomplete'].includes(e.status)) out.push(`unknown status '${String(e.status)}'`);
  if (e.violation && e.status !== 'violation') out.push(`'violation' is given but status is '${e.status}'`);
  if (e.trace && e.status !== 'violation' && e.status !== 'error') out.push(`'trace' is given but status '${e.status}' has no trace`);
  if (e.trace && e.trace[0] !== 'Init') out.push(`'trace' must start with 'Init', got '${String(e.trace[0])}'`);
  return out;
}

/** Compares a result with an entry; returns one line per field that differs. */
export function mismatches(e: Expectation, r: CheckResult): string[] {
  const out: string[] = [];
  const cmp = (field: string, want: unknown, got: unknown) => {
    if (want !== undefined && JSON.stringify(want) !== JSON.stringify(got))
      out.push(`${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  cmp('status', e.status, r.status);
  cmp('distinct', e.distinct, r.stats.distinct);
  cmp('generated', e.generated, r.stats.generated);
  cmp('depth', e.depth, r.stats.depth);
  if (e.violation) {
    const v = r.status === 'violation' ? r.violation : undefined;
    cmp('violation.kind', e.violation.kind, v?.kind);
    cmp('violation.name', e.violation.name, v?.name);
  }
  if (e.trace) {
    const tr = r.status === 'violation' ? r.violation.trace : r.status === 'error' ? r.error.trace : [];
    const got = tr.map((s) => s.label);
    if (JSON.stringify(got) !== JSON.stringify(e.trace)) {
      const k = e.trace.findIndex((l, i) => got[i] !== l);
      const at = k < 0 ? got.length > e.trace.length ? e.trace.length : 0 : k;
      out.push(`trace: differs at step ${at} (expected ${JSON.stringify(e.trace[at])}, got ${JSON.stringify(got[at])})\n` +
        `    expected ${JSON.stringify(e.trace)}\n    got      ${JSON.stringify(got)}`);
    }
  }
  return out;
}

export function runExpectation(spec: AnySpec, e: Expectation): CheckResult {
  return check(instantiate(spec, e.constants ?? {}), {
    deadlock: e.options?.deadlock,
    invariants: e.options?.invariants,
    maxStates: e.options?.maxStates,
    maxDepth: e.options?.maxDepth,
  });
}
