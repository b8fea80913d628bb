// check(): the safety search (bfs.ts) and, when it passes and the spec has temporal
// properties, the liveness check on the explicit graph (liveness.ts). Safety comes first,
// as in TLC: a liveness verdict on a graph that breaks an invariant would be moot, and the
// safety search is the lean hot path that most runs need alone.

import { check as checkSafety, type CheckOptions as SafetyOptions } from './bfs.js';
import { checkTemporal } from './liveness.js';
import type { Instance, NamedTemporal } from '../spec.js';
import type { CheckResult } from '../result.js';
import { ConfigError } from '../errors.js';

export interface CheckOptions extends SafetyOptions {
  /**
   * Temporal properties to check: all (`true`, the default), none (`false`) or these names.
   * When absent and `invariants` names some claims, exactly the temporal properties named
   * there are checked (so `--invariant Progress` selects one temporal property).
   */
  temporal?: boolean | readonly string[];
}

/** Explores the instance and checks its invariants, action properties, deadlock and temporal properties. */
export function check<S>(inst: Instance<S>, opts: CheckOptions = {}): CheckResult<S> {
  const all = inst.temporal ?? [];
  const { selected, invariants } = select(inst, all, opts);
  const r = checkSafety(inst, invariants === opts.invariants ? opts : { ...opts, invariants });
  if (r.status !== 'ok' || selected.length === 0) return r;

  const live = checkTemporal(inst, selected, { engine: opts.engine, memory: opts.memory, onProgress: opts.onProgress, progressInterval: opts.progressInterval });
  const stats = { ...r.stats, seconds: r.stats.seconds + live.seconds };
  switch (live.status) {
    case 'ok':
      return { status: 'ok', stats: { ...stats, storeBytes: Math.max(stats.storeBytes, live.bytes) } };
    case 'violation':
      return { status: 'violation', violation: live.violation, stats: { ...stats, storeBytes: Math.max(stats.storeBytes, live.bytes) } };
    case 'error':
      return { status: 'error', error: live.error, stats };
    case 'incomplete':
      return { status: 'incomplete', reason: live.reason, stats };
  }
}

/** Which temporal properties run, and the invariant list to hand to the safety search. */
function select<S>(inst: Instance<S>, all: readonly NamedTemporal<S>[], opts: CheckOptions): { selected: readonly NamedTemporal<S>[]; invariants: readonly string[] | undefined } {
  const names = new Set(all.map((t) => t.name));
  let invariants = opts.invariants;
  let fromInvariants: string[] | undefined;
  if (opts.invariants && opts.invariants.length > 0) {
    fromInvariants = opts.invariants.filter((n) => names.has(n));
    if (fromInvariants.length > 0) {
      const safety = opts.invariants.filter((n) => !names.has(n));
      // Only temporal names: the safety search still checks TypeOK (and deadlock).
      invariants = safety.length > 0 ? safety : ['TypeOK'];
    }
  }
  const t = opts.temporal;
  if (t === false) return { selected: [], invariants };
  if (Array.isArray(t)) {
    for (const n of t)
      if (!names.has(n)) throw new ConfigError(`unknown temporal property '${n}' in spec ${inst.name}; known: ${[...names].join(', ') || '(none)'}`);
    return { selected: all.filter((x) => t.includes(x.name)), invariants };
  }
  if (t === undefined && fromInvariants !== undefined) return { selected: all.filter((x) => fromInvariants!.includes(x.name)), invariants };
  return { selected: all, invariants };
}
