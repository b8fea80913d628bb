// precopy_info's output `flags` before MIG_PRECOPY_INFOv2 (50ff3f404617, "vfio: Add support for
// VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2", the 2026 series, v7.1): every driver copied the
// caller's struct in and back (mlx5vf_precopy_ioctl(), virtiovf_precopy_ioctl(),
// hisi_acc_vf_precopy_ioctl(), qat, mtty: PRECOPY-14), so `flags` came back as the caller
// passed it. A caller that left bit 0 set, or reused the struct of an earlier answer, reads
// VFIO_PRECOPY_INFO_REINIT that no driver reported, and cannot tell it from a real one. From
// v7.1 the core (vfio_check_precopy_ioctl()) hands the driver a zeroed `flags` and REINIT
// comes only from the driver after the opt-in (REINIT-3). Kernel profiles v6.2 and v7.1
// (`precopyInfoFlags`); the user is the adversarial user whose precopy_info passes either 0
// or the REINIT bit in `flags` (the action's parameter).

import { historySpec, type KernelBug } from '../../../model/datapath/migration.js';
import { adversarial, action, type UserModel } from '../../../model/users/index.js';
import { srcPrecopyInfo, showSrcPrecopyInfo, onCopy, type PrecopyInFlags } from '../../../model/datapath/uapi.js';

const IN_FLAGS: readonly PrecopyInFlags[] = [0, 'REINIT'];

/** The adversarial user, whose precopy_info passes 0 or the REINIT bit in `flags`. */
const dirtyFlags: UserModel = {
  ...adversarial,
  name: 'adversarial-in-flags',
  doc: 'the adversarial user; its precopy_info passes 0 or the REINIT bit as input flags',
  actions: (cfg) => ({
    ...adversarial.actions(cfg),
    SrcPrecopyInfo: action({
      call: 'src.precopy_info',
      params: IN_FLAGS,
      enabled: (s) => s.src.held,
      next: (s, f) => { srcPrecopyInfo(s, cfg, f); },
      label: (f, b) => `src: ${showSrcPrecopyInfo(b, onCopy(b, (c) => srcPrecopyInfo(c, cfg, f)))} (flags in: ${f === 0 ? '0' : 'REINIT'})`,
      doc: 'VFIO_MIG_GET_PRECOPY_INFO with the given input flags',
    }),
  }),
};

/** The bug, its fix and the property the broken twin fails (docs/vfio-model.md, "Bug history"). */
export const bug: KernelBug = { title: 'vfio: Add support for VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2', commit: '50ff3f404617', release: 'v7.1', property: 'ReinitOnlyAfterOptIn' };

export default historySpec({
  name: 'HistoryPrecopyInfoFlagsEcho',
  doc: 'v6.2..v7.0: precopy_info flags echo the caller\'s input, so REINIT appears without the opt-in.',
  bug,
  common: { driver: 'reference', units: 1, reinit: false, user: dirtyFlags },
  broken: { kernel: 'v6.2' },
  fixed: { kernel: 'v7.1' },
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'ReinitOnlyAfterOptIn' },
      note: 'trace of 3 states',
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
        'src: PRECOPY_INFO(3) = {initial_bytes: 1, dirty_bytes: 0, flags: REINIT} (flags in: REINIT)',
      ],
    },
    { constants: { TWIN: 'fixed' }, status: 'ok', distinct: 1014, depth: 16 },
  ],
});
