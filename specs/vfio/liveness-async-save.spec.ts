// DATA-10 as a liveness property: a driver that saves the STOP_COPY data asynchronously
// (mlx5's SAVE commands, chunk mode) makes a reader wait (EAGAIN, or a blocking read) until
// the save completes; the stream must not wait for ever. Under weak fairness of the driver's
// completion step, every pending save completes, or its session ends.
//
// The spec also shows why the fairness assumption is needed (without it a behaviour may
// stop at a pending save, as in TLA+), and a broken profile (model/drivers/broken.ts), spread from
// mlx5-like, whose save never completes: its counterexample is a lasso in which the user
// keeps reading EAGAIN.

import { defineSpec, model } from '../../checker/index.js';
import { migrationModel, brokenSaveHangs as saveHangs, type MigrationState } from '../../model/index.js';


export default defineSpec({
  name: 'VfioAsyncSaveCompletes',
  doc: 'DATA-10: with a fair driver, an asynchronous STOP_COPY save always completes (or its session ends).',
  constants: {
    DRIVER: { default: 'mlx5-like', values: ['mlx5-like', 'broken-save-hangs'], doc: 'driver profile of both devices' },
    FAIR: { default: true, doc: 'assume weak fairness of the driver completing its save' },
  },
  setup: ({ DRIVER, FAIR }) => {
    const m = migrationModel({ driver: DRIVER === saveHangs.name ? saveHangs : DRIVER, units: 1, maxVersion: 1, reinit: false });
    return model({
      ...m,
      temporal: {
        AsyncSaveCompletes: {
          leadsTo: [(s: MigrationState) => s.src.pending, (s: MigrationState) => !s.src.pending],
          clause: 'DATA-10', level: 'IMPL',
          doc: 'a pending asynchronous STOP_COPY save eventually completes (or its session ends): a reader is not blocked for ever',
        },
      },
      // A profile without a completion (broken-save-hangs) has no DriverSaveDone action to be fair to.
      fairness: FAIR && 'DriverSaveDone' in m.actions ? { weak: ['DriverSaveDone'] } : {},
    } as never);
  },
  expect: [
    { status: 'ok', distinct: 1314, depth: 17, note: 'mlx5-like under weak fairness of DriverSaveDone' },
    {
      constants: { FAIR: false },
      status: 'violation',
      violation: { kind: 'liveness', name: 'AsyncSaveCompletes' },
      trace: ['Init', 'src: SET_STATE(STOP_COPY) = 0, data_fd=3'],
      note: 'without fairness the behaviour may stop while the save is pending',
    },
    {
      constants: { DRIVER: 'broken-save-hangs' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'AsyncSaveCompletes' },
      trace: ['Init', 'src: SET_STATE(STOP_COPY) = 0, data_fd=3'],
      note: 'the save never completes, whatever the user does',
    },
  ],
});
