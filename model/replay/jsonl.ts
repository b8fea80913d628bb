// migcheck's own log format: JSON lines, one ReplayEvent per line (the schema is the type in
// ./events.ts; docs/replay.md shows it). Blank lines and lines starting with `#` are comments.
// Every other line must be one event; an unknown key or value is an error naming the line and
// the key, with a did-you-mean.

import { validateEvent, type ReplayEvent } from './events.js';
import { LogCollector, numberedLines, type ParseResult } from './result.js';

export function parseJsonl(text: string): ParseResult {
  const out = new LogCollector();
  for (const { line, text: raw } of numberedLines(text)) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) {
      out.otherLines++;
      continue;
    }
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      out.problem(line, `not JSON: ${(e as Error).message}`);
      continue;
    }
    const r = validateEvent(v);
    if (!r.ok) out.problem(line, r.message);
    else out.events.push({ ...r.event, line });
  }
  return out.result();
}

/** Events as JSON lines; `line` (a position in some other log) is left out. */
export function toJsonl(events: readonly ReplayEvent[]): string {
  return events.map(({ line: _line, ...e }) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '');
}
