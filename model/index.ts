// The VFIO migration model's public API (`migcheck/model`): states and feature sets, the
// next-step table and its walk, session rules, table rules, and the control-plane model
// that specs build on. Import from here, not from the files behind it.

export * from './states.js';
export {
  ALL_FLAGS, KERNEL_TABLE, NO_FD, RULES,
  arc, arcEnds, isSupported, mandatoryArcs, opensSession, endsSession, nextStep, walk, driveSet,
  sessionOpenings, sessionEndings, savingGroupChanges, interiorSavingStates, shortestDistance,
  tableFromJson, loadTable, tableFor, describePair, describeFeatureSet, newFdFrom, checkTable,
} from './fsm.js';
export type {
  Arc, FsmTable, SessionKind, EinvalReason, StepResult, StepFunction, WalkOutcome, WalkFunction,
  ArcResult, SetReturn, SetRequest, SetOutcome, PairOutcome, Rule, RuleInfo, Finding, CheckTableOptions,
} from './fsm.js';
