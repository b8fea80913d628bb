// A spec must be a function of its state: the search explores each state once and
// rebuilds a counterexample by replaying its steps, so an action, invariant or property
// that reads a clock or a random generator gives verdicts that change from run to run (a
// replay that does not reproduce, or a trace without the step the report names). While
// the checker runs the spec's code, Math.random and Date.now are replaced by functions
// that throw; the throw is an evaluation error like any other, at the first call in the
// search's fixed order, naming the action or claim and with the trace to its state, the
// same on every run and at any worker count. The originals are put back after each
// synchronous stretch of the search, so nothing outlives it.

/** Thrown by the trapped functions. */
export class NondeterminismError extends Error {
  override name = 'NondeterminismError';
}

const trapped = (what: string) => () => {
  throw new NondeterminismError(`the spec called ${what}, which gives another value on every run: a spec must be deterministic (make the value a parameter of the action, a constant or part of the state)`);
};

const mathRandom = trapped('Math.random()');
const dateNow = trapped('Date.now()');

/** Runs `fn` with Math.random and Date.now trapped; restores them after (also when nested). */
export function deterministic<T>(fn: () => T): T {
  const random = Math.random;
  const now = Date.now;
  if (random === mathRandom) return fn();
  Math.random = mathRandom;
  Date.now = dateNow;
  try {
    return fn();
  } finally {
    Math.random = random;
    Date.now = now;
  }
}
