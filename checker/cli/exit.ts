// Exit codes, in TLC's classes so that CI can tell outcomes apart (docs/cli.md).
import type { CheckResult } from '../result.js';

export const EXIT = {
  OK: 0,
  USAGE: 2,
  /** Soft findings (SHOULD-level or vacuous clauses) when --strict asks for them to fail. */
  SOFT: 10,
  DEADLOCK: 11,
  VIOLATION: 12,
  LIVENESS: 13,
  INCOMPLETE: 14,
  EVAL_ERROR: 75,
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
      return allowIncomplete ? EXIT.OK : EXIT.INCOMPLETE;
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
