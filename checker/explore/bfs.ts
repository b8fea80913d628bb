// Breadth-first exhaustive search, level by level, in a fixed order: initial states in
// order, then for each state of a level (in discovery order) every action in declaration
// order with every parameter in enumeration order. The first violation found is therefore
// at the smallest depth, and the same on every run.
//
// Two semantics for an action's effect:
//  - 'immer' (the reference): the recipe runs under immer's produce() on a frozen state,
//    so a recipe or guard that mutates what it must not is caught;
//  - 'fast' (the default hot path): the parent is decoded into a fresh plain object, the
//    recipe mutates it directly, and the result is packed again.
// Both go through the same packing, fingerprinting and checks; the differential test runs
// every spec both ways and compares counts and traces.

import { produce, freeze } from 'immer';
import { validate } from '../schema.js';
import type { Instance, Step } from '../spec.js';
import { compileLayout, type Layout } from '../store/layout.js';
import { FingerprintSet } from '../store/fpset.js';
import { ParentStore, StateBuffer } from '../store/parents.js';
import type { CheckResult, EvalError, IncompleteReason, Progress, Stats, Violation, ViolationKind } from '../result.js';
import { buildTrace, replay } from './trace.js';
import { ConfigError } from '../errors.js';

export interface CheckOptions {
  /** Only these invariants / action properties (by name); default all. */
  invariants?: readonly string[];
  /** Report states without successors that are not terminal (default true). */
  deadlock?: boolean;
  /** Stop as incomplete rather than store more than this many distinct states. */
  maxStates?: number;
  /** Do not explore beyond this depth (initial states are depth 1). */
  maxDepth?: number;
  /** Budget in bytes for the fingerprint table, parent pointers and frontier. */
  memory?: number;
  /** Action semantics: 'fast' (default) or 'immer' (the reference). */
  engine?: 'fast' | 'immer';
  /** Called about every `progressInterval` ms during long runs. */
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
}

type Phase = EvalError['phase'];

interface Failure {
  kind: 'violation' | 'error' | 'incomplete';
  // violation
  vkind?: ViolationKind;
  name?: string;
  message?: string;
  /** Parent state id and choice of the offending step, or -1/choice index for init states. */
  parent: number;
  choice: number;
  /** The offending state as computed (for TypeOK, an out-of-domain value). */
  state?: unknown;
  /** For errors: phase and cause. */
  phase?: Phase;
  error?: unknown;
  /** For errors in a state (not a step): the id of that state. */
  at?: number;
  reason?: IncompleteReason;
}

/** Explores the instance's state space. Never throws for problems in the spec's own code: those come back as `error`. */
export function check<S>(inst: Instance<S>, opts: CheckOptions = {}): CheckResult<S> {
  const t0 = performance.now();
  const layout = compileLayout<S>(inst.schema);
  const viewLayout = inst.view ? compileLayout<unknown>(inst.view.state) : undefined;
  const W = layout.words;
  const immer = opts.engine === 'immer';
  const deadlock = opts.deadlock ?? true;
  const maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
  const budget = opts.memory ?? Number.POSITIVE_INFINITY;

  // Which invariants and properties are checked.
  let invariants = inst.invariants;
  let properties = inst.properties;
  if (opts.invariants && opts.invariants.length > 0) {
    const known = new Set([...invariants, ...properties].map((i) => i.name));
    for (const n of opts.invariants)
      if (!known.has(n) && n !== 'TypeOK')
        throw new ConfigError(`unknown invariant '${n}' in spec ${inst.name}; known: ${[...known].join(', ') || '(none)'}`);
    invariants = invariants.filter((i) => opts.invariants!.includes(i.name));
    properties = properties.filter((i) => opts.invariants!.includes(i.name));
  }
  const invChecks = invariants.map((i) => i.check);
  const propChecks = properties.map((p) => p.check);
  const nInv = invChecks.length;
  const nProp = propChecks.length;

  const parents = new ParentStore();
  let cur = new StateBuffer(W);
  let nxt = new StateBuffer(W);
  const storeBytes = () => fps.bytes + parents.bytes + cur.bytes + nxt.bytes;
  const fps = new FingerprintSet(1 << 16, budget);
  const canGrowOthers = (extra: number) => storeBytes() + extra <= budget;

  const scratch = new Uint32Array(Math.max(W, viewLayout?.words ?? 0));
  const vscratch = viewLayout ? new Uint32Array(viewLayout.words) : scratch;
  const fp = new Uint32Array(2);

  const actions = inst.actions;
  const choices = inst.choices;
  const nChoices = choices.length;
  const chAction = choices.map((c) => c.action);
  const chParam = choices.map((c) => c.param);
  const enabledFns = actions.map((a) => a.def.enabled);
  const nextFns = actions.map((a) => a.def.next);
  const names = actions.map((a) => a.name);
  const terminal = inst.terminal;
  const constraint = inst.constraint;
  const view = inst.view;
  const stepObj: { action: string; param: unknown } = { action: '', param: undefined };

  let generated = 0;
  let transitions = 0;
  let depth = 0;
  let failure: Failure | undefined;
  let lastProgress = t0;
  const interval = opts.progressInterval ?? 1000;

  const frozen = (s: S): S => (immer ? (freeze(s, true) as S) : s);

  /** Fingerprint of the state packed in `scratch` (or of its view). Returns false if the view threw. */
  const fingerprintOf = (s: S): void => {
    if (viewLayout && view) {
      if (!viewLayout.encode(view.of(s) as never, vscratch, 0)) throw new ViewDomainError();
      viewLayout.fingerprint(vscratch, 0, fp);
    } else layout.fingerprint(scratch, 0, fp);
  };

  /** Checks invariants on a new state; returns the failing index or -1. */
  const firstBadInvariant = (s: S): number => {
    for (let k = 0; k < nInv; k++) if (!invChecks[k](s)) return k;
    return -1;
  };

  const stats = (queue: number): Stats => {
    const distinct = parents.size;
    return {
      generated,
      transitions,
      distinct,
      depth,
      queue,
      seconds: (performance.now() - t0) / 1000,
      storeBytes: storeBytes(),
      stateWords: W,
      exactFingerprints: viewLayout ? viewLayout.exact : layout.exact,
      collisionProbability: (viewLayout ? viewLayout.exact : layout.exact) ? 0 : (distinct * Math.max(0, generated - distinct)) / 2 ** 64,
    };
  };

  // --- Initial states -------------------------------------------------------------------
  let phase: Phase = 'init';
  let failName: string | undefined;
  for (let i = 0; i < inst.init.length && !failure; i++) {
    const s0 = inst.init[i];
    generated++;
    try {
      if (!layout.encode(s0, scratch, 0)) {
        failure = { kind: 'violation', vkind: 'TypeOK', name: 'TypeOK', message: validate(inst.schema, s0) ?? 'out of domain', parent: -1, choice: i, state: s0 };
        break;
      }
      phase = 'constraint';
      if (constraint && !constraint(s0)) continue;
      phase = 'view';
      fingerprintOf(s0);
      const r = fps.put(fp[0], fp[1]);
      if (r === 0) continue;
      if (r < 0 || storeBytes() + parents.nextChunkBytes > budget) {
        failure = { kind: 'incomplete', reason: 'memory', parent: -1, choice: i };
        break;
      }
      if (parents.size >= maxStates) {
        failure = { kind: 'incomplete', reason: 'max-states', parent: -1, choice: i };
        break;
      }
      const id = parents.add(-1, i);
      const o = cur.reserve();
      cur.data.set(scratch.subarray(0, W), o);
      cur.commit();
      phase = 'invariant';
      for (let k = 0; k < nInv; k++) {
        failName = invariants[k].name;
        if (!invChecks[k](frozen(layout.decode(scratch, 0)))) {
          failure = { kind: 'violation', vkind: 'invariant', name: failName, parent: -1, choice: i, at: id };
          break;
        }
      }
    } catch (e) {
      failure = { kind: 'error', phase, name: phase === 'invariant' ? failName : undefined, error: e, parent: -1, choice: i, at: phase === 'invariant' ? parents.size - 1 : undefined };
    }
  }
  if (parents.size > 0) depth = 1;

  // --- Levels ---------------------------------------------------------------------------
  let firstId = 0;
  while (!failure && cur.count > 0) {
    const atBound = depth >= maxDepth;
    const levelCount = cur.count;
    const data = cur.data;
    let newInLevel = 0;
    for (let i = 0; i < levelCount && !failure; i++) {
      const pid = firstId + i;
      const off = i * W;
      let s: S;
      let c = 0;
      phase = 'enabled';
      try {
        s = frozen(layout.decode(data, off));
        let any = false;
        for (c = 0; c < nChoices; c++) {
          const a = chAction[c];
          const p = chParam[c];
          phase = 'enabled';
          const en = enabledFns[a];
          if (en !== undefined && !en(s, p)) continue;
          any = true;
          phase = 'next';
          let t: S;
          if (immer) {
            const rec = nextFns[a];
            t = produce(s, (d: S) => rec(d, p) as never) as S;
          } else {
            const d = layout.decode(data, off);
            const r = nextFns[a](d, p);
            t = r === undefined ? d : (r as S);
          }
          generated++;
          transitions++;
          if (!layout.encode(t, scratch, 0) || (immer && validate(inst.schema, t) !== null)) {
            failure = { kind: 'violation', vkind: 'TypeOK', name: 'TypeOK', message: validate(inst.schema, t) ?? 'out of domain', parent: pid, choice: c, state: t };
            break;
          }
          if (nProp > 0) {
            phase = 'property';
            stepObj.action = names[a];
            stepObj.param = p;
            for (let k = 0; k < nProp; k++) {
              failName = properties[k].name;
              if (!propChecks[k](s, t, stepObj as Step)) {
                failure = { kind: 'violation', vkind: 'action-property', name: failName, parent: pid, choice: c, state: t };
                break;
              }
            }
            if (failure) break;
          }
          if (constraint) {
            phase = 'constraint';
            if (!constraint(t)) continue;
          }
          phase = 'view';
          fingerprintOf(t);
          if (atBound) {
            if (!fps.has(fp[0], fp[1])) {
              failure = { kind: 'incomplete', reason: 'max-depth', parent: pid, choice: c };
              break;
            }
            continue;
          }
          const r = fps.put(fp[0], fp[1]);
          if (r === 0) continue;
          if (r < 0 || ((parents.size & 0xfffff) === 0 && !canGrowOthers(parents.nextChunkBytes + nxt.bytes))) {
            failure = { kind: 'incomplete', reason: 'memory', parent: pid, choice: c };
            break;
          }
          if (parents.size >= maxStates) {
            failure = { kind: 'incomplete', reason: 'max-states', parent: pid, choice: c };
            break;
          }
          const id = parents.add(pid, c);
          const o = nxt.reserve();
          if (o + W > nxt.data.length) throw new Error('frontier overflow');
          for (let k = 0; k < W; k++) nxt.data[o + k] = scratch[k];
          nxt.commit();
          newInLevel++;
          if (nInv > 0) {
            phase = 'invariant';
            const k = firstBadInvariant(immer ? t : t);
            if (k >= 0) {
              failure = { kind: 'violation', vkind: 'invariant', name: invariants[k].name, parent: pid, choice: c, at: id };
              break;
            }
          }
        }
        if (!failure && !any && deadlock) {
          phase = 'terminal';
          if (!terminal || !terminal(s)) failure = { kind: 'violation', vkind: 'deadlock', name: 'Deadlock', parent: -2, choice: 0, at: pid };
        }
      } catch (e) {
        if (e instanceof ViewDomainError) failure = { kind: 'error', phase: 'view', error: new Error('the view returned a value outside its schema'), parent: pid, choice: c };
        else if (phase === 'invariant') {
          // Which invariant threw: re-run to find it (off the hot path).
          failure = { kind: 'error', phase, error: e, parent: pid, choice: c, at: parents.size - 1, name: findThrowing(invariants as Instance['invariants'], layout.decode(nxt.data, (nxt.count - 1) * W)) };
        } else if (phase === 'enabled' || phase === 'next' || phase === 'property' || phase === 'constraint')
          failure = { kind: 'error', phase, error: e, parent: pid, choice: c, name: phase === 'property' ? failName : undefined };
        else failure = { kind: 'error', phase, error: e, parent: -2, choice: 0, at: pid };
      }
      if (opts.onProgress && (i & 0x3fff) === 0x3fff) {
        const now = performance.now();
        if (now - lastProgress >= interval) {
          lastProgress = now;
          opts.onProgress({ distinct: parents.size, generated, queue: levelCount - i - 1 + nxt.count, depth, seconds: (now - t0) / 1000 });
        }
      }
    }
    if (failure) break;
    firstId += levelCount;
    const tmp = cur;
    cur = nxt;
    nxt = tmp;
    nxt.clear();
    nxt.shrink();
    if (cur.count > 0) depth++;
    void newInLevel;
  }

  const queueLeft = failure ? cur.count + nxt.count : 0;
  if (failure && nxt.count > 0) depth++;
  const st = stats(queueLeft);
  if (!failure) return { status: 'ok', stats: st };
  return finish(inst, layout, parents, failure, st, immer);
}

class ViewDomainError extends Error {}

function findThrowing(invs: Instance['invariants'], s: unknown): string | undefined {
  for (const i of invs) {
    try {
      i.check(s);
    } catch {
      return i.name;
    }
  }
  return undefined;
}

/** Turns an internal failure record into a result with a replayed trace. */
function finish<S>(inst: Instance<S>, layout: Layout<S>, parents: ParentStore, f: Failure, stats: Stats, immer: boolean): CheckResult<S> {
  if (f.kind === 'incomplete') return { status: 'incomplete', reason: f.reason!, stats };

  // The path of choices to the state where the problem shows.
  let path: number[];
  let extra: number | undefined; // a final step that was not stored (TypeOK, property, errors in a step)
  if (f.at !== undefined) path = parents.path(f.at);
  else if (f.parent === -1) path = [f.choice];
  else {
    path = parents.path(f.parent);
    extra = f.choice;
  }

  if (f.kind === 'error') {
    const rep = replay(inst, path, immer);
    const trace = buildTrace(inst, path.slice(0, rep.states.length), rep.states);
    const err = f.error as Error;
    const c = extra !== undefined ? inst.choices[extra] : undefined;
    const error: EvalError<S> = {
      message: err?.message ?? String(err),
      phase: f.phase!,
      action: c ? inst.actions[c.action].name : undefined,
      param: c ? c.param : undefined,
      name: f.name,
      trace: trace as never,
      stack: err?.stack,
    };
    return { status: 'error', error, stats };
  }

  const full = extra !== undefined ? [...path, extra] : path;
  const rep = replay(inst, full, immer, f.vkind === 'TypeOK' ? f.state : undefined);
  const meta = [...inst.invariants, ...inst.properties].find((x) => x.name === f.name);
  if (!rep.ok) {
    const v: Violation<S> = { kind: 'nondeterminism', name: 'Replay', message: rep.message, trace: buildTrace(inst, full.slice(0, rep.states.length), rep.states) as never };
    return { status: 'violation', violation: v, stats };
  }
  const trace = buildTrace(inst, full, rep.states);
  const mismatch = confirm(inst, f, rep.states);
  if (mismatch) {
    const v: Violation<S> = { kind: 'nondeterminism', name: 'Replay', message: mismatch, trace: trace as never };
    return { status: 'violation', violation: v, stats };
  }
  let message = f.message ?? '';
  if (f.vkind === 'invariant') message = `invariant ${f.name} is violated`;
  else if (f.vkind === 'action-property') message = `action property ${f.name} is violated by step ${trace[trace.length - 1].label}`;
  else if (f.vkind === 'deadlock') message = 'deadlock: no action is enabled and the state is not terminal';
  else if (f.vkind === 'TypeOK') message = `TypeOK is violated after ${trace[trace.length - 1].label}: ${f.message}`;
  const v: Violation<S> = {
    kind: f.vkind!,
    name: f.name!,
    message,
    clause: meta?.clause,
    level: meta?.level,
    doc: meta?.doc,
    trace: trace as never,
  };
  return { status: 'violation', violation: v, stats };
}

/** Re-evaluates the violation on the replayed trace; a different verdict means the spec is not deterministic. */
function confirm<S>(inst: Instance<S>, f: Failure, states: readonly S[]): string | undefined {
  const last = states[states.length - 1];
  const prev = states[states.length - 2];
  const note = 'replay: the violation found by the search does not reproduce when the trace is replayed; the spec is not deterministic';
  try {
    switch (f.vkind) {
      case 'invariant': {
        const inv = inst.invariants.find((i) => i.name === f.name);
        return inv && !inv.check(last) ? undefined : note;
      }
      case 'action-property': {
        const p = inst.properties.find((i) => i.name === f.name);
        const c = inst.choices[f.choice];
        return p && !p.check(prev, last, { action: inst.actions[c.action].name, param: c.param }) ? undefined : note;
      }
      case 'deadlock':
        return inst.choices.some((c) => {
          const en = inst.actions[c.action].def.enabled;
          return en === undefined || en(last, c.param);
        }) ? note : undefined;
      default:
        return undefined;
    }
  } catch (e) {
    return `${note} (${(e as Error)?.message ?? String(e)})`;
  }
}
