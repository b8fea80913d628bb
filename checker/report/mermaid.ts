// A trace as a Mermaid sequence diagram (`--format mermaid`), for issues, reviews and docs
// (GitHub and GitLab render ```mermaid blocks).
//
// Participants come from the step labels, not from any particular model: a label
// `P: text` puts the step on participant P (so `src: SET_STATE(STOP_COPY) = 0` is a call
// from the caller, by default `user`, to `src`). A call written `name(args) = result`
// becomes a request arrow and a dashed reply arrow carrying the result; any other text on a
// participant is an event of that participant (a note over it). Labels without a prefix are
// notes across the whole diagram; a spec whose labels have no prefixes at all gets one
// participant named after the spec. The last note names what was violated.

import type { CheckResult, TraceStep } from '../result.js';
import { headline, type RunInfo } from './text.js';
import { loopNote } from './plain.js';

export interface SequenceOptions {
  /** The participant that issues calls (default `user`). */
  caller?: string;
  /** Display names of prefixes (default: each participant is shown by its prefix). */
  aliases?: Readonly<Record<string, string>>;
  /** Decides whether a prefixed step is an event of its participant rather than a call from the caller. */
  isEvent?: (text: string, step: TraceStep) => boolean;
  /** Participant used when no label has a prefix (default `spec`). */
  fallback?: string;
  /** A last note, e.g. what was violated. */
  finalNote?: string;
  /** Title: the diagram's first note, across all participants. */
  title?: string;
}

/**
 * Longest line of a note. Mermaid sizes a diagram's viewBox from its participants and
 * messages and widens it for a note only as far as the note's longest line, so long lines are
 * clipped; broken into lines of this length (`<br/>`) they stay inside the box
 * (test/report/mermaid-render.test.ts renders real reports to check it).
 */
export const MERMAID_LINE = 48;

/** Breaks escaped text into lines of at most `width` characters at spaces (a longer word stays whole). */
export function mermaidWrap(escaped: string, width = MERMAID_LINE): string {
  const lines: string[] = [];
  let cur = '';
  for (const w of escaped.split(' ')) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('<br/>');
}

const PREFIX = /^([A-Za-z][\w-]*):\s+(.*)$/s;
// `name(args) = result`: the first ') = ' after the call's name ends the arguments, so a
// result may itself contain parentheses (`= -1 ENOMSG (no data)`); `name(args)` alone is a call without a reply.
const CALL_WITH_RESULT = /^([\w.$-]+\s*\(.*?\))\s*=\s*(.+)$/s;
const CALL = /^[\w.$-]+\s*\(.*\)$/s;

/** Escapes text for a message or a note: Mermaid reads `;` and `#` specially and renders `<`/`>` as markup. */
export function mermaidText(s: string): string {
  // One pass, so the ';' of an entity just written is not escaped again.
  const entity: Readonly<Record<string, string>> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;' };
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[#;<>]/g, (c) => entity[c])
    .trim();
}

/** A participant identifier Mermaid accepts. */
export function mermaidId(s: string): string {
  const id = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(id) ? id : `p_${id}`;
}

export function splitLabel(label: string): { prefix?: string; text: string } {
  const m = PREFIX.exec(label);
  return m ? { prefix: m[1], text: m[2] } : { text: label };
}

/** Default event test: a step is a call when its text looks like `name(args)` or `name(args) = result`. */
export const defaultIsEvent = (text: string): boolean => !CALL_WITH_RESULT.test(text) && !CALL.test(text);

/** The sequence diagram of a trace. */
export function traceToSequence(trace: readonly TraceStep[], opts: SequenceOptions = {}): string {
  const caller = opts.caller ?? 'user';
  const aliases: Readonly<Record<string, string>> = opts.aliases ?? {};
  const isEvent = opts.isEvent ?? defaultIsEvent;
  const parts = trace.map((st) => splitLabel(st.label));
  const prefixed = parts.filter((p) => p.prefix !== undefined).map((p) => p.prefix!);
  const calls = parts.some((p, i) => p.prefix !== undefined && p.prefix !== caller && !isEvent(p.text, trace[i]));
  const order: string[] = [];
  if (calls || prefixed.includes(caller)) order.push(caller);
  // Participants that only have events of their own (no call reaches them) stand next to
  // the caller: they are usually the caller's own machinery (e.g. a VMM's migration core).
  const called = new Set(parts.filter((p, i) => p.prefix !== undefined && p.prefix !== caller && !isEvent(p.text, trace[i])).map((p) => p.prefix!));
  for (const p of prefixed) if (!order.includes(p) && !called.has(p) && calls) order.push(p);
  for (const p of prefixed) if (!order.includes(p)) order.push(p);
  if (order.length === 0) order.push(opts.fallback ?? 'spec');

  // No front-matter `title:`: Mermaid (12.3) places it from the diagram's width without
  // counting it in the viewBox, so on a narrow diagram, or one whose notes reach left of the
  // first participant, even a short title is cut off. A note is measured like the rest.
  const lines: string[] = ['sequenceDiagram'];
  for (const p of order) {
    const name = aliases[p] ?? p;
    lines.push(`  participant ${mermaidId(p)} as ${mermaidText(name)}`);
  }
  const span = order.length === 1 ? mermaidId(order[0]) : `${mermaidId(order[0])},${mermaidId(order[order.length - 1])}`;
  if (opts.title) lines.push(`  Note over ${span}: ${mermaidWrap(mermaidText(opts.title))}`);
  trace.forEach((st, i) => {
    const { prefix, text } = parts[i];
    const n = `${i}. `;
    if (prefix === undefined || i === 0) {
      lines.push(`  Note over ${span}: ${mermaidWrap(mermaidText(n + st.label))}`);
      return;
    }
    const id = mermaidId(prefix);
    if (prefix === caller || isEvent(text, st)) {
      lines.push(`  Note over ${id}: ${mermaidWrap(mermaidText(n + text))}`);
      return;
    }
    const m = CALL_WITH_RESULT.exec(text);
    const from = mermaidId(caller);
    if (m) {
      lines.push(`  ${from}->>+${id}: ${mermaidText(n + m[1])}`);
      lines.push(`  ${id}-->>-${from}: ${mermaidText(m[2])}`);
    } else lines.push(`  ${from}->>${id}: ${mermaidText(n + text)}`);
  });
  if (opts.finalNote) lines.push(`  Note over ${span}: ${mermaidWrap(mermaidText(opts.finalNote))}`);
  return lines.join('\n') + '\n';
}

/** The diagram for one `check` run: the counterexample, or the path to an evaluation error; a lone note otherwise. */
export function formatMermaid(info: RunInfo, r: CheckResult): string {
  const trace = r.status === 'violation' ? r.violation.trace : r.status === 'error' ? r.error.trace : [];
  const v = r.status === 'violation' ? r.violation : undefined;
  const loop = v ? loopNote(trace, v.loop) : undefined;
  const note = v ? `VIOLATED: ${headline(r)}${v.doc ? ` -- ${v.doc}` : ''}${loop ? ` (${loop})` : ''}` : headline(r);
  // The title names the spec; what was found is the final note.
  return traceToSequence(trace, { fallback: info.spec, finalNote: note, title: info.spec });
}
