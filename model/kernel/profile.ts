// What a kernel profile is: the behaviour of one Linux release's VFIO core on the migration
// uAPI, as data. The core computes the next step of a combination walk (the table and the
// skip loop of vfio_mig_get_next_state(), KERN-1, KERN-2), knows some migration flags (PRE_COPY
// only from v6.2), and some device features (MIG_PRECOPY_INFOv2 only from the 2026 series,
// REINIT-3, REINIT-4). A driver profile says what the driver does; a kernel profile says what
// the core around it does. Build one by spreading an existing profile and overriding what
// differs, as driver profiles are built:
//
//   const mine: KernelProfile = { ...v7_1, name: 'my-kernel', step: myStep };
//
// A step function may be a literal transcription of the kernel's C loop: the walk that calls
// it is bounded (model/kernel/fsm.ts, walk), so a loop that never ends is reported with its cycle
// instead of hanging migcheck.

import type { MigFlag } from '../states.js';
import type { FsmTable, StepFunction } from './fsm.js';

export interface KernelProfile {
  /** Registry name: the release whose behaviour this is, e.g. `v6.2` (the KERNEL constant, `--kernel`). */
  readonly name: string;
  /** One sentence: what changed in this release, with fact IDs. */
  readonly doc: string;
  /** The source it follows: file, function, commit and release. */
  readonly source: string;
  /** The next-step table (vfio_from_fsm_table) and the flags each state needs (state_flags_table). */
  readonly table: FsmTable;
  /** The next-step function (vfio_mig_get_next_state). */
  readonly step: StepFunction;
  /** The optional migration flags the core knows besides STOP_COPY (FEAT-4): a device cannot claim any other. */
  readonly flags: readonly Exclude<MigFlag, 'STOP_COPY'>[];
  /** VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 exists, so REINIT can be reported (REINIT-3, REINIT-4). */
  readonly precopyInfoV2: boolean;
  /**
   * What the output `flags` of VFIO_MIG_GET_PRECOPY_INFO holds when the user has not opted
   * in: the caller's own input echoed back (every driver before the 2026 series, PRECOPY-14),
   * or the driver's answer only.
   */
  readonly precopyInfoFlags: 'echo-input' | 'driver-only';
}

const FLAG_NAMES = ['P2P', 'PRE_COPY'];

/** Checks a kernel profile supplied by a user of migcheck; returns what is wrong, or null. */
export function kernelProblem(k: unknown): string | null {
  if (typeof k !== 'object' || k === null) return 'a kernel profile must be an object';
  const p = k as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name === '') return 'a kernel profile needs a name';
  for (const key of ['doc', 'source']) if (typeof p[key] !== 'string') return `kernel ${p.name}: '${key}' must be a string`;
  if (typeof p.step !== 'function') return `kernel ${p.name}: 'step' must be a function (table, features, cur, target) => StepResult`;
  const t = p.table as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null || typeof t.nextStep !== 'object' || typeof t.stateFlags !== 'object')
    return `kernel ${p.name}: 'table' must be a next-step table (nextStep, stateFlags, savingGroup, mandatoryArcs)`;
  if (!Array.isArray(p.flags) || p.flags.some((f) => !FLAG_NAMES.includes(f as string)))
    return `kernel ${p.name}: 'flags' must list 'P2P' and/or 'PRE_COPY'`;
  if (typeof p.precopyInfoV2 !== 'boolean') return `kernel ${p.name}: 'precopyInfoV2' must be true or false`;
  if (p.precopyInfoFlags !== 'echo-input' && p.precopyInfoFlags !== 'driver-only')
    return `kernel ${p.name}: 'precopyInfoFlags' must be 'echo-input' or 'driver-only'`;
  const known = new Set(['name', 'doc', 'source', 'table', 'step', 'flags', 'precopyInfoV2', 'precopyInfoFlags']);
  const extra = Object.keys(p).filter((key) => !known.has(key));
  if (extra.length) return `kernel ${p.name}: unknown key '${extra[0]}' (known: ${[...known].join(', ')})`;
  return null;
}
