// The merged text (commit 4db52602a607, Linux v6.2): "initial precopy data" without
// "mandatory"; leaving PRE_COPY before initial_bytes reaches zero is only recommended
// against, it may make things slower (PRECOPY-6 as REC); initial_bytes and dirty_bytes
// need bear no relation to the STOP_COPY size (PRECOPY-8 as a MAY: a driver may keep a
// large trailer for STOP_COPY); a user may give up a session without reading anything
// (PRECOPY-4 as a MAY); drivers should return EINVAL outside the PRE_COPY states.

import { defineWording } from './profile.js';

export default defineWording({
  name: 'v6.2',
  doc: 'the merged PRE_COPY text (Linux v6.2): leaving PRE_COPY early is only discouraged, the estimates say nothing about STOP_COPY',
  source: 'include/uapi/linux/vfio.h as of commit 4db52602a607 "vfio: Extend the device migration protocol with PRE_COPY" (Linux v6.2)',
  clauses: {
    'DATA-9': 'MUST',
    'DATA-7': 'MUST',
    'DATA-8': 'MUST NOT',
    'FSM-2': 'MUST',
    'SAVE-2': 'MUST',
    'PRECOPY-2': 'SHOULD',
    'PRECOPY-5': 'SHOULD',
    'PRECOPY-11': 'SHOULD',
    'PRECOPY-8': 'MAY',
    'PRECOPY-4': 'MAY',
    'PRECOPY-6': 'REC',
  },
});
