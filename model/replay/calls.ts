// Which of the migration model's uAPI calls (model/users/profile.ts, `UapiCall`) an event can
// stand for, by the call each user action declares: a summary for readers and tests. The
// replay (validate.ts) matches a step by the events its label shows instead, because a
// declared call is only a step's first call; UNOBSERVED_CALLS are the steps it treats as
// hidden (`device`: dirtying, REINIT, an asynchronous save; `user`: QEMU's own decisions).
//
// A step may make several calls: the QEMU-like user's QemuSaveSetup queries MIG_DATA_SIZE and
// then SETs PRE_COPY (call 'src.set'), QemuSaveCleanup SETs STOP and closes the data_fd. Its
// label lists them joined by "; " (eventsFromSteps splits it the same way), so the replay must
// let one step match that many consecutive events; `src.data_size` and `src.close` are made
// only inside such steps by today's user models.
//
// An empty list means the migration model has no such call on that side: a read() on the
// destination departs; a GET_STATE (of the users only the control user makes one, and it
// changes nothing) and an open are skipped as events the model does not know (validate.ts).

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
