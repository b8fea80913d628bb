// The control user: one VFIO migration device (the source) under an adversarial user of the
// control half of the uAPI. It may issue SET_STATE to any of the eight states at any time
// (RESUMING and ERROR included: a device used both ways, and the request ERR-1 refuses),
// GET_STATE (SET-8), VFIO_DEVICE_RESET (ERR-4, ERR-6), and close any fd it holds. Its fds are
// the MAX_FDS fd slots of the migration model (model/datapath/uapi.ts): a session's fd stays
// open but dead after the session ended (SAVE-4), and a SET that would need one more fd than
// MAX_FDS is not taken (a bound of the model, not of the uAPI). With ARC_FAILURES its SET names
// an arc that fails (SET-3, COMB-5), and with FAIL_TO_ERROR the failure may move the device to
// ERROR (ERR-2): the failure is the model's, applied like a driver's own `failArc` (uapi.ts srcSet).
//
// It never reads the stream, so the device's data steps are left out (`dataSteps: false`):
// the data path is the other users' concern, and changes no call observes would only multiply
// states. The destination stays idle. specs/vfio/fsm*.spec.ts are this user over the migration
// model (model/datapath/migration.ts).

import { ConfigError } from '../../checker/index.js';
import { STATES, type MigState } from '../states.js';
import { hangText, type WalkOutcome } from '../kernel/fsm.js';
import {
  srcSet, srcReset, srcCloseSlot, onCopy, fdName, PATH_SLOTS,
  type MigrationConfig, type MigrationState, type SetReport, type LastSet,
} from '../datapath/uapi.js';
import { action, type UserModel } from './profile.js';

/** A SET request: the target, the arc that fails (-1: none) and whether that failure moves the device to ERROR. */
export interface SetParam {
  readonly target: MigState;
  readonly fail: number;
  readonly toError: boolean;
}

/** The parameters of SET: every target, and with ARC_FAILURES every arc index that may fail. */
export function setParams(cfg: Pick<MigrationConfig, 'arcFailures' | 'failToError'>): SetParam[] {
  const out: SetParam[] = [];
  for (const target of STATES) {
    out.push({ target, fail: -1, toError: false });
    if (!cfg.arcFailures) continue;
    for (let k = 0; k < PATH_SLOTS - 1; k++) {
      out.push({ target, fail: k, toError: false });
      if (cfg.failToError) out.push({ target, fail: k, toError: true });
    }
  }
  return out;
}

const inject = (p: SetParam) => (p.fail >= 0 ? { at: p.fail, toError: p.toError } : undefined);

/** The SET on a copy: its report and how it went. */
function trySet(s: Readonly<MigrationState>, p: SetParam, cfg: MigrationConfig): { report: SetReport; last: LastSet; device: MigState } {
  return onCopy(s, (c) => {
    const report = srcSet(c, p.target, cfg, inject(p));
    return { report, last: c.lastSet, device: c.src.state };
  });
}

/**
 * `SET_STATE(STOP_COPY) = 0, data_fd=3`, `SET_STATE(PRE_COPY) = -1 EINVAL`, … An fd from an
 * intermediate arc is named by that arc (not by the first arc that opened one), and an fd
 * from the final arc is named too when an intermediate arc opened a session as well.
 */
export function setLabel(p: SetParam, plan: WalkOutcome, r: { report: SetReport; last: LastSet; device: MigState }): string {
  const l = r.last;
  const call = `SET_STATE(${p.target})`;
  const fdArc = r.report.fdArc ?? -1;
  const openedAt = r.report.openedAt ?? [];
  switch (l.ret) {
    case 'OK': {
      const last = plan.arcs.length - 1;
      const others = openedAt.filter((i) => i !== fdArc && i < last).map((i) => plan.arcs[i]);
      const early = l.fd < 0 || fdArc < 0 ? ''
        : fdArc < last ? ` (from intermediate arc ${plan.arcs[fdArc]})`
        : others.length ? ` (from final arc ${plan.arcs[last]}; intermediate arc ${others.join(', ')} opened a session too)` : '';
      return `${call} = 0${l.fd >= 0 ? `, data_fd=${fdName(l.fd)}` : ''}${early}`;
    }
    case 'EINVAL': {
      if (l.done === 0) return `${call} = -1 EINVAL`;
      const why = plan.outcome === 'ok'
        ? `driver dropped the data_fd of intermediate arc ${plan.arcs[l.done - 1]}`
        : `refused after ${plan.path.slice(0, l.done + 1).join('->')}`;
      return `${call} = -1 EINVAL (${why}; device in ${r.device})`;
    }
    case 'EIO':
      return `${call} = -1 EIO (arc ${plan.arcs[l.done]} failed; device in ${r.device})`;
    case 'HANG':
      return `${call} never returns: ${hangText(plan)}`;
  }
}

/** The live sessions of the fd slots, in words. */
const liveKinds = (s: Readonly<MigrationState>): string[] =>
  s.fds.flatMap((f) => (f.file === 'SAVE' ? ['saving'] : f.file === 'RESUME' ? ['resuming'] : []));

/** `RESET = 0 (device in RUNNING; the saving session ended)`: the state it leaves, and what became of the live sessions. */
export function resetLabel(before: Readonly<MigrationState>, after: Readonly<MigrationState>): string {
  const live = liveKinds(before);
  const still = liveKinds(after);
  const sessions = live.length === 0 ? '' : still.length === 0
    ? `; the ${live.join(' and ')} session ended`
    : `; the ${still.join(' and ')} session stays live`;
  return `RESET = 0 (device in ${after.src.state}${sessions})`;
}

export const control: UserModel = {
  name: 'control',
  doc: 'the control half alone: every SET (ERROR included), GET, RESET and close(fd) on the source, with MAX_FDS fds; reads no stream',
  dataSteps: false,
  actions: (cfg) => {
    if (cfg.maxFds < 1) throw new ConfigError('user control: MAX_FDS must be at least 1 (the fd slots it holds; e.g. --max-fds 2)');
    const slots = Array.from({ length: cfg.maxFds }, (_, i) => i);
    return {
      /** The user asks for a state (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, SET). */
      SetState: action({
        call: 'src.set',
        params: setParams(cfg),
        // Not taken: an injected failure beyond the walk's arcs, or no fd slot for a new data_fd.
        enabled: (s, p) => p.fail < cfg.plan(s.src.state, p.target).arcs.length && !trySet(s, p, cfg).report.noSlot,
        next: (s, p) => { srcSet(s, p.target, cfg, inject(p)); },
        label: (p, b) => setLabel(p, cfg.plan(b.src.state, p.target), trySet(b, p, cfg)),
        doc: 'SET_STATE(target): the driver walks the table arc by arc',
      }),
      /** The user reads the state (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, GET); data_fd is always -1 (SET-8). */
      GetState: action({
        call: 'src.get',
        next: () => {},
        label: (_p, _b, a) => `GET_STATE = ${a.src.state}`,
        doc: 'GET_STATE: reports the current state',
      }),
      /** VFIO_DEVICE_RESET: by default back to RUNNING, every session ended (ERR-4, ERR-6; the driver's `reset`). */
      Reset: action({
        call: 'src.reset',
        next: (s) => { srcReset(s, cfg); },
        label: (_p, b) => resetLabel(b, onCopy(b, (c) => { srcReset(c, cfg); return c; })),
        doc: 'VFIO_DEVICE_RESET',
      }),
      /** The user closes an fd it holds; a live session lives on in the driver until its ending arc. */
      CloseFd: action({
        call: 'src.close',
        params: slots,
        enabled: (s, i) => s.fds[i].held,
        next: (s, i) => { srcCloseSlot(s, i); },
        label: (i) => `close(${fdName(i)})`,
        doc: 'close(fd)',
      }),
    };
  },
};
