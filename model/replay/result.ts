// What every log parser returns: the events it read, what it saw but could not turn into
// events (counted by name, so nothing is dropped silently), and its problems, each naming the
// file and line. Results are data; a parser never throws on bad input.

import type { ReplayEvent } from './events.js';

/** A line the parser could not read: `trace.log:12: vfio_save_block: 'data_size' is not a number`. */
export interface ParseProblem {
  readonly line: number;
  readonly message: string;
}

/** Something true of the log that a reader should know, but that does not stop parsing. */
export interface ParseNote {
  readonly line: number;
  readonly message: string;
}

export interface ParsedLog {
  readonly events: readonly ReplayEvent[];
  /** Events (or syscalls) of the log's own kind that the parser does not know, by name, with how often each occurred. */
  readonly unknown: Readonly<Record<string, number>>;
  /** Known entries that are not uAPI calls (QEMU's vfio_vmstate_change, strace's other syscalls), by name. */
  readonly informational: Readonly<Record<string, number>>;
  /** Lines that are not entries of this format at all (other programs' output, blank lines). */
  readonly otherLines: number;
  readonly notes: readonly ParseNote[];
}

export type ParseResult =
  | ({ readonly ok: true } & ParsedLog)
  | { readonly ok: false; readonly problems: readonly ParseProblem[] };

/** Formats a problem as `FILE:LINE: message`. */
export const showProblem = (file: string, p: ParseProblem): string => `${file}:${p.line}: ${p.message}`;

/** A collector the parsers share: counts, notes and problems, then one result. */
export class LogCollector {
  readonly events: ReplayEvent[] = [];
  readonly unknown: Record<string, number> = {};
  readonly informational: Record<string, number> = {};
  readonly notes: ParseNote[] = [];
  readonly problems: ParseProblem[] = [];
  otherLines = 0;

  countUnknown(name: string): void {
    this.unknown[name] = (this.unknown[name] ?? 0) + 1;
  }
  countInfo(name: string): void {
    this.informational[name] = (this.informational[name] ?? 0) + 1;
  }
  problem(line: number, message: string): void {
    this.problems.push({ line, message });
  }
  note(line: number, message: string): void {
    this.notes.push({ line, message });
  }
  result(): ParseResult {
    if (this.problems.length) return { ok: false, problems: this.problems };
    return { ok: true, events: this.events, unknown: this.unknown, informational: this.informational, otherLines: this.otherLines, notes: this.notes };
  }
}

/** Splits text into lines, keeping 1-based numbers; a trailing newline makes no extra line. */
export function numberedLines(text: string): { line: number; text: string }[] {
  const parts = text.split(/\r?\n/);
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ line: i + 1, text: t }));
}
