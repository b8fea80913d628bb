// The report sections of the strategies built on Successors: the simulation line, the
// warning about actions that never fired (every run), and the coverage table (--coverage).

import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../result.js';
import type { CoverageTable } from '../explore/coverage.js';
import { formatCount as count } from './text.js';

/** What a simulation did, in one line. */
export function simulationLine(r: CheckResult): string | undefined {
  const s = r.simulation;
  if (!s) return undefined;
  return `  simulation: ${count(s.runs)} walk${s.runs === 1 ? '' : 's'} of at most ${count(s.depth)} states from seed ${s.seed}, ${count(s.steps)} steps, ${count(s.stepsPerSecond)} steps/s${s.failing ? `; walk ${s.failing.run} (seed ${s.failing.seed}) found it` : ''}`;
}

/**
 * The warning every text report carries when some action never fired. Only a search that
 * explored every reachable state shows a guard that is never true; one that stopped (at a
 * violation, a deadlock, a bound or a signal) or sampled (--simulate) says so.
 */
export function neverFiredLines(t: CoverageTable | undefined, c: ChalkInstance, r?: Pick<CheckResult, 'status' | 'simulation'>): string[] {
  if (!t || t.neverFired.length === 0) return [];
  const n = t.neverFired.length;
  const where = !r ? 'in the explored states' : r.simulation ? 'in the walks' : r.status === 'ok' ? 'in any reachable state' : 'before the search stopped';
  return [c.yellow(`  warning: ${n === 1 ? 'action' : `${n} actions`} never fired ${where}: ${t.neverFired.join(', ')} (a guard that is never true, e.g. one reading a misspelt field, looks like this; see --coverage)`)];
}

/** The coverage table (--coverage): one row per action and parameter value, then the properties. */
export function coverageLines(t: CoverageTable | undefined, c: ChalkInstance): string[] {
  if (!t || !t.detailed) return [];
  const rows = t.actions.map((a) => [a.label, count(a.enabled), count(a.fired), count(a.distinct)]);
  const head = ['action', 'enabled', 'fired', 'new states'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => `    ${r[0].padEnd(widths[0])}  ${r.slice(1).map((x, i) => x.padStart(widths[i + 1])).join('  ')}`;
  const out = ['', `Coverage (${count(t.initial)} initial state${t.initial === 1 ? '' : 's'}):`, c.dim(fmt(head))];
  t.actions.forEach((a, i) => out.push(a.fired === 0 ? c.yellow(fmt(rows[i])) : fmt(rows[i])));
  if (t.properties.length) {
    out.push('  properties:');
    for (const p of t.properties) {
      const what = p.kind === 'invariant' ? 'states' : p.kind === 'property' ? 'steps' : 'states';
      let line = `    ${p.name} (${p.kind}): evaluated on ${count(p.evaluated)} ${what}`;
      if (p.premise !== undefined) line += `; premise held in ${count(p.premise)}${p.consequence !== undefined ? `, consequence in ${count(p.consequence)}` : ''}`;
      const note = p.premise !== 0 ? '' : p.consequence !== undefined ? '  (premise never reached: p ~> q holds vacuously here)' : '  (p never held)';
      out.push(note ? c.yellow(line + note) : line);
    }
  }
  return out;
}
