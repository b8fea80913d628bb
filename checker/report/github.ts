// GitHub Actions workflow commands: one annotation line per finding, in the documented
// syntax `::error file=F,line=L,title=T::MESSAGE` (also `::warning` and `::notice`).
// A message is one line, so its newlines are escaped; the runner decodes them again:
//   data (the message):  %  -> %25, CR -> %0D, LF -> %0A
//   property values:     the same, plus  : -> %3A  and  , -> %2C
// (as in @actions/core's escapeData / escapeProperty). The percent sign is escaped first,
// so an escape sequence already present in the text survives the round trip.

import type { CheckResult } from '../result.js';
import { headline, statsLine, type RunInfo } from './text.js';
import { loopNote, plainTrace } from './plain.js';
import { definitionLine } from './source.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  /** Shown as the annotation's heading. */
  title?: string;
  /** Repository-relative path the annotation is attached to. */
  file?: string;
  line?: number;
  message: string;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Inverse of escapeData (what the runner does); for tests and for tools reading the lines back. */
export function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Inverse of escapeProperty. */
export function unescapeProperty(s: string): string {
  return unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

/** One workflow command line (without the trailing newline). */
export function annotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.title) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level}${props.length ? ' ' + props.join(',') : ''}::${escapeData(a.message)}`;
}

/** Longest trace shown inside one annotation; the full trace is in the other formats. */
export const ANNOTATION_TRACE_STEPS = 60;

/** The annotations for one `check` run (`--format github`): one per finding, or a notice when all holds. */
export function formatGithub(info: RunInfo, r: CheckResult, exitCode: number): string {
  const level: AnnotationLevel = exitCode === 0 ? (r.status === 'ok' ? 'notice' : 'warning') : 'error';
  const title = `migcheck ${info.spec}: ${headline(r)}`;
  // GitHub resolves `file` against the workspace, where a CI job's steps run.
  const file = info.relative ?? (info.file && !info.file.startsWith('/') ? info.file : undefined);
  const subject = r.status === 'violation' ? r.violation.name : r.status === 'error' ? r.error.name : undefined;
  const line = subject === undefined ? undefined : definitionLine(info.source, subject);
  const body: string[] = [];
  switch (r.status) {
    case 'ok':
      body.push(statsLine(r.stats));
      break;
    case 'violation': {
      const v = r.violation;
      if (v.doc) body.push(`Statement: ${v.doc}`);
      body.push(v.message, '', `Trace (${v.trace.length} states, shortest):`);
      const steps = v.trace.slice(0, ANNOTATION_TRACE_STEPS);
      body.push(...plainTrace(info.schema, steps));
      if (v.trace.length > steps.length) body.push(`  ... ${v.trace.length - steps.length} more steps (see --format text)`);
      const note = loopNote(v.trace, v.loop);
      if (note) body.push(`  ${note}`);
      break;
    }
    case 'error':
      body.push(r.error.message);
      if (r.error.action) body.push(`in action ${r.error.action}`);
      break;
    case 'incomplete':
    case 'no-violation-found':
      body.push(statsLine(r.stats));
      break;
  }
  if (r.status !== 'ok') body.push('', `Reproduce: ${info.reproduce}`);
  return annotation({ level, title, file, line, message: body.join('\n') }) + '\n';
}
