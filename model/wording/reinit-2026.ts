// The 2026 REINIT additions on top of the merged text (Yishai Hadas's REINIT series,
// Feb 2026): after the user opts in with VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2, the
// VFIO_PRECOPY_INFO_REINIT flag announces new initial data, and initial_bytes may then go
// up to any non-zero value (REINIT-2 as a MAY); without the opt-in the flag is never
// reported (REINIT-3). initial_bytes never grows otherwise (PRECOPY-5).

import { defineWording } from './profile.js';

export default defineWording({
  name: 'reinit-2026',
  doc: 'the merged text with the 2026 REINIT additions: opt-in, VFIO_PRECOPY_INFO_REINIT, initial_bytes may rise after REINIT',
  source: 'kvm@vger, "vfio: Add VFIO_PRECOPY_INFO_REINIT" series (24 Feb 2026), applied upstream in 2026',
  extends: 'v6.2',
  clauses: {
    'PRECOPY-5': { level: 'SHOULD', statement: 'Without REINIT, initial_bytes only goes down as the initial data is read; an answer that reports REINIT starts it over.' },
    'REINIT-3': 'MUST NOT',
    'REINIT-2': 'MAY',
  },
});
