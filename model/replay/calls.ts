// Which of the migration model's uAPI calls (model/users/profile.ts, `UapiCall`) an event can
// stand for: the bridge the replay (phase 2) matches events with. A user action is labelled
// with its call; an event is matched only by actions whose call is in this list, and the
// model's unobservable steps (`device`: dirtying, REINIT, an asynchronous save; `user`: QEMU's
// own decisions) may run between any two events.
//
// A step may make several calls: the QEMU-like user's QemuSaveSetup queries MIG_DATA_SIZE and
// then SETs PRE_COPY (call 'src.set'), QemuSaveCleanup SETs STOP and closes the data_fd. Its
// label lists them joined by "; " (eventsFromSteps splits it the same way), so the replay must
// let one step match that many consecutive events; `src.data_size` and `src.close` are made
// only inside such steps by today's user models.
//
// An empty list means the migration model has no such call on that side (a read() on the
// destination, a GET_STATE, which only the control-only model makes); the replay reports the
// event as one the model cannot produce, it does not skip it.

import type { UapiCall } from '../users/profile.js';
import type { ReplayEvent } from './events.js';

/** The calls that are never observed: the replay may take them between any two events. */
export const UNOBSERVED_CALLS: readonly UapiCall[] = ['device', 'user'];

export function uapiCallsFor(e: ReplayEvent): readonly UapiCall[] {
  const src = e.side === 'source';
  switch (e.call) {
    case 'set_state': return [src ? 'src.set' : 'dst.set'];
    case 'read': return src ? ['src.read'] : [];
    case 'write': return src ? [] : ['dst.write'];
    case 'precopy_info': return src ? ['src.precopy_info'] : [];
    case 'opt_in': return src ? ['src.opt_in'] : [];
    case 'data_size': return src ? ['src.data_size'] : [];
    case 'close': return [src ? 'src.close' : 'dst.close'];
    case 'reset': return [src ? 'src.reset' : 'dst.reset'];
    // strace's undecoded VFIO_DEVICE_FEATURE: any feature call the model has on that side.
    case 'feature': return src ? ['src.set', 'src.opt_in', 'src.data_size'] : ['dst.set'];
    case 'get_state': return [];
    // The model's devices are open from the start; obtaining the fd is no step of it.
    case 'open': return [];
  }
}
