// The qemu-like user: QEMU's hw/vfio/migration.c algorithm as summarised in qemu.md
// (QEMU-1..7), one uAPI call per step, QEMU's function named in the label.
//
// Source (QEMU-1): at realize, opt in to MIG_PRECOPY_INFOv2 if the device has PRE_COPY
// (2026 code); vfio_save_setup queries MIG_DATA_SIZE and, with PRE_COPY, SETs PRE_COPY and
// then queries precopy_info; vfio_save_iterate reads one buffer at a time while the device is
// in a PRE_COPY state, counting it against its cached initial and dirty counts (QEMU-4), and
// treats ENOMSG and 0 alike as "no data now" (QEMU-3); exact pending queries call precopy_info
// again at any time. The migration core decides to switch over at any time (the
// pending-size threshold is not modelled), but with switchover-ack only after the destination
// acknowledged "initial data sent", which the source sends once its cached initial count
// reached 0 (QEMU-5); a REINIT reported after that asks for a new acknowledgement, and one
// reported by the final check at VM stop fails the migration (REINIT-6). VM stop: prepare
// (PRE_COPY->PRE_COPY_P2P, or RUNNING->RUNNING_P2P, with P2P), then STOP_COPY from a PRE_COPY
// state, STOP otherwise (QEMU-7); vfio_save_complete_precopy SETs STOP_COPY if needed (a new
// fd from STOP) and reads until a read returns 0 *or ENOMSG* (QEMU-3), then sends
// END_OF_STATE. Reads block: a read that would answer EAGAIN waits for the driver.
//
// Destination (QEMU-2): vfio_load_setup SETs RESUMING once the setup section arrived, writes
// each buffer as it arrives, approves the switchover on "initial data sent";
// vfio_load_cleanup closes the fd; VM start SETs RUNNING_P2P (the RESUMING->STOP arc
// validates the stream) and then RUNNING.
//
// Failure (QEMU-6; hw/vfio/migration.c read at qemu/qemu 019d9e6cc408, QEMU 9.0; the later
// Error **errp rework of vfio_migration_set_state() keeps its logic). Until END_OF_STATE is sent QEMU may
// fail the migration at any time (QemuMigrationFails); the source is then SET back to RUNNING.
// A call that fails fails the migration as QEMU does:
// - a failed SET goes through vfio_migration_set_state()'s recovery, one call per step: QEMU
//   SETs the caller's recover state (RUNNING in vfio_save_setup, STOP in
//   vfio_save_complete_precopy); when that is ERROR (vfio_migration_set_state_or_reset(): the
//   vm-state callbacks on both sides, the notifier, vfio_save_cleanup) or fails too, it resets
//   the device (VFIO_DEVICE_RESET) and takes it to be RUNNING (phase `recover`).
//   vfio_load_setup's recovery (recover state RUNNING) never runs: the destination's SET
//   RESUMING cannot fail in the model;
// - a read() that fails with anything but ENOMSG (vfio_save_block() returns -errno;
//   EAGAIN never comes back, reads block) fails vfio_save_iterate or
//   vfio_save_complete_precopy, and with it the migration;
// - then vfio_migration_state_notifier() sees MIG_EVENT_PRECOPY_FAILED and SETs the source to
//   RUNNING, resetting it if that fails (phase `aborting`). QEMU's vm_start() after a failure
//   past the VM stop SETs RUNNING too; the model makes the one SET. After a failed VM-stop
//   callback QEMU lets the VM stop finish (migration_file_set_error() only marks the stream)
//   before the migration thread fails: the model fails it at once; no destination starts
//   either way. A failure of the destination's VM start fails the migration after the reset.
// A read() that answers 0 in the final drain ends it whatever the device's state: QEMU puts
// END_OF_STATE into the stream (QEMU-3). The user decides by the device's state where QEMU
// reads its cached device_state; the two differ only after the driver moved the device to
// ERROR on its own (ERR-7), and from ERROR every SET fails alike (EINVAL here; pds answers EIO,
// ERR-5). Cleanup after success: STOP_COPY->STOP (a failure resets the device), close.
//
// Not modelled: the VM being paused by its user during pre-copy (the device then goes to
// STOP_COPY outside a switchover), multifd device-state transfer, several devices; and
// vfio_save_complete_precopy()'s SET STOP_COPY when the device is in STOP_COPY already (from a
// PRE_COPY state), a no-op the user leaves out. With a PRE_COPY driver that moves to ERROR on
// its own (none is modelled; pds has no PRE_COPY) that SET would fail the migration where the
// user reads on, for a move between the VM stop and vfio_save_complete_precopy().

import { t, type Infer } from '../../checker/index.js';
import { STATES, inPreCopy, type MigState } from '../states.js';
import { isSupported } from '../kernel/fsm.js';
import {
  srcSet, dstSet, srcRead, srcReadResult, showSrcRead, srcPrecopyInfo, showSrcPrecopyInfo, srcOptIn, srcDataSize, srcClose,
  dstWrite, showDstWrite, dstClose, dstReset, srcReset, mayForward, showSet, onCopy, type MigrationConfig, type MigrationState,
} from '../datapath/uapi.js';
import type { ReadResult } from '../datapath/source.js';
import type { StreamBounds } from '../datapath/stream.js';
import { sourceFd } from '../datapath/source.js';
import { destinationFd } from '../datapath/destination.js';
import { action, showReset, type UserModel } from './profile.js';

/** Where QEMU's migration is; the source's thread of control, in order. */
export const QEMU_PHASES = [
  'realize', // before vfio_migration_init's opt-in
  'setup', // vfio_save_setup to come
  'query', // the precopy_info query right after SET PRE_COPY
  'iterate', // save_iterate, pending queries; the switchover decision
  'final-check', // 2026: precopy_info at VM stop, still in PRE_COPY (switchover-ack only)
  'prepare', // vm-state prepare callback (P2P)
  'stop', // vm-state callback: STOP_COPY or STOP
  'complete', // vfio_save_complete_precopy: SET STOP_COPY from STOP
  'drain', // reading until 0 (or ENOMSG)
  'sent', // END_OF_STATE sent: the destination loads and starts
  'started', // destination VM runs (RUNNING_P2P); main callback and source cleanup to come
  'done',
  'recover', // a SET failed: vfio_migration_set_state's recovery of that device (recover state, or reset) to come
  'aborting', // the migration failed: vfio_migration_state_notifier's SET RUNNING to come
  'failed',
] as const;
export type QemuPhase = (typeof QEMU_PHASES)[number];

/** Where the migration goes once QEMU has recovered a device after a failed SET. */
const RESUME_PHASES = ['aborting', 'failed', 'done'] as const satisfies readonly QemuPhase[];
type ResumePhase = (typeof RESUME_PHASES)[number];

/** QEMU's own variables (the user's `state`), for some bounds. */
function qemuSchema(b: StreamBounds) {
  return t.record({
    /** Where the migration is (QEMU_PHASES). */
    phase: t.enum(QEMU_PHASES),
    /** QEMU's cached initial and dirty counts (QEMU-4). */
    initial: t.int(0, b.units + 1),
    dirty: t.int(0, 2 * b.units),
    /** The destination ran vfio_load_setup. */
    loading: t.bool(),
    /** The destination ran vfio_load_cleanup (closed its fd). */
    loaded: t.bool(),
    /** VFIO_MIG_FLAG_DEV_INIT_DATA_SENT is in the stream (switchover-ack). */
    initSent: t.bool(),
    /** The destination approved the switchover. */
    acked: t.bool(),
    /** The destination's VM start moved it to RUNNING. */
    dstRunning: t.bool(),
    /** While recovering ('recover'): the device whose SET failed (the destination's recover state is always ERROR). */
    recoverOn: t.enum(['src', 'dst'] as const),
    /** While recovering: the state QEMU SETs it to next (vfio_migration_set_state's recover_state); ERROR: reset it. */
    recoverTo: t.enum(STATES),
    /** While recovering: the phase the migration goes to once the device is recovered. */
    resume: t.enum(RESUME_PHASES),
  });
}

type QemuVars = Infer<ReturnType<typeof qemuSchema>>;

/**
 * This user's variables in a migration state. The cast narrows the type every user's
 * variables share (MigrationState['user']) to this user's: the model's state schema holds
 * qemuSchema's record there whenever this user runs.
 */
const vars = (s: Readonly<MigrationState>): QemuVars => s.user as QemuVars;

const at = (...p: QemuPhase[]) => (s: Readonly<MigrationState>) => p.includes(vars(s).phase);

/** The order of phases, to say "from this phase on". */
const after = (s: Readonly<MigrationState>, p: QemuPhase) => QEMU_PHASES.indexOf(vars(s).phase) >= QEMU_PHASES.indexOf(p);

/** Outside a recovery the recovery variables hold these values, so that states differing only there are one state. */
const NOT_RECOVERING = { recoverOn: 'src', recoverTo: 'ERROR', resume: 'aborting' } as const;

/**
 * A SET QEMU made failed (QEMU-6, vfio_migration_set_state()): QEMU SETs `recoverTo` next,
 * or, when that is ERROR (vfio_migration_set_state_or_reset()) or that SET fails too,
 * resets the device and takes it to be RUNNING; then the migration goes on to `resume`.
 */
function recoverFrom(u: QemuVars, on: 'src' | 'dst', recoverTo: MigState, resume: ResumePhase): void {
  u.phase = 'recover';
  u.recoverOn = on;
  u.recoverTo = recoverTo;
  u.resume = resume;
}

/** The device is recovered: the migration goes on where recoverFrom said. */
function recovered(u: QemuVars): void {
  u.phase = u.resume;
  Object.assign(u, NOT_RECOVERING);
}

/** A read error that fails the migration: vfio_save_block() returns -errno for every errno but ENOMSG (EAGAIN never reaches it: reads block). */
const readFails = (r: ReadResult): boolean => r.kind === 'errno' && r.errno !== 'ENOMSG';

/**
 * Whether a SET or read() QEMU makes on the source can fail: only through the driver's
 * failure hooks (an arc that fails, its own move to ERROR, sessions ended where the kernel's
 * rules would not end them, its own events, which failArc may read), or a next-step table or
 * step function other than the kernel profile's. The kernel's own table refuses none of
 * QEMU's requests, and a SET that never returns ends the run. Without them the
 * recovery steps are left out (UserAction.offered); a failure the list missed would leave the
 * migration stuck in `recover` or `aborting`, which the checker reports as a deadlock.
 */
function sourceMayFail(cfg: MigrationConfig): boolean {
  const d = cfg.driver;
  return d.failArc !== undefined || d.asyncError !== undefined || d.arcSessions !== undefined || d.event !== undefined || cfg.arcFailures
    || cfg.table !== cfg.kernel.table || cfg.step !== cfg.kernel.step;
}

/** Whether the destination's VM start can fail: RESUMING->STOP checks the stream (DATA-5). */
function destinationMayFail(cfg: MigrationConfig): boolean {
  return (cfg.resumeCheck ?? (cfg.detectsIncomplete ? 'end' : 'nothing')) !== 'nothing';
}

function withPrecopy(cfg: MigrationConfig): boolean {
  return isSupported(cfg.table, cfg.features, 'PRE_COPY');
}

function withP2P(cfg: MigrationConfig): boolean {
  return isSupported(cfg.table, cfg.features, 'RUNNING_P2P');
}

/** Counts bytes read against the cached counts: initial first, then dirty; a read of nothing zeroes both (QEMU-4). */
function account(u: QemuVars, got: boolean): void {
  if (!got) {
    u.initial = 0;
    u.dirty = 0;
  } else if (u.initial > 0) u.initial--;
  else if (u.dirty > 0) u.dirty--;
}

/** After an iterate read: "initial data sent" once the cached initial count is 0 (QEMU-5). */
function maybeSendInit(u: QemuVars, cfg: MigrationConfig): void {
  if (cfg.switchoverAck && !u.initSent && u.initial === 0) u.initSent = true;
}

/** A precopy_info answer refreshes the cached counts; a REINIT asks for a new acknowledgement (REINIT-6). */
function refresh(s: MigrationState, cfg: MigrationConfig): boolean {
  const u = vars(s);
  const a = srcPrecopyInfo(s, cfg);
  if (!a.ok) {
    // Failures are not fatal: the counters are zeroed (qemu.md §6).
    u.initial = 0;
    u.dirty = 0;
    return false;
  }
  u.initial = Math.min(cfg.bounds.units + 1, a.initial);
  u.dirty = Math.min(2 * cfg.bounds.units, a.dirty);
  if (a.reinit && s.src.optIn) {
    const again = u.initSent;
    u.initSent = false;
    u.acked = false;
    return again;
  }
  return false;
}

export const qemuLike: UserModel = {
  name: 'qemu-like',
  doc: 'QEMU\'s algorithm (hw/vfio/migration.c, 2026): QEMU-1..7, ENOMSG and 0 alike in iteration and final drain, switchover-ack with SWITCHOVER_ACK',
  state: (cfg) => qemuSchema(cfg.bounds),
  init: () => ({ phase: 'realize', initial: 0, dirty: 0, loading: false, loaded: false, initSent: false, acked: false, dstRunning: false, ...NOT_RECOVERING }),
  terminal: (s) => at('done', 'failed')(s),
  actions: (cfg) => {
    const set = (u: QemuVars, p: QemuPhase) => { u.phase = p; };
    // A SET's line: its result, QEMU's function and, when it fails, what QEMU does about it.
    const srcLabel = (target: MigState, b: Readonly<MigrationState>, fn: string, onFail = '') => {
      const r = onCopy(b, (c) => srcSet(c, target, cfg));
      return `src: ${showSet(target, r)}  (${fn}${r.ret !== 'OK' && onFail !== '' ? `: ${onFail}` : ''})`;
    };
    const dstLabel = (target: MigState, b: Readonly<MigrationState>, fn: string, onFail = '') => {
      const r = onCopy(b, (c) => dstSet(c, target, cfg));
      return `dst: ${showSet(target, r)}  (${fn}${r.ret !== 'OK' && onFail !== '' ? `: ${onFail}` : ''})`;
    };
    const RESET_NEXT = 'recover state ERROR, QEMU resets the device; the migration fails';
    const recoverNext = (state: MigState) => `QEMU SETs the recover state ${state}; the migration fails`;
    const stopTarget = (s: Readonly<MigrationState>): MigState => (inPreCopy(s.src.state) ? 'STOP_COPY' : 'STOP');
    const blockingRead = (s: Readonly<MigrationState>) => {
      const r = srcReadResult(s, cfg);
      return !(r.kind === 'errno' && r.errno === 'EAGAIN');
    };
    return {
      QemuInit: action({
        call: 'src.opt_in',
        enabled: at('realize'),
        next: (s) => {
          if (withPrecopy(cfg)) srcOptIn(s, cfg);
          set(vars(s), 'setup');
        },
        label: () => (!withPrecopy(cfg) ? 'src: (no PRE_COPY: no opt-in)  (vfio_migration_init)'
          : cfg.kernel.precopyInfoV2 ? 'src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0  (vfio_migration_init)'
          : `src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = -1 ENOTTY (kernel ${cfg.kernel.name}: REINIT not trusted)  (vfio_migration_init)`),
      }),
      QemuSaveSetup: action({
        call: 'src.set',
        enabled: at('setup'),
        next: (s) => {
          if (withPrecopy(cfg) && s.src.state === 'RUNNING') {
            // A failed SET fails vfio_save_setup(), and with it the migration.
            if (srcSet(s, 'PRE_COPY', cfg).ret !== 'OK') recoverFrom(vars(s), 'src', 'RUNNING', 'aborting');
            else set(vars(s), 'query');
          } else set(vars(s), 'iterate');
        },
        label: (_p, b) => `src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: ${srcDataSize(b, cfg)}}` +
          (withPrecopy(cfg) && b.src.state === 'RUNNING' ? `; ${srcLabel('PRE_COPY', b, 'vfio_save_setup', recoverNext('RUNNING')).slice(5)}` : '  (vfio_save_setup)'),
      }),
      QemuSetupQuery: action({
        offered: withPrecopy(cfg),
        call: 'src.precopy_info',
        enabled: at('query'),
        next: (s) => {
          refresh(s, cfg);
          set(vars(s), 'iterate');
        },
        label: (_p, b) => `src: ${showSrcPrecopyInfo(b, onCopy(b, (c) => srcPrecopyInfo(c, cfg)))}  (vfio_save_setup)`,
      }),
      QemuSaveIterate: action({
        offered: withPrecopy(cfg),
        call: 'src.read',
        enabled: (s) => at('iterate')(s) && inPreCopy(s.src.state) && s.link.kind === 'none' && blockingRead(s),
        next: (s) => {
          const r = srcRead(s, cfg);
          const u = vars(s);
          // vfio_save_iterate() returns the error: the migration fails.
          if (readFails(r)) return set(u, 'aborting');
          account(u, r.kind === 'data');
          maybeSendInit(u, cfg);
        },
        label: (_p, b) => {
          const r = srcReadResult(b, cfg);
          const after = onCopy(b, (c) => {
            const got = srcRead(c, cfg).kind === 'data';
            account(vars(c), got);
            maybeSendInit(vars(c), cfg);
            return vars(c);
          });
          const note = r.kind === 'data' ? '' : readFails(r) ? ': the read failed, the migration fails' : ' = no data for now';
          const init = after.initSent && !vars(b).initSent ? '; sends INIT_DATA_SENT' : '';
          return `src: ${showSrcRead(b, r)}  (vfio_save_iterate${note}${init})`;
        },
      }),
      QemuQueryPending: action({
        offered: withPrecopy(cfg),
        call: 'src.precopy_info',
        enabled: (s) => at('iterate')(s) && inPreCopy(s.src.state),
        next: (s) => { refresh(s, cfg); },
        label: (_p, b) => {
          const again = onCopy(b, (c) => refresh(c, cfg));
          return `src: ${showSrcPrecopyInfo(b, onCopy(b, (c) => srcPrecopyInfo(c, cfg)))}  (vfio_state_pending exact${again ? '; REINIT: requests a new switchover-ack' : ''})`;
        },
      }),
      QemuSwitchover: action({
        call: 'user',
        enabled: (s) => at('iterate')(s) && (!cfg.switchoverAck || !withPrecopy(cfg) || vars(s).acked),
        next: (s) => {
          const pre = inPreCopy(s.src.state);
          set(vars(s), cfg.switchoverAck && pre ? 'final-check' : withP2P(cfg) ? 'prepare' : 'stop');
        },
        label: () => `qemu: switchover: stop the VM${cfg.switchoverAck ? ' (every switchover-ack received)' : ''}`,
      }),
      QemuFinalReinitCheck: action({
        offered: cfg.switchoverAck && withPrecopy(cfg),
        call: 'src.precopy_info',
        enabled: at('final-check'),
        next: (s) => {
          const a = srcPrecopyInfo(s, cfg);
          if (a.ok && a.reinit && s.src.optIn) {
            // A switchover-ack request after the switchover decision fails the migration (REINIT-6).
            if (srcSet(s, 'RUNNING', cfg).ret !== 'OK') recoverFrom(vars(s), 'src', 'ERROR', 'failed');
            else set(vars(s), 'failed');
          } else set(vars(s), withP2P(cfg) ? 'prepare' : 'stop');
        },
        label: (_p, b) => {
          const a = onCopy(b, (c) => srcPrecopyInfo(c, cfg));
          const fail = a.ok && a.reinit && b.src.optIn;
          return `src: ${showSrcPrecopyInfo(b, a)}  (vfio_final_precopy_reinit_check${fail ? ': REINIT after the switchover decision; migration fails, SET_STATE(RUNNING)' : ''})`;
        },
      }),
      QemuVmStopPrepare: action({
        offered: withP2P(cfg),
        call: 'src.set',
        enabled: at('prepare'),
        next: (s) => {
          // vfio_migration_set_state_or_reset(); a failure is reported with migration_file_set_error().
          if (srcSet(s, inPreCopy(s.src.state) ? 'PRE_COPY_P2P' : 'RUNNING_P2P', cfg).ret !== 'OK') recoverFrom(vars(s), 'src', 'ERROR', 'aborting');
          else set(vars(s), 'stop');
        },
        label: (_p, b) => srcLabel(inPreCopy(b.src.state) ? 'PRE_COPY_P2P' : 'RUNNING_P2P', b, 'vfio_vmstate_change_prepare', RESET_NEXT),
      }),
      QemuVmStop: action({
        call: 'src.set',
        enabled: at('stop'),
        next: (s) => {
          const target = stopTarget(s);
          // vfio_migration_set_state_or_reset(), as in the prepare callback.
          if (srcSet(s, target, cfg).ret !== 'OK') recoverFrom(vars(s), 'src', 'ERROR', 'aborting');
          else set(vars(s), target === 'STOP_COPY' ? 'drain' : 'complete');
        },
        label: (_p, b) => srcLabel(stopTarget(b), b, 'vfio_vmstate_change', RESET_NEXT),
      }),
      QemuCompletePrecopy: action({
        call: 'src.set',
        enabled: at('complete'),
        next: (s) => {
          // Recover state STOP; the error fails the migration.
          if (srcSet(s, 'STOP_COPY', cfg).ret !== 'OK') recoverFrom(vars(s), 'src', 'STOP', 'aborting');
          else set(vars(s), 'drain');
        },
        label: (_p, b) => srcLabel('STOP_COPY', b, 'vfio_save_complete_precopy', recoverNext('STOP')),
      }),
      QemuDrainRead: action({
        call: 'src.read',
        enabled: (s) => at('drain')(s) && s.link.kind === 'none' && blockingRead(s),
        next: (s) => {
          const r = srcRead(s, cfg);
          if (r.kind === 'data') return;
          // Any other errno is vfio_save_block()'s error: vfio_save_complete_precopy() returns it and the migration fails.
          if (readFails(r)) return set(vars(s), 'aborting');
          // 0 and ENOMSG both end the loop (QEMU-3): QEMU puts END_OF_STATE into the stream, whatever the device's state.
          s.link.drained = true;
          set(vars(s), 'sent');
        },
        label: (_p, b) => {
          const r = srcReadResult(b, cfg);
          return `src: ${showSrcRead(b, r)}  (vfio_save_complete_precopy${r.kind === 'data' ? '' : readFails(r) ? ': the read failed, the migration fails' : ': end of data, sends END_OF_STATE'})`;
        },
      }),
      QemuMigrationFails: action({
        call: 'src.set',
        enabled: (s) => !after(s, 'sent') && after(s, 'query'),
        next: (s) => {
          if (srcSet(s, 'RUNNING', cfg).ret !== 'OK') recoverFrom(vars(s), 'src', 'ERROR', 'failed');
          else set(vars(s), 'failed');
        },
        label: (_p, b) => `${srcLabel('RUNNING', b, 'migration failed: vfio_migration_state_notifier', 'recover state ERROR, QEMU resets the device')}`,
      }),
      QemuNotifyFailure: action({
        offered: sourceMayFail(cfg),
        call: 'src.set',
        // A failed SET or read failed the migration: the notifier's MIG_EVENT_PRECOPY_FAILED (vfio_migration_set_state_or_reset()).
        enabled: at('aborting'),
        next: (s) => {
          if (srcSet(s, 'RUNNING', cfg).ret !== 'OK') recoverFrom(vars(s), 'src', 'ERROR', 'failed');
          else set(vars(s), 'failed');
        },
        label: (_p, b) => srcLabel('RUNNING', b, 'vfio_migration_state_notifier: the migration failed', 'recover state ERROR, QEMU resets the device'),
      }),
      QemuRecoverSource: action({
        offered: sourceMayFail(cfg),
        call: 'src.set',
        enabled: (s) => at('recover')(s) && vars(s).recoverOn === 'src' && vars(s).recoverTo !== 'ERROR',
        next: (s) => {
          const u = vars(s);
          if (srcSet(s, u.recoverTo, cfg).ret !== 'OK') u.recoverTo = 'ERROR';
          else recovered(u);
        },
        label: (_p, b) => srcLabel(vars(b).recoverTo, b, 'vfio_migration_set_state: the recover state after the failed SET', 'QEMU resets the device'),
      }),
      QemuResetSource: action({
        offered: sourceMayFail(cfg),
        call: 'src.reset',
        enabled: (s) => at('recover')(s) && vars(s).recoverOn === 'src' && vars(s).recoverTo === 'ERROR',
        next: (s) => {
          srcReset(s, cfg);
          recovered(vars(s));
        },
        label: (_p, b) => `src: ${showReset(b, 'src', (c) => srcReset(c, cfg))}  (vfio_migration_set_state: reset after the failed SET, device_state = RUNNING)`,
      }),
      QemuLoadSetup: action({
        call: 'dst.set',
        enabled: (s) => after(s, 'query') && !after(s, 'started') && !vars(s).loading,
        next: (s) => {
          // Never fails in the model (the destination has no failure hooks), so vfio_load_setup's
          // recovery (recover state RUNNING, its device_state) never runs.
          dstSet(s, 'RESUMING', cfg);
          vars(s).loading = true;
        },
        label: (_p, b) => dstLabel('RESUMING', b, 'vfio_load_setup'),
      }),
      QemuLoadState: action({
        call: 'dst.write',
        enabled: (s) => vars(s).loading && !vars(s).loaded && s.dst.held && mayForward(s.link),
        next: (s) => { dstWrite(s); },
        label: (_p, b) => `dst: ${showDstWrite(b, onCopy(b, (c) => dstWrite(c)))}  (vfio_load_state)`,
      }),
      QemuApproveSwitchover: action({
        offered: cfg.switchoverAck && withPrecopy(cfg),
        call: 'user',
        // The marker follows the data already in the stream: the buffer is empty when it arrives.
        enabled: (s) => cfg.switchoverAck && vars(s).loading && vars(s).initSent && !vars(s).acked && s.link.kind === 'none',
        next: (s) => { vars(s).acked = true; },
        label: () => 'dst: INIT_DATA_SENT received: switchover approved  (qemu_loadvm_approve_switchover)',
      }),
      QemuLoadCleanup: action({
        call: 'dst.close',
        enabled: (s) => at('sent')(s) && vars(s).loading && !vars(s).loaded && s.link.kind === 'none',
        next: (s) => {
          dstClose(s);
          vars(s).loaded = true;
        },
        label: () => `dst: close(${destinationFd()})  (vfio_load_cleanup)`,
      }),
      QemuVmStart: action({
        call: 'dst.set',
        enabled: (s) => at('sent')(s) && vars(s).loaded,
        next: (s) => {
          const target: MigState = withP2P(cfg) ? 'RUNNING_P2P' : 'RUNNING';
          const r = dstSet(s, target, cfg);
          // vfio_migration_set_state_or_reset(): a failed start resets the device.
          if (r.ret !== 'OK') recoverFrom(vars(s), 'dst', 'ERROR', 'failed');
          else {
            vars(s).dstRunning = target === 'RUNNING';
            set(vars(s), 'started');
          }
        },
        label: (_p, b) => {
          const target: MigState = withP2P(cfg) ? 'RUNNING_P2P' : 'RUNNING';
          const r = onCopy(b, (c) => dstSet(c, target, cfg));
          return `dst: ${showSet(target, r)}  (vfio_vmstate_change${withP2P(cfg) ? '_prepare' : ''}, VM start)`;
        },
      }),
      QemuResetDestination: action({
        offered: destinationMayFail(cfg),
        call: 'dst.reset',
        // The destination's failed SETs are all vfio_migration_set_state_or_reset()'s (VM start): recover state ERROR.
        enabled: (s) => at('recover')(s) && vars(s).recoverOn === 'dst',
        next: (s) => {
          dstReset(s);
          recovered(vars(s));
        },
        label: (_p, b) => `dst: ${showReset(b, 'dst', dstReset)}  (vfio_migration_set_state: reset after the failed SET, device_state = RUNNING; the migration fails)`,
      }),
      QemuVmStartMain: action({
        offered: withP2P(cfg),
        call: 'dst.set',
        enabled: (s) => at('started')(s) && !vars(s).dstRunning,
        next: (s) => {
          if (dstSet(s, 'RUNNING', cfg).ret !== 'OK') recoverFrom(vars(s), 'dst', 'ERROR', 'failed');
          else vars(s).dstRunning = true;
        },
        label: (_p, b) => dstLabel('RUNNING', b, 'vfio_vmstate_change, VM start', RESET_NEXT),
      }),
      QemuSaveCleanup: action({
        call: 'src.set',
        enabled: (s) => at('started')(s) && vars(s).dstRunning,
        next: (s) => {
          // vfio_migration_set_state_or_reset(): a failure resets the device; the migration has completed.
          const r = srcSet(s, 'STOP', cfg);
          srcClose(s);
          if (r.ret !== 'OK') recoverFrom(vars(s), 'src', 'ERROR', 'done');
          else set(vars(s), 'done');
        },
        label: (_p, b) => `${srcLabel('STOP', b, 'vfio_save_cleanup', 'recover state ERROR, QEMU resets the device')}; close(${sourceFd()})`,
      }),
    };
  },
};

