// Finds the spec files the golden and differential tests run: every `*.spec.ts` under the
// given directories (relative to the repository root), in a stable order. Uses only fs, so
// a spec added anywhere under specs/ is picked up without touching the tests.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isSpec, type Expectation, type Spec } from '../../checker/index.js';

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
