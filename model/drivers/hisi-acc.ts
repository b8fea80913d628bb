// hisi-acc: the HiSilicon SEC/HPRE/ZIP VF driver (drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c),
// the static-header family (static-header-like.ts) with what this driver does differently,
// as of v7.0 (with 8be14dd48dfe, the reset fix; its broken twin is in history.ts).
//
// - Flags: STOP_COPY and PRE_COPY, no P2P (hisi_acc_vfio_pci_migrn_init_dev()): the
//   device cannot stop its DMA apart from the rest.
// - PRE_COPY exposes only the "match data" (hisi_acc_vf_pre_copy(): device id, queue
//   count, isolation state, magic); precopy_info (hisi_acc_vf_precopy_ioctl()) checks the
//   device state first (EINVAL unless PRE_COPY, before it looks at the file: on an ended
//   session it answers EINVAL outside PRE_COPY, ENODEV inside), then answers initial =
//   the unread match data, dirty = 0. read() answers 0 once all of it was read (no ENOMSG).
// - PRE_COPY->STOP_COPY fills the rest of the same struct (vf_qm_state_save()): the stream
//   continues where the header ended.
// - Destination: hisi_acc_vf_resume_write() checks the match data as soon as it arrived;
//   RESUMING->STOP (hisi_acc_vf_load_state(), vf_qm_load_data()) accepts a stream of exactly
//   the match data and loads nothing, rejects one longer than that but shorter than the
//   whole struct (EINVAL), and loads a whole one: resumeCheck 'header-or-whole'.
// - Reset (hisi_acc_vf_pci_aer_reset_done(), hisi_acc_vf_reset()): RUNNING, the files
//   disabled (v7.0; before 8be14dd48dfe the handler skipped the reset once PRE_COPY was
//   claimed).
//
// Not modelled: a VF that the guest never started (vf_qm_state QM_NOT_READY), whose stream
// is only ever the match data and whose load is skipped.

import type { DriverProfile } from './profile.js';
import { staleInfoStateFirst } from './profile.js';
import { staticHeaderLike } from './static-header-like.js';

export const hisiAcc: DriverProfile = {
  ...staticHeaderLike,
  name: 'hisi-acc',
  doc: 'HiSilicon hisi_acc (drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c, v7.0): static match header in PRE_COPY, no P2P, precopy_info checks the state first, RESUMING->STOP takes only the header or the whole state (DRV-2, DATA-5)',
  flags: ['PRE_COPY'],
  stalePrecopyInfo: staleInfoStateFirst,
  resumeCheck: 'header-or-whole',
};
