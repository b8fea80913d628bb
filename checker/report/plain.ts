// Plain-text report for mailing lists: 7-bit ASCII only, no colour, every line at most 72
// columns, so a counterexample can be pasted into a reply on a kernel list without being
// mangled by mail clients (which reflow long lines and mis-encode non-ASCII characters).
// Long lines are wrapped at spaces with a deeper hanging indent; the reproducing command
// is wrapped with shell line continuations so it can still be pasted into a terminal.

import { leaves, show, type Schema } from '../schema.js';
import type { CheckResult, TraceStep } from '../result.js';
import { constantsLine, headline, statsLine, type RunInfo } from './text.js';

export const PLAIN_WIDTH = 72;

/** Characters that have a customary ASCII spelling; anything else non-ASCII becomes '?'. */
const ASCII_SPELLING: Readonly<Record<string, string>> = {
  '→': '->', '←': '<-', '↔': '<->', '⇒': '=>', '⇐': '<=', '⇔': '<=>', '↦': '|->',
  '≤': '<=', '≥': '>=', '≠': '!=', '≈': '~', '×': 'x', '·': '.', '•': '*', '∧': '/\\', '∨': '\\/',
  '¬': '~', '∈': '\\in', '∉': '\\notin', '⊆': '\\subseteq', '∅': '{}', '∀': '\\A', '∃': '\\E',
  '…': '...', '—': '--', '–': '-', '‐': '-', '−': '-',
  '‘': "'", '’': "'", '‚': ',', '“': '"', '”': '"', '„': '"', '«': '<<', '»': '>>',
  '✓': 'ok', '✔': 'ok', '✗': 'X', '✘': 'X',
  '\u00a0': ' ', '\u2009': ' ', '\u202f': ' ', '\t': '  ',
};

/** Rewrites a string into printable 7-bit ASCII (no control characters other than none at all). */
export function toAscii(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f) {
      out += ch;
      continue;
    }
    const known = ASCII_SPELLING[ch];
    if (known !== undefined) {
      out += known;
      continue;
    }
    // Accented letters: drop the combining marks (é -> e).
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += /^[\x20-\x7e]+$/.test(base) ? base : code < 0x20 || code === 0x7f ? ' ' : '?';
  }
  return out;
}

/**
 * Wraps one line to `width` columns at spaces. Continuation lines keep the line's own
 * indentation plus `hang` spaces; a word longer than the room left is cut.
 */
export function wrapLine(line: string, width = PLAIN_WIDTH, hang = 4): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const contIndent = indent + ' '.repeat(hang);
  // Words with the blanks before them, so spacing inside a line (column layout) survives.
  const tokens = [...line.slice(indent.length).matchAll(/( *)(\S+)/g)].map((m) => ({ gap: m[1], word: m[2] }));
  const out: string[] = [];
  let cur = indent;
  let fresh = true;
  const room = () => width - cur.length;
  for (const tok of tokens) {
    let w = tok.word;
    const sep = fresh ? '' : tok.gap;
    if ((sep + w).length <= room()) {
      cur += sep + w;
      fresh = false;
      continue;
    }
    if (!fresh) {
      out.push(cur);
      cur = contIndent;
      fresh = true;
    }
    while (w.length > room()) {
      const n = Math.max(1, room());
      out.push(cur + w.slice(0, n));
      w = w.slice(n);
      cur = contIndent;
    }
    cur += w;
    fresh = false;
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

/**
 * Wraps a shell command with ` \` continuations so every line fits `width`. A word longer
 * than a line is split with a backslash-newline inside the word (the shell removes the pair
 * and joins the pieces); that continuation starts in column 0 because leading blanks would
 * otherwise end the word. Single-quoted words are not split that way (the shell keeps the
 * backslash inside quotes) and may stay longer than `width`.
 */
export function wrapCommand(cmd: string, width = PLAIN_WIDTH, indent = '  '): string[] {
  const words = cmd.split(/ +/).filter(Boolean);
  const out: string[] = [];
  let cur = indent;
  const cont = `${indent}    `;
  for (let w of words) {
    const empty = cur.trim() === '';
    const candidate = empty ? cur + w : `${cur} ${w}`;
    // Leave room for the " \" continuation marker.
    if (candidate.length + 2 <= width) {
      cur = candidate;
      continue;
    }
    if (!empty) {
      out.push(`${cur} \\`);
      cur = cont;
    }
    if (cur.length + w.length + 2 > width && !w.includes("'")) {
      // Each piece ends with the backslash; the last piece keeps room for a later continuation.
      while (cur.length + w.length + 2 > width) {
        const room = width - cur.length - 1;
        out.push(`${cur}${w.slice(0, room)}\\`);
        w = w.slice(room);
        cur = '';
      }
    }
    cur += w;
  }
  out.push(cur);
  return out;
}

/** ASCII, wrapped to `width`, no trailing blanks. */
export function plainLines(lines: readonly string[], width = PLAIN_WIDTH): string[] {
  return lines.flatMap((l) => wrapLine(toAscii(l).replace(/\s+$/, ''), width));
}

/** A trace as plain lines: step number and label, then the variables it changed (all of them for Init, or with `full`). */
export function plainTrace(schema: Schema, trace: readonly TraceStep[], full = false): string[] {
  const out: string[] = [];
  const width = String(Math.max(0, trace.length - 1)).length;
  trace.forEach((st, i) => {
    out.push(`  ${String(i).padStart(width)}  ${st.label}`);
    let ls: { path: string; value: unknown }[];
    try {
      ls = leaves(schema, st.state);
    } catch {
      ls = [{ path: 'state', value: st.state }];
    }
    const shown = full || i === 0 ? ls : ls.filter((l) => st.changed.includes(l.path));
    const pad = ' '.repeat(width + 6);
    for (const l of shown) out.push(`${pad}${l.path} = ${show(l.value)}`);
    if (i > 0 && shown.length === 0) out.push(`${pad}(no variable changed)`);
  });
  return out;
}

/** For a lasso (liveness counterexample): which steps repeat for ever. */
export function loopNote(trace: readonly TraceStep[], loop: number | undefined): string | undefined {
  if (loop === undefined) return undefined;
  return loop >= trace.length - 1
    ? `The behaviour stays in state ${loop} for ever.`
    : `State ${trace.length - 1} is state ${loop} again: steps ${loop + 1}..${trace.length - 1} repeat for ever.`;
}

/** The report of one check as plain ASCII within 72 columns (`--format plain`). */
export function formatPlain(info: RunInfo, r: CheckResult, full = false): string {
  const lines: string[] = [];
  lines.push(`migcheck ${info.spec}${info.file ? ` (${info.file})` : ''}`);
  lines.push(`  ${constantsLine(info.constants)}`);
  const mark = r.status === 'ok' ? 'OK' : r.status === 'incomplete' ? 'INCOMPLETE' : r.status === 'no-violation-found' ? 'NO VIOLATION FOUND (simulation, not a proof)' : r.status === 'error' ? 'ERROR' : 'VIOLATION';
  lines.push(`${mark}: ${headline(r)}`);
  lines.push(`  ${statsLine(r.stats)}`);
  if (r.status === 'violation') {
    const v = r.violation;
    if (v.doc) lines.push(`  Statement: ${v.doc}`);
    if (v.kind !== 'invariant' && v.kind !== 'deadlock') lines.push(`  ${v.message}`);
    lines.push('');
    lines.push(`Trace (${v.trace.length} state${v.trace.length === 1 ? '' : 's'}, shortest):`);
    lines.push(...plainTrace(info.schema, v.trace, full));
    const note = loopNote(v.trace, v.loop);
    if (note) lines.push(`  ${note}`);
  } else if (r.status === 'error') {
    lines.push(`  ${r.error.message}`);
    if (r.error.action) lines.push(`  action: ${r.error.action}${r.error.param !== undefined ? `, parameter: ${show(r.error.param)}` : ''}`);
    if (r.error.trace.length) {
      lines.push('', `State where it happened, reached by (${r.error.trace.length} states):`);
      lines.push(...plainTrace(info.schema, r.error.trace, full));
    }
  }
  const out = plainLines(lines);
  if (r.status !== 'ok') out.push('', 'Reproduce:', ...wrapCommand(toAscii(info.reproduce)));
  return out.join('\n') + '\n';
}
