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

/** The functions the trap replaced, while it is set (never beyond a synchronous stretch). */
let saved: { random: () => number; now: () => number } | undefined;

/** Runs `fn` with Math.random and Date.now trapped; restores them after (also when nested). */
export function deterministic<T>(fn: () => T): T {
  if (saved !== undefined) return fn();
  saved = { random: Math.random, now: Date.now };
  Math.random = mathRandom;
  Date.now = dateNow;
  try {
    return fn();
  } finally {
    Math.random = saved.random;
    Date.now = saved.now;
    saved = undefined;
  }
}

/** Runs `fn`, the caller's code (a progress callback, a checkpoint), with the real functions, also inside `deterministic`. */
export function untrapped<T>(fn: () => T): T {
  const s = saved;
  if (s === undefined) return fn();
  saved = undefined;
  Math.random = s.random;
  Date.now = s.now;
  try {
    return fn();
  } finally {
    Math.random = mathRandom;
    Date.now = dateNow;
    saved = s;
  }
}
