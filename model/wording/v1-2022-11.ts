// The text of Yishai Hadas's "Add migration PRE_COPY support for mlx5 driver" V1
// (24 Nov 2022): "initial mandatory precopy data" again, and "it is a must to leave PRE_COPY
// for STOP_COPY only after this field reaches zero" (PRECOPY-6 as a MUST on the user). Alex
// Williamson asked whether QEMU, which may switch to STOP_COPY at any time, could obey
// that; Jason Gunthorpe called it a typo, and V2 (1 Dec) made it a recommendation. The
// estimates already bear no relation to the STOP_COPY size (PRECOPY-8 as a MAY).

import { defineWording } from './profile.js';

export default defineWording({
  name: 'v1-2022-11',
  doc: 'mlx5 PRE_COPY series V1 of November 2022: leaving PRE_COPY before initial_bytes reaches zero is "a must" not to do',
  source: 'kvm@vger, "Add migration PRE_COPY support for mlx5 driver" V1 (24 Nov 2022), patch "vfio: Extend the device migration protocol with PRE_COPY"',
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
    'PRECOPY-4': 'MUST',
    'PRECOPY-6': { level: 'MUST', statement: 'The user must leave PRE_COPY for STOP_COPY only after initial_bytes has reached zero (the initial data set has been read).' },
  },
});
