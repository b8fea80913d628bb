// Shortest traces into the migration model for tests: to a state, or to a step, where a goal
// holds (the goal's negation checked as an invariant or an action property).

import { check, defineSpec, instantiate } from '../../checker/index.js';
import { migrationModel, type MigrationOptions, type MigrationState } from '../../model/datapath/migration.js';

/** The shortest trace ending with a step for which `goal` holds (labels), or null when none is reachable. */
export function reachStep(o: MigrationOptions, goal: (b: MigrationState, a: MigrationState, st: { action: string }) => boolean): string[] | null {
  const m = migrationModel(o);
  const spec = defineSpec({ name: 'reach', setup: () => ({ ...m, properties: { NotGoal: (b: MigrationState, a: MigrationState, st: { action: string }) => !goal(b, a, st) } }) as never });
  const r = check(instantiate(spec), { invariants: ['NotGoal'] });
  if (r.status === 'ok') return null;
  if (r.status !== 'violation') throw new Error(`unexpected ${r.status}`);
  return r.violation.trace.map((t) => t.label);
}
