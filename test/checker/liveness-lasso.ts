// An independent check of a liveness counterexample, written without the engine's graph
// or SCC code: every step of the trace is recomputed from the spec's own guard and recipe,
// the lasso must close (last state = state `loop`), the property must fail along it, and the
// cycle must satisfy every fairness condition of the instance (WF: taken on the cycle or
// disabled in one of its states; SF: taken on the cycle or disabled in all of its states).
// A step that does not change the state neither takes nor enables an action (<<A>>_vars).

import { isDeepStrictEqual } from 'node:util';
import type { Instance, NamedTemporal, Violation } from '../../checker/index.js';

/** Indexes of the choices whose step from `s` exists and changes the state. */
function realSteps<S>(inst: Instance<S>, s: S): { choice: number; next: S }[] {
  const out: { choice: number; next: S }[] = [];
  inst.choices.forEach((c, i) => {
    const a = inst.actions[c.action];
    if (a.def.enabled && !a.def.enabled(s, c.param)) return;
    const d = structuredClone(s);
    const r = a.def.next(d, c.param);
    const t = (r === undefined ? d : r) as S;
    if (inst.constraint && !inst.constraint(t)) return;
    if (!isDeepStrictEqual(t, s)) out.push({ choice: i, next: t });
  });
  return out;
}

/** Problems with the lasso, one line each; empty when it is a genuine fair counterexample. */
export function lassoProblems<S>(inst: Instance<S>, v: Violation<S>): string[] {
  const problems: string[] = [];
  const prop = (inst.temporal ?? []).find((t) => t.name === v.name) as NamedTemporal<S> | undefined;
  if (!prop) return [`no temporal property named ${v.name}`];
  if (v.kind !== 'liveness') problems.push(`kind is ${v.kind}`);
  const tr = v.trace;
  const loop = v.loop;
  if (loop === undefined || loop < 0 || loop >= tr.length) return [...problems, `bad loop index ${String(loop)}`];
  if (!inst.init.some((s) => isDeepStrictEqual(s, tr[0].state))) problems.push('state 0 is not an initial state');
  const stepChoice: number[] = [-1];
  for (let k = 1; k < tr.length; k++) {
    const st = tr[k];
    const options = realSteps(inst, tr[k - 1].state).filter(({ choice }) => {
      const c = inst.choices[choice];
      return inst.actions[c.action].name === st.action && isDeepStrictEqual(c.param, st.param);
    });
    const hit = options.find((o) => isDeepStrictEqual(o.next, st.state));
    if (!hit) problems.push(`step ${k} (${st.label}) is not a state-changing step of the spec`);
    stepChoice.push(hit ? hit.choice : -1);
  }
  if (!isDeepStrictEqual(tr[tr.length - 1].state, tr[loop].state)) problems.push(`the last state is not state ${loop}`);

  // The property fails along the lasso.
  const cycleStates = tr.slice(loop, Math.max(loop + 1, tr.length - 1)).map((s) => s.state);
  switch (prop.kind) {
    case 'leadsTo': {
      const k = tr.findIndex((s, i) => prop.p(s.state) && tr.slice(i).every((x) => !prop.q(x.state)));
      if (k < 0 || k > loop) problems.push('no state satisfies the premise and is followed only by states without the goal');
      break;
    }
    case 'alwaysEventually':
      if (cycleStates.some((s) => prop.p(s))) problems.push('a state of the cycle satisfies p');
      break;
    case 'eventuallyAlways':
      if (cycleStates.every((s) => prop.p(s))) problems.push('every state of the cycle satisfies p');
      break;
  }

  // Fairness of the cycle (steps loop+1 .. last; none when it stutters).
  const taken = new Set(stepChoice.slice(loop + 1));
  for (const f of inst.fairness ?? []) {
    const isTaken = f.choices.some((c) => taken.has(c));
    const enabledIn = cycleStates.map((s) => realSteps(inst, s).some((x) => f.choices.includes(x.choice)));
    const fair = isTaken || (f.kind === 'weak' ? enabledIn.some((e) => !e) : enabledIn.every((e) => !e));
    if (!fair) problems.push(`the cycle is not fair to ${f.kind === 'weak' ? 'WF' : 'SF'}(${f.name})`);
  }
  return problems;
}
