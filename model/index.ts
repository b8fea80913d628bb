// The VFIO migration model's public API (`migcheck/model`): states and feature sets, the
// next-step table and its walk, session rules, table rules, and the migration model that
// specs build on (its control half is the control user over it). Import from here, not from
// the files behind it.

export * from './states.js';
export {
  ALL_FLAGS, KERNEL_TABLE, NO_FD, RULES,
  arc, arcEnds, isSupported, mandatoryArcs, opensSession, endsSession, sessionEffect, nextStep, walk, driveSet,
  sessionOpenings, sessionEndings, savingGroupChanges, interiorSavingStates, shortestDistance,
  tableFromJson, loadTable, tableFor, withNextSteps, describePair, describeFeatureSet, newFdFrom, checkTable,
} from './kernel/fsm.js';
export type {
  Arc, FsmTable, SessionKind, EinvalReason, StepResult, StepFunction, WalkOutcome, WalkFunction,
  ArcResult, SetReturn, SetRequest, SetOutcome, PairOutcome, Rule, RuleInfo, Finding, CheckTableOptions,
} from './kernel/fsm.js';
export { register as registerFsmCommand, fsmReport, fsmJson, fsmText, fsmDot, fsmCommand, FSM_FORMATS } from './commands/fsm.js';
export type { FsmReport, FsmOptions, FsmFormat } from './commands/fsm.js';
// Clauses, wording profiles and the wording matrix (docs/wording-lab.md).
export { CLAUSES, CLAUSE_CATALOGUE, CLAUSE_LEVELS, PARTIES, compileClause, clauseText, severity, strength, smallTrailer } from './wording/clauses.js';
export type { Clause, ClauseDef, ClauseLevel, ClauseProperty, ClauseContext, Party, CompiledCheck } from './wording/clauses.js';
export { WORDINGS, WORDING_NAMES, DEFAULT_WORDING, defineWording, resolveWording, wordingProblem, wording, loadWording } from './wording/index.js';
export type { Wording, WordingProfile, WordingEntry } from './wording/index.js';
export { runMatrix, checkPair, pairInstance, diffMatrices, findings as matrixFindings, matrixExitCode, parseUserVariant, defaultDrivers, defaultUsers } from './wording/matrix.js';
export type { MatrixResult, MatrixOptions, Row as MatrixRow, Cell as MatrixCell, Verdict, Difference as WordingDifference } from './wording/matrix.js';
// The data path: the whole-migration model, the record stream, driver profiles, user models
// and the uAPI calls users are built from (docs/vfio-model.md, "Data path").
export { migrationModel, migrationSpec, migrationConfig, migrationProperties, optionsFromConstants, migrationConstants, optionKey, MIGRATION_CONSTANTS, historySpec } from './datapath/migration.js';
export type {
  MigrationOptions, MigrationSpecOptions, MigrationConstants, MigrationConstantName, MigrationConstantDefs, OptionKey, MigrationState, MigrationConfig, Link, KernelBug, HistorySpecOptions,
} from './datapath/migration.js';
export {
  RECORD_KINDS, UNIT_KINDS, NONE, maxRecords, capture, captureImage, captureTracked, trackAll, discard, unread, unreadInitial,
  trackedCount, hasBuffered, nextRecord, popRecord, clearStream, showRecord,
} from './datapath/stream.js';
export type { RecordKind, UnitKind, StreamRecord, SourceDevice, StreamBounds } from './datapath/stream.js';
export {
  DRIVERS, DRIVER_NAMES, driverProfile, profileProblem, reference, mlx5Like, staticHeaderLike, noPrecopy, vgpuFramebuffer, hisiAcc, qat,
  brokenForgetsInitial, brokenEnomsgInStopCopy, brokenInfoInStopCopy, brokenMissesP2pDirty, brokenInitialGrows, brokenSaveHangs,
  KERNEL_RESET, staleInfoStateFirst, resumeCheckOf,
  mlx5DirtyBytesV6_2, mlx5DirtyBytesV6_3, mlx5InflightSaveBroken, mlx5InflightSaveFixed, pdsResetV6_8, pdsResetV6_9, hisiResetBroken, hisiResetFixed,
} from './drivers/index.js';
export type {
  DriverProfile, EmptyRead, PrecopyInfoAnswer, PrivateField, ResetEffect, StaleRead, StaleInfo, ResumeCheck, ArcFailure, DriverEvent,
} from './drivers/index.js';
export { USERS, userModel, userNames, adversarial, qemuLike, control, action } from './users/index.js';
export { setParams, setLabel, resetLabel } from './users/control.js';
export type { SetParam } from './users/control.js';
export type { UserModel, UserAction, UapiCall } from './users/index.js';
export {
  FIRST_FD, PATH_SLOTS, FILE_STATES, SET_RETURNS, fdName, initialLastSet,
  srcSet, dstSet, srcRead, srcReadResult, srcPrecopyInfo, srcPrecopyInfoResult, srcOptIn, srcDataSize, srcClose, srcCloseSlot, srcReset,
  dstWrite, dstClose, dstReset, mayForward, userCompleted, loadedStream, showSet, showSrcRead, showSrcPrecopyInfo, showDstWrite, onCopy, inFlagsOf,
} from './datapath/uapi.js';
export type { SetReport, PrecopyInFlags, InjectedFailure, FdSlot, FileState, LastSet } from './datapath/uapi.js';
export type { ReadResult, InfoResult } from './datapath/source.js';
export type { DestinationDevice, WriteResult } from './datapath/destination.js';
export {
  KERNELS, KERNEL_NAMES, DEFAULT_KERNEL, kernelProfile, kernelProblem, kernelFeatureSets, loadKernelFile, isKernelFile,
  skipLoopWithoutErrorTest, skipLoopWithErrorTest, STEP_LOOPS, v5_18, v6_2, v7_1,
} from './kernel/index.js';
export type { KernelProfile } from './kernel/index.js';
export { boundedStep, STEP_LOOKUP_BOUND, hangText } from './kernel/fsm.js';
export { loadProfileValue, isProfileFile, PROFILE_FILE_EXTENSIONS, loadKernel, loadStep, loadDriver } from './commands/load.js';
