// Broken variant: a proposed next-step table that routes RUNNING->STOP through the saving
// group (RUNNING->PRE_COPY->STOP_COPY->STOP) on a device with PRE_COPY but not P2P. Each arc
// is a mandatory arc of that feature set, yet the walk opens a saving session on its first
// arc and would close it on its last (against COMB-2); in-tree drivers stop at the first
// arc with EINVAL, because it returned a data_fd before the end (COMB-4).
//
// Pinned: the COMB-2 property with its shortest trace. Checked with every property, the
// first one to fail is COMB-1 on the same step: using mandatory arcs only, a path through
// the saving group is never a shortest one, so a table cannot break COMB-2 alone.

import { fileURLToPath } from 'node:url';
import { migrationSpec } from '../../model/datapath/migration.js';
import { loadTable } from '../../model/kernel/fsm.js';

const table = loadTable(fileURLToPath(new URL('./tables/through-saving-group.json', import.meta.url)));

export default migrationSpec({
  name: 'VfioFsmBrokenTable',
  doc: 'Broken table: RUNNING->STOP walks through PRE_COPY and STOP_COPY (COMB-2).',
  user: 'control',
  table,
  features: 'STOP_COPY|PRE_COPY',
  units: 1,
  maxFds: 2,
  expect: [
    {
      options: { invariants: ['SavingGroupMembershipChangesAtMostOnce'] },
      status: 'violation',
      violation: { kind: 'action-property', name: 'SavingGroupMembershipChangesAtMostOnce' },
      trace: ['Init', 'SET_STATE(STOP) = -1 EINVAL (driver dropped the data_fd of intermediate arc RUNNING->PRE_COPY; device in PRE_COPY)'],
      note: 'COMB-2: the walk RUNNING->PRE_COPY->STOP_COPY->STOP enters and leaves the saving group',
    },
    {
      status: 'violation',
      violation: { kind: 'action-property', name: 'PathsAreShortest' },
      trace: ['Init', 'SET_STATE(STOP) = -1 EINVAL (driver dropped the data_fd of intermediate arc RUNNING->PRE_COPY; device in PRE_COPY)'],
      note: 'with every property, COMB-1 fails first on the same step',
    },
  ],
});
