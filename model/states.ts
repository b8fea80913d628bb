// The VFIO migration states, flags and feature sets (protocol v2 with P2P and PRE_COPY).
//
// Names and numbers are the kernel's (include/uapi/linux/vfio.h, enum vfio_device_mig_state
// and VFIO_MIGRATION_*), so a state seen in a trace can be grepped for in the uAPI header.
// Facts: FEAT-1..5 (which states each feature set supports), FSM-1..3 (running/stopped),
// SAVE-1..3 (the saving group), KERN-3 (ERROR is never "supported").

import { ConfigError } from '../checker/index.js';

/** The eight states, in kernel numbering order. */
export const STATES = ['ERROR', 'STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P'] as const;
export type MigState = (typeof STATES)[number];

/** Kernel numbers: VFIO_DEVICE_STATE_ERROR = 0 … VFIO_DEVICE_STATE_PRE_COPY_P2P = 7. */
export const STATE_NUMBER: Readonly<Record<MigState, number>> = {
  ERROR: 0, STOP: 1, RUNNING: 2, STOP_COPY: 3, RESUMING: 4, RUNNING_P2P: 5, PRE_COPY: 6, PRE_COPY_P2P: 7,
};

/**
 * STATE_NUMBER[s] for code that runs on every step: comparisons with the interned names
 * rather than a look-up keyed by a string that changes from call to call (generic in V8).
 */
export function stateNumber(s: MigState): number {
  switch (s) {
    case 'ERROR': return 0;
    case 'STOP': return 1;
    case 'RUNNING': return 2;
    case 'STOP_COPY': return 3;
    case 'RESUMING': return 4;
    case 'RUNNING_P2P': return 5;
    case 'PRE_COPY': return 6;
    case 'PRE_COPY_P2P': return 7;
  }
}

/** The migration flags a device reports (VFIO_MIGRATION_STOP_COPY = 1, _P2P = 2, _PRE_COPY = 4). */
export const FLAGS = ['STOP_COPY', 'P2P', 'PRE_COPY'] as const;
export type MigFlag = (typeof FLAGS)[number];
export const FLAG_BIT: Readonly<Record<MigFlag, number>> = { STOP_COPY: 1, P2P: 2, PRE_COPY: 4 };

/** The four valid feature sets (FEAT-2, FEAT-5), named as in kernel-fsm.json. */
export const FEATURE_SETS = ['STOP_COPY', 'STOP_COPY|P2P', 'STOP_COPY|PRE_COPY', 'STOP_COPY|P2P|PRE_COPY'] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

/** The bit mask of each feature set, computed once (isSupported asks on every step). */
const FEATURE_BITS: Readonly<Record<FeatureSet, number>> = Object.fromEntries(
  FEATURE_SETS.map((f) => [f, f.split('|').reduce((m, x) => m | FLAG_BIT[x as MigFlag], 0)]),
) as Record<FeatureSet, number>;

/** Flags of a feature set as a bit mask. */
export function featureBits(f: FeatureSet): number {
  const bits = FEATURE_BITS[f];
  // A name outside FEATURE_SETS (a hand-built config) is parsed as before.
  return bits !== undefined ? bits : f.split('|').reduce((m, x) => m | FLAG_BIT[x as MigFlag], 0);
}

/** Parses `P2P,PRE_COPY`, `STOP_COPY|P2P`, `all` or `none` into a feature set (STOP_COPY is implied, FEAT-2). */
export function parseFeatures(text: string): FeatureSet {
  const t = text.trim();
  if (t === 'all') return 'STOP_COPY|P2P|PRE_COPY';
  if (t === '' || t === 'none') return 'STOP_COPY';
  const parts = new Set(t.split(/[|,+\s]+/).filter(Boolean).map((p) => p.toUpperCase().replace(/^VFIO_MIGRATION_/, '')));
  for (const p of parts) if (!(FLAGS as readonly string[]).includes(p)) throw new ConfigError(`unknown migration flag '${p}' (known: ${FLAGS.join(', ')})`);
  parts.add('STOP_COPY');
  const name = FLAGS.filter((f) => parts.has(f)).join('|');
  if (!(FEATURE_SETS as readonly string[]).includes(name)) throw new ConfigError(`'${text}' is not a valid feature set (valid: ${FEATURE_SETS.join(', ')})`);
  return name as FeatureSet;
}

/** The saving group: states in which a saving session's data_fd is live (SAVE-2). */
export const SAVING_GROUP: readonly MigState[] = ['PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY'];
/** The PRE_COPY states, where VFIO_MIG_GET_PRECOPY_INFO is valid (PRECOPY-2). */
export const PRE_COPY_STATES: readonly MigState[] = ['PRE_COPY', 'PRE_COPY_P2P'];
/** States in which the device runs and may change its internal state (FSM-1, FSM-8). */
export const RUNNING_STATES: readonly MigState[] = ['RUNNING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P'];
/** States in which the device is stopped and must not change (FSM-2, FSM-3). */
export const STOPPED_STATES: readonly MigState[] = ['STOP', 'STOP_COPY', 'RESUMING'];

export const inSavingGroup = (s: MigState): boolean => s === 'PRE_COPY' || s === 'PRE_COPY_P2P' || s === 'STOP_COPY';
export const inPreCopy = (s: MigState): boolean => s === 'PRE_COPY' || s === 'PRE_COPY_P2P';
export const isRunning = (s: MigState): boolean => s === 'RUNNING' || s === 'RUNNING_P2P' || s === 'PRE_COPY' || s === 'PRE_COPY_P2P';

/** The states a device with these features supports (FEAT-1, FEAT-3, FEAT-4); ERROR is always present but never requestable. */
export function supportedStates(f: FeatureSet): MigState[] {
  const bits = featureBits(f);
  const out: MigState[] = ['ERROR', 'STOP', 'RUNNING', 'STOP_COPY', 'RESUMING'];
  if (bits & FLAG_BIT.P2P) out.push('RUNNING_P2P');
  if (bits & FLAG_BIT.PRE_COPY) out.push('PRE_COPY');
  if (bits & FLAG_BIT.P2P && bits & FLAG_BIT.PRE_COPY) out.push('PRE_COPY_P2P');
  return out;
}
