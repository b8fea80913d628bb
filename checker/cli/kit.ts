// The command-line kit: what every command (check, list, and the package's own commands such
// as fsm and matrix) needs besides its own work, in one place — parsing counts, sizes, lists
// and worker numbers; quoting a command line to reproduce a run; cutting long values in
// messages; the live progress line; and (re-exported) the exit-code table and output writing.

import { availableParallelism } from 'node:os';
import { existsSync, realpathSync } from 'node:fs';
import { relative, resolve, sep, isAbsolute } from 'node:path';
import { UsageError, cut } from '../errors.js';
import type { Io } from './main.js';
import { packageRoot } from './root.js';

export { EXIT, exitCodeFor } from './exit.js';
export { cut, MESSAGE_VALUE_MAX } from '../errors.js';
export { parseDuration } from './stopping.js';
export { OutputError, checkOutFile, prepareOutDir, writeReportFile, shownPath, errnoText } from './output.js';

/** A positive whole number (underscores allowed as separators: 1_000_000). */
export function parseCount(option: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.replace(/_/g, '');
  if (!/^\d+$/.test(t) || Number(t) < 1 || !Number.isSafeInteger(Number(t))) throw new UsageError(`${option} expects a positive whole number, got '${cut(v)}'`);
  return Number(t);
}

/** A size such as 512M, 4G, 1.5GiB. */
export function parseSize(option: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`${option} expects a size such as 512M or 4G, got '${cut(v)}'`);
  const unit = (m[2] ?? 'B').toUpperCase()[0];
  const mult = { B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[unit] ?? 1;
  return Math.floor(Number(m[1]) * mult);
}

/** A comma-separated list of at least one item. */
export function parseList(option: string, v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(',').map((x) => x.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option} expects a comma-separated list, got '${cut(v)}'`);
  return items;
}

/**
 * --workers: more threads than cores only slow a search down (they take turns on the same
 * cores and each pays its start-up), so a larger number is capped at the core count with a warning.
 */
export function parseWorkers(v: string | undefined, warn: (line: string) => void, cores = availableParallelism()): number | undefined {
  const n = parseCount('--workers', v);
  if (n === undefined || n <= cores) return n;
  warn(`migcheck: --workers ${n} is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine; using ${cores}\n`);
  return cores;
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command line, quoted word by word. */
export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * The words that start migcheck where the user is (for `Reproduce:` lines): `npx migcheck`
 * when the working directory is inside this package or a project that has it installed, else
 * `node` with the path of this package's bin script (e.g. a global install or a checkout
 * used from elsewhere).
 */
export function invocation(cwd: string): string[] {
  const inside = (dir: string, root: string) => {
    const rel = relative(root, dir);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const root = real(packageRoot);
  const here = real(cwd);
  if (inside(here, root)) return ['npx', 'migcheck'];
  // A project with this package in its node_modules (npx finds the bin there).
  for (let d = here; ; d = resolve(d, '..')) {
    const p = resolve(d, 'node_modules', 'migcheck');
    if (existsSync(p) && real(p) === root) return ['npx', 'migcheck'];
    if (resolve(d, '..') === d) break;
  }
  const bin = resolve(root, 'bin', 'migcheck.js');
  const rel = relative(here, bin);
  return ['node', rel.length < bin.length && !rel.startsWith(`..${sep}..${sep}..`) ? rel : bin];
}

/**
 * The live progress line on a terminal's stderr: `prefix: text`, cut to the terminal's width
 * so it never wraps, redrawn in place (\r, then erase to the end of the line) and erased by
 * done(). On a non-terminal it prints nothing. `text` may be given as parts (most important
 * first): on a narrow terminal the last parts are left out before the prefix is cut below a
 * third of the line, so that the spec and the main figures both stay visible.
 */
export interface ProgressDisplay {
  show(text: string | readonly string[]): void;
  done(): void;
}

export function progressDisplay(io: Pick<Io, 'err' | 'errIsTTY' | 'errColumns'>, prefix: string): ProgressDisplay {
  if (!io.errIsTTY) return { show: () => undefined, done: () => undefined };
  let shown = false;
  return {
    show(text) {
      // Three columns short of the width: a line that fills the last column wraps on some
      // terminals, and a Ctrl-C echoes '^C' after it (the stop message then erases the line).
      const width = Math.max(20, (io.errColumns || 80) - 3);
      const parts = typeof text === 'string' ? [text] : [...text];
      const len = (s: string) => [...s].length;
      const keep = Math.min(len(prefix), Math.max(12, Math.floor(width / 3)));
      while (parts.length > 1 && keep + 2 + len(parts.join(', ')) > width) parts.pop();
      const body = parts.join(', ');
      const room = Math.max(12, width - len(body) - 2);
      const line = fitLine(`${fitLine(prefix, room)}: ${body}`, width);
      io.err(`\r\x1b[K${line}`);
      shown = true;
    },
    done() {
      if (shown) io.err('\r\x1b[K');
      shown = false;
    },
  };
}

/** Cuts a line to `width` characters (code points), marking the cut with an ellipsis. */
export function fitLine(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}
