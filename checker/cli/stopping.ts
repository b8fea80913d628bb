// Stopping a command well: durations on the command line (--time-limit,
// --checkpoint-every) and the signals that stop a search (SIGINT, SIGTERM). The first
// signal aborts the search, which stops at its next slice and reports what it has (exit
// 130 or 143, exit.ts); a second one exits at once with the same code.

import { UsageError } from '../errors.js';
import { EXIT } from './exit.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses '90s', '5m', '1h30m', '250ms' (a bare number is seconds) into milliseconds. */
export function parseDuration(option: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  const bad = () => new UsageError(`${option} expects a duration such as 90s, 5m or 1h30m, got '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`);
  if (/^\d+(\.\d+)?$/.test(t)) {
    const ms = Number(t) * 1000;
    if (!(ms > 0)) throw bad();
    return ms;
  }
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let ms = 0;
  let end = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    ms += Number(m[1]) * UNITS[m[2]];
    end = re.lastIndex;
  }
  if (end === 0 || end !== t.length || !(ms > 0) || !Number.isFinite(ms)) throw bad();
  return ms;
}

/**
 * A second signal within this long of the first is the same request delivered twice, not a
 * second Ctrl-C: GNU timeout(1) signals its child and then its whole process group, and a
 * terminal's Ctrl-C reaches every process of the foreground group.
 */
const REPEAT_MS = 1000;

/**
 * Runs `fn` with SIGINT and SIGTERM turned into an abort of the signal it gets (reason
 * 'SIGINT' or 'SIGTERM'); a second signal (after REPEAT_MS) exits the process at once. The
 * handlers are removed when `fn` settles.
 */
export async function withStopSignals<T>(note: (s: string) => void, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctl = new AbortController();
  let first = 0;
  const on = (sig: 'SIGINT' | 'SIGTERM') => () => {
    const code = sig === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM;
    if (ctl.signal.aborted) {
      if (performance.now() - first < REPEAT_MS) return;
      note(`\nmigcheck: ${sig} again: exiting at once\n`);
      process.exit(code);
    }
    note(`\nmigcheck: ${sig}: stopping the search (send it again to exit at once)\n`);
    first = performance.now();
    ctl.abort(sig);
  };
  const int = on('SIGINT');
  const term = on('SIGTERM');
  process.on('SIGINT', int);
  process.on('SIGTERM', term);
  try {
    return await fn(ctl.signal);
  } finally {
    process.off('SIGINT', int);
    process.off('SIGTERM', term);
  }
}
