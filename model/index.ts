// The VFIO migration model's public API (`migcheck/model`): states and feature sets, the
// next-step table and its walk, session rules, table rules, and the control-plane model
// that specs build on. Import from here, not from the files behind it.

export * from './states.js';
export {
  ALL_FLAGS, KERNEL_TABLE, NO_FD, RULES,
  arc, arcEnds, isSupported, mandatoryArcs, opensSession, endsSession, nextStep, walk, driveSet,
  sessionOpenings, sessionEndings, savingGroupChanges, interiorSavingStates, shortestDistance,
  tableFromJson, loadTable, tableFor, withNextSteps, describePair, describeFeatureSet, newFdFrom, checkTable,
} from './fsm.js';
export type {
  Arc, FsmTable, SessionKind, EinvalReason, StepResult, StepFunction, WalkOutcome, WalkFunction,
  ArcResult, SetReturn, SetRequest, SetOutcome, PairOutcome, Rule, RuleInfo, Finding, CheckTableOptions,
} from './fsm.js';
export {
  FIRST_FD, PATH_SLOTS, FILE_STATES, SET_RETURNS, CONTROL_CONSTANTS, KERNEL_DRIVER,
  applySet, planFor, setParams, setLabel, controlConfig, controlProperties, controlModel, controlSpec,
} from './control.js';
export type { FileState, ControlDriver, ControlOptions, ControlConstants, ControlConfig, ControlState, SetParam, PropertyDef } from './control.js';
export { register as registerFsmCommand, fsmReport, fsmJson, fsmText, fsmDot, fsmCommand, FSM_FORMATS } from './cli.js';
export type { FsmReport, FsmOptions, FsmFormat } from './cli.js';
