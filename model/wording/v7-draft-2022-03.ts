// The PRE_COPY text under debate on kvm@vger in March 2022 (v6/v7 of the patch carried in
// Shameer Kolothum's hisi_acc series, 28 Feb - 2 Mar 2022; wording-history.md, disputed
// points 1-3). Its two readings that the merged text dropped:
//  - the "trailer" sentence: the estimates describe what an immediate STOP_COPY would stream,
//    so a driver should keep the STOP_COPY trailer small (PRECOPY-8 as a SHOULD);
//  - "mandatory" initial data: it must be read out, in PRE_COPY or STOP_COPY (PRECOPY-4 as a
//    MUST on the user), which Alex Williamson objected makes the legal PRE_COPY->RUNNING arc
//    a violation.
// The ioctl was stated as valid only in PRE_COPY, EINVAL otherwise (PRECOPY-2 as a MUST).

import { defineWording } from './profile.js';

export default defineWording({
  name: 'v7-draft-2022-03',
  doc: 'PRE_COPY draft of March 2022 (hisi_acc series v6/v7): estimates describe an immediate STOP_COPY, initial data is mandatory',
  source: 'kvm@vger, "vfio: Extend the device migration protocol with PRE_COPY", hisi_acc series v6 07/10 (28 Feb 2022) and v7 07/10 (2 Mar 2022)',
  clauses: {
    'DATA-9': 'MUST',
    'DATA-7': 'MUST',
    'DATA-8': 'MUST NOT',
    'FSM-2': 'MUST',
    'SAVE-2': 'MUST',
    'PRECOPY-2': { level: 'MUST', statement: 'VFIO_MIG_GET_PRECOPY_INFO is valid only in PRE_COPY; in any other state it fails with EINVAL.' },
    'PRECOPY-5': 'SHOULD',
    'PRECOPY-11': 'SHOULD',
    'PRECOPY-8': 'SHOULD',
    'PRECOPY-4': 'MUST',
  },
});
