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
    case 'no-violation-found':
      return EXIT.NO_VIOLATION_FOUND;
  }
}
