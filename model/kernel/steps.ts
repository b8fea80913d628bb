// The two skip loops vfio_mig_get_next_state() (drivers/vfio/vfio_main.c; drivers/vfio/vfio.c
// before v6.0) has had, written as the C is written: look up table[cur][new], then keep
// looking up table[next][new] while `next` is not supported by the device's flags.
//
// They are deliberately literal: the loop without the ERROR test really does not end for
// STOP_COPY->PRE_COPY(_P2P) on a device with PRE_COPY, and migcheck's walk (model/kernel/fsm.ts) is
// what bounds it and reports the cycle (KERN-1). Both refuse an unsupported current state
// (with WARN_ON) and an unsupported or ERROR target before the loop (KERN-2).

import { isSupported, type StepFunction, type StepResult } from './fsm.js';
import type { MigState } from '../states.js';

const refuse = (reason: 'cur-unsupported' | 'target-unsupported' | 'error-step'): StepResult =>
  ({ kind: 'einval', reason, warnOn: reason === 'cur-unsupported' });

/**
 * v5.18 (commit 115dcec65f61, "vfio: Define device migration protocol v2") to the 2026 fix:
 * the loop stops only at a supported state. ERROR needs every flag bit (KERN-3), so a step
 * that lands on ERROR is looked up again, table[ERROR][new] = ERROR, for ever.
 */
export const skipLoopWithoutErrorTest: StepFunction = (table, features, cur, target) => {
  if (!isSupported(table, features, cur)) return refuse('cur-unsupported');
  if (!isSupported(table, features, target)) return refuse('target-unsupported');
  const skipped: MigState[] = [];
  let next = table.nextStep[cur][target];
  while (!isSupported(table, features, next)) {
    skipped.push(next);
    next = table.nextStep[next][target];
  }
  return next === 'ERROR' ? refuse('error-step') : { kind: 'step', next, skipped };
};

/**
 * Mainline commit a26b499b757c (v7.1, Cc: stable), "vfio: prevent infinite loop in
 * vfio_mig_get_next_state() on blocked arc": the loop also stops at ERROR, so a blocked arc
 * falls through to the -EINVAL return.
 */
export const skipLoopWithErrorTest: StepFunction = (table, features, cur, target) => {
  if (!isSupported(table, features, cur)) return refuse('cur-unsupported');
  if (!isSupported(table, features, target)) return refuse('target-unsupported');
  const skipped: MigState[] = [];
  let next = table.nextStep[cur][target];
  while (next !== 'ERROR' && !isSupported(table, features, next)) {
    skipped.push(next);
    next = table.nextStep[next][target];
  }
  return next === 'ERROR' ? refuse('error-step') : { kind: 'step', next, skipped };
};

/** The loops by the name a kernel JSON file gives in `step`. */
export const STEP_LOOPS = {
  'without-error-test': skipLoopWithoutErrorTest,
  'with-error-test': skipLoopWithErrorTest,
} as const satisfies Record<string, StepFunction>;
