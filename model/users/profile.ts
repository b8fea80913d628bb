// What a user (VMM) model is: its own variables and its actions over the whole migration,
// each built from the uAPI calls in model/datapath/uapi.ts. An action names the uAPI call it makes,
// so that properties about a call (what read() may return in STOP_COPY, when precopy_info
// may answer) judge every user's calls alike.

import type { ActionDef } from '../../checker/index.js';
import { onCopy, type MigrationConfig, type MigrationState, type UserVariables } from '../datapath/uapi.js';

/** The uAPI call an action makes first; `device` for the device's own steps, `user` for a step that makes none. */
export type UapiCall =
  | 'src.set' | 'src.get' | 'src.read' | 'src.precopy_info' | 'src.opt_in' | 'src.data_size' | 'src.close' | 'src.reset'
  | 'dst.set' | 'dst.write' | 'dst.close' | 'dst.reset'
  | 'device' | 'user';

export interface UserAction<P = unknown> extends ActionDef<MigrationState, P> {
  readonly call: UapiCall;
  /**
   * Whether the action exists in this configuration (default true). An action the user never
   * takes with these features (pre-copy steps without PRE_COPY, switchover-ack steps without
   * the capability) is left out of the model rather than given a guard that is never true:
   * the checker warns about such guards, and the warning should be kept for real mistakes.
   */
  readonly offered?: boolean;
}

/** A user action; the parameter type is inferred from `params`. */
export function action<P = undefined>(a: UserAction<P>): UserAction<P> {
  return a;
}

export interface UserModel {
  /** Registry name, the value of the USER constant. */
  readonly name: string;
  readonly doc: string;
  /** The user's own variables, as a record schema of enums, ints and booleans (none when absent). */
  readonly state?: (cfg: MigrationConfig) => UserVariables;
  /** Their initial values. */
  readonly init?: (cfg: MigrationConfig) => MigrationState['user'];
  /** The user's actions, in the order the checker tries them. */
  readonly actions: (cfg: MigrationConfig) => Readonly<Record<string, UserAction<any>>>;
  /** States in which the user is done (not deadlocks). */
  readonly terminal?: (s: Readonly<MigrationState>, cfg: MigrationConfig) => boolean;
  /**
   * Whether the device's own data steps (DeviceDirty, DeviceReinit, DriverSaveDone) run beside
   * this user (default true). A user that never reads the stream (the control user) says
   * false: changes to data it never observes would only multiply states.
   */
  readonly dataSteps?: boolean;
}

/**
 * `RESET = 0 (device in RUNNING; the saving session ended)`: VFIO_DEVICE_RESET on one device,
 * with the state the reset leaves it in and what became of its session, as `reset` does it.
 */
export function showReset(b: Readonly<MigrationState>, side: 'src' | 'dst', reset: (s: MigrationState) => void): string {
  const after = onCopy(b, (c) => {
    reset(c);
    return c[side];
  });
  const kind = side === 'src' ? 'saving' : 'resuming';
  const session = !b[side].live ? '' : after.live ? `; the ${kind} session stays live` : `; the ${kind} session ended`;
  return `RESET = 0 (device in ${after.state}${session})`;
}
