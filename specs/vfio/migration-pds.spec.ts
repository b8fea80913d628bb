// pds driver (model/drivers/pds.ts, drivers/vfio/pci/pds/lm.c): no PRE_COPY, the whole
// state saved synchronously at STOP->STOP_COPY, a destination that checks nothing. Its save
// fd outlives the session it belongs to: pds_vfio_put_lm_file() empties the file (size 0) but
// pds_vfio_save_read() has no check that the file was put, so an ended fd from which nothing
// was read answers 0, the end of a stream, where the other drivers answer ENODEV (SAVE-4).
// The adversarial user finds that in three steps.
//
// The firmware recovery (pds_vfio_recovery(), pci_drv.c, v6.9 on) puts both files and moves
// the device to ERROR on its own (the profile's asyncError). QEMU meets the same 0 there: a
// recovery right after vfio_save_complete_precopy() got its fd from STOP->STOP_COPY leaves a
// put file of size 0 at position 0, QEMU's drain reads 0, takes it for the end of the device
// state and sends END_OF_STATE (QEMU-3); the destination, which checks nothing (DATA-5),
// starts with no device state loaded, and only the source's cleanup SET STOP, failing from
// ERROR, resets the source (test/model/pds-recovery.test.ts follows the run to its end).
// Every other property holds for both users.

import { migrationSpec } from '../../model/datapath/migration.js';

const OTHERS = [
  'DataSizeAnsweredInEveryState', 'EverySetReturns', 'NoLostMandatoryData', 'PrecopyInfoOnlyInPreCopy', 'NoEnomsgInStopCopy', 'EofIsPermanent',
  'StoppedDeviceDoesNotChange', 'InitialBytesNeverGrowWithoutReinit', 'DirtyBytesStartAtZero', 'ReinitOnlyAfterOptIn', 'OneSessionPerSavingStay',
  'ResetReturnsToRunning', 'ResetEndsSession', 'DirtyBytesCountUnread', 'NoEnomsgWhileSaving', 'InitialBytesZeroOnlyWhenRead', 'EofOnlyWhenNothingLeft',
  'StreamInOrder', 'UserForwardsOneSession', 'SuccessfulSetReachesTarget', 'EveryArcIsMandatory', 'PathsAreShortest',
  'SavingGroupMembershipChangesAtMostOnce', 'NewFdOnlyFromFinalArc', 'DataFdOnlyWhenSessionStarts', 'ErrorIsNeverRequestable', 'OnlyResetLeavesError',
  'SetFromErrorFails', 'StopCopyToPreCopyRefused', 'FailedSetStopsOnItsPath', 'SetMatchesKernel',
];

export default migrationSpec({
  name: 'VfioMigrationPds',
  doc: 'pds driver: no PRE_COPY, synchronous STOP_COPY save, no destination check, an ended save fd that reads 0, firmware recovery to ERROR; adversarial and qemu-like users.',
  driver: 'pds',
  expect: [
    {
      status: 'violation', violation: { kind: 'action-property', name: 'EndedSessionFdFails' },
      trace: ['Init', 'src: SET_STATE(STOP_COPY) = 0, data_fd=3', 'src: SET_STATE(STOP) = 0', 'src: read(3) = 0'],
      note: 'the session ended with nothing read: the put file has size 0 and position 0, so read() answers 0',
    },
    {
      constants: { USER: 'qemu-like' }, status: 'violation', violation: { kind: 'action-property', name: 'EndedSessionFdFails' },
      note: 'trace of 9 states: the firmware recovery between SET STOP_COPY and QEMU\'s first read; QEMU takes the 0 for the end of the device state',
      trace: [
        'Init',
        'src: (no PRE_COPY: no opt-in)  (vfio_migration_init)',
        'src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 2}  (vfio_save_setup)',
        'qemu: switchover: stop the VM',
        'src: SET_STATE(RUNNING_P2P) = 0  (vfio_vmstate_change_prepare)',
        'src: SET_STATE(STOP) = 0  (vfio_vmstate_change)',
        'src: SET_STATE(STOP_COPY) = 0, data_fd=3  (vfio_save_complete_precopy)',
        'src: driver: firmware recovery: pds_vfio_recovery() puts the save and restore files (device in ERROR; the saving session ended)',
        'src: read(3) = 0  (vfio_save_complete_precopy: end of data, sends END_OF_STATE)',
      ],
    },
    { options: { invariants: OTHERS }, status: 'ok', distinct: 960, depth: 16 },
    { constants: { USER: 'qemu-like' }, options: { invariants: OTHERS }, status: 'ok', distinct: 354, depth: 23 },
  ],
});
