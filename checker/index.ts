// migcheck's public API: the spec-writing helpers, check(), and the result types.
// Everything outside checker/ (the VFIO model, specs, users' own specs) imports from here.

export { t, validate, leaves, canonical, cardinality, domainValues, show, SchemaError } from './schema.js';
export { codec, equal, has, MAX_SET_DOMAIN } from './schema.js';
export type { Schema, Infer, EnumType, IntType, BoolType, RecordType, ArrayType, TupleType, SetType, Leaf } from './schema.js';
export type { SeqType, FnType, VariantType, Codec } from './schema.js';
export { defineSpec, model, isSpec, instantiate, loadConstants, resolveConstants, describeConstants, defaultLabel, stepLabel } from './spec.js';
export type {
  Spec, SpecDef, Model, ActionDef, Invariant, ActionProperty, Step, View, Expectation, ConstDef, ConstDefs,
  ConstValue, ConstValues, Level, Meta, Instance, Choice, ActionInfo, NamedCheck, CheckDefaults,
  Temporal, Fairness, StatePredicate, NamedTemporal, FairnessCondition,
} from './spec.js';
// Temporal logic: LTL formulas over state predicates, actions and ENABLED, and fairness on formulas (docs/writing-specs.md).
export {
  pred, action, step, unchanged, angle, square, enabled, not, and, or, implies, always, eventually, leadsTo, TRUE, FALSE,
  wf, sf, each, fairnessFormula, isStutterInvariant, show as showFormula,
} from './ltl.js';
export type { Formula, Atom, Fair, FairOptions, Property, FairnessSpec, ParamFilter, Vars } from './ltl.js';
export { check, checkAsync } from './explore/check.js';
export type { CheckOptions } from './explore/check.js';
export { replay, buildTrace } from './explore/trace.js';
export { checkSymmetry, SYMMETRY_CHECK_STATES } from './explore/symmetry-check.js';
export type { SymmetryCheckOptions, SymmetryCheckResult } from './explore/symmetry-check.js';
export { replayLog, labelObserver, MAX_SHOWN } from './explore/validate.js';
export type { Observer, LabelledStep, ValidateOptions, ReplayVerdict, WitnessStep, Skipped, Broken, ReplayStats } from './explore/validate.js';
export { Successors, Batch, ViewDomainError, selectChecks } from './explore/successors.js';
export type { Stop, InitOutcome, Event, SuccessorOptions } from './explore/successors.js';
export type { Failure, Site } from './explore/verdict.js';
export { editDistance, nearest, suggest } from './names.js';
export type { CheckResult, Stats, TraceStep, Violation, ViolationKind, EvalError, IncompleteReason, Progress } from './result.js';
export type { SimulationStats } from './result.js';
export type { SimulateOptions } from './explore/options.js';
export type { CoverageTable, ChoiceCoverage, PropertyCoverage } from './explore/coverage.js';
export { SpecError, ConfigError, UsageError } from './errors.js';
export { compileLayout } from './store/layout.js';
export { SequenceLengthError } from './store/layout.js';
export type { Layout } from './store/layout.js';
export { FingerprintSet } from './store/fpset.js';
// For plugin commands (package.json "migcheck.commands"): the context they get and the exit codes.
export { EXIT, replayExitCode } from './cli/exit.js';
export type { ReplayOutcome } from './cli/exit.js';
export {
  cut, parseCount, parseSize, parseList, parseWorkers, shellQuote, commandLine, invocation, progressDisplay, fitLine,
  checkOutFile, prepareOutDir, writeReportFile, shownPath, errnoText, OutputError,
} from './cli/kit.js';
export type { ProgressDisplay } from './cli/kit.js';
export { packageVersion } from './cli/root.js';
export type { CliContext, Io } from './cli/main.js';
// Report building blocks, for commands that print traces and results of their own (e.g. `migcheck matrix`).
export { toItf } from './report/itf.js';
export type { ItfTrace } from './report/itf.js';
export { plainTrace, plainLines, toAscii, wrapLine, wrapCommand, loopNote, PLAIN_WIDTH } from './report/plain.js';
export { formatCount } from './report/text.js';
export { renderJUnit, junitCounts, junitClassname, xmlText, xmlAttr } from './report/junit.js';
export { sarifLog, type SarifRun } from './report/sarif.js';
export type { JUnitSuite, JUnitCase, JUnitOutcome } from './report/junit.js';
export { annotation, escapeData, escapeProperty, unescapeData, unescapeProperty } from './report/github.js';
export type { Annotation, AnnotationLevel } from './report/github.js';
export { traceToSequence, mermaidText } from './report/mermaid.js';
export type { SequenceOptions } from './report/mermaid.js';
