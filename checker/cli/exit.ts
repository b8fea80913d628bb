// Exit codes, in TLC's classes so that CI can tell outcomes apart (docs/cli.md).
import type { CheckResult } from '../result.js';

export const EXIT = {
  OK: 0,
  /**
   * A simulation (check --simulate) whose walks found no violation: exit 0 like OK, so a CI
   * job that samples a large model passes, but the report says 'no violation found' and
   * that nothing was proved (status 'no-violation-found', never 'ok').
   */
  NO_VIOLATION_FOUND: 0,
  USAGE: 2,
  /** Soft findings, when a command's --strict asks for them to fail (the matrix: SHOULD-level or vacuous clauses). */
  SOFT: 10,
  DEADLOCK: 11,
  VIOLATION: 12,
  LIVENESS: 13,
  INCOMPLETE: 14,
  /** --time-limit ran out before the search ended (0 with --allow-incomplete, as the other bounds). */
  TIME_LIMIT: 15,
  /** The report could not be written: stdout closed (EPIPE) or full (ENOSPC), --out failing at write time (EX_IOERR). */
  IO_ERROR: 74,
  EVAL_ERROR: 75,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, the shell's convention. */
  SIGINT: 130,
  /** Stopped by SIGTERM (e.g. a CI job's timeout): 128 + 15. */
  SIGTERM: 143,
  BAD_SPEC: 150,
} as const;

/** The one place that maps an outcome to an exit code. */
export function exitCodeFor(r: CheckResult, allowIncomplete = false): number {
  switch (r.status) {
    case 'ok':
      return EXIT.OK;
    case 'violation':
      switch (r.violation.kind) {
        case 'deadlock': return EXIT.DEADLOCK;
        case 'liveness': return EXIT.LIVENESS;
        case 'nondeterminism': return EXIT.EVAL_ERROR;
        default: return EXIT.VIOLATION;
      }
    case 'error':
      return EXIT.EVAL_ERROR;
    case 'incomplete':
      // A stop asked from outside is never a pass, whatever --allow-incomplete says.
      if (r.reason === 'interrupted') return EXIT.SIGINT;
      if (r.reason === 'terminated') return EXIT.SIGTERM;
      if (allowIncomplete) return EXIT.OK;
      return r.reason === 'time-limit' ? EXIT.TIME_LIMIT : EXIT.INCOMPLETE;
    case 'no-violation-found':
      return EXIT.NO_VIOLATION_FOUND;
  }
}

/** How a log replay (trace validation, explore/validate.ts) ended, as far as the exit code goes. */
export type ReplayOutcome = 'conforms' | 'departs' | 'incomplete' | 'error' | 'malformed';

/** Replay outcomes in the same classes: a departure is a safety violation, a log that ends mid-run is incomplete, an unreadable log is bad input. */
export function replayExitCode(o: ReplayOutcome, allowIncomplete = false): number {
  switch (o) {
    case 'conforms': return EXIT.OK;
    case 'departs': return EXIT.VIOLATION;
    case 'incomplete': return allowIncomplete ? EXIT.OK : EXIT.INCOMPLETE;
    case 'error': return EXIT.EVAL_ERROR;
    case 'malformed': return EXIT.BAD_SPEC;
  }
}
