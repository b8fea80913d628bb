// virtio driver (model/drivers/virtio.ts, drivers/vfio/pci/virtio/migrate.c): the whole
// context as initial data, re-read inside precopy_info once everything has been read, a
// synchronous final save, a destination that checks nothing. As the source has it,
// precopy_info reports the whole context as dirty_bytes as soon as the initial data has been
// read, whether or not the device changed anything (the virtio spec tracks no changes): the
// INFO-level DirtyBytesStartAtZero (PRECOPY-7) fails in six steps (seven states). Every other property
// holds, for the adversarial user and for QEMU.

import { migrationSpec } from '../../model/datapath/migration.js';

const OTHERS = [
  'DataSizeAnsweredInEveryState', 'EverySetReturns', 'NoLostMandatoryData', 'PrecopyInfoOnlyInPreCopy', 'NoEnomsgInStopCopy',
  'EofIsPermanent', 'StoppedDeviceDoesNotChange', 'InitialBytesNeverGrowWithoutReinit', 'ReinitOnlyAfterOptIn', 'OneSessionPerSavingStay',
];

export default migrationSpec({
  name: 'VfioMigrationVirtio',
  doc: 'virtio driver: whole-context initial data, context re-read inside precopy_info, synchronous final save; dirty_bytes never starts at zero.',
  driver: 'virtio',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'DirtyBytesStartAtZero' },
      note: 'virtiovf_precopy_ioctl adds the context size to dirty_bytes once initial_bytes is 0',
      trace: [
        'Init',
        'src: SET_STATE(PRE_COPY) = 0, data_fd=3',
        'src: read(3) = [initial unit 0 v0]',
        'dst: SET_STATE(RESUMING) = 0, data_fd=4',
        'dst: write(4, [initial unit 0 v0]) = ok',
        'src: read(3) = [initial unit 1 v0]',
        'src: PRECOPY_INFO(3) = {initial_bytes: 0, dirty_bytes: 2}',
      ],
    },
    { options: { invariants: OTHERS }, status: 'ok', distinct: 6354, depth: 21 },
    { constants: { USER: 'qemu-like' }, options: { invariants: OTHERS }, status: 'ok', distinct: 2539, depth: 31 },
  ],
});
