// Where a command's report goes: standard output or an --out file, and the directories
// commands write files into (matrix --traces). Paths are checked before any work starts, so
// a typo does not waste a long search; a write that fails (EPIPE on a closed pipe, ENOSPC on
// a full disk) becomes an OutputError: one line, exit 74 (EX_IOERR, docs/cli.md).

import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../errors.js';

/** Writing the report failed (stdout closed or full, --out unwritable at write time): exit 74. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Kernel file systems: files there are not reports, and reading them back can block forever. */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

function underPseudoFs(abs: string): string | undefined {
  let real = abs;
  try {
    real = realpathSync(existsSync(abs) ? abs : dirname(abs));
  } catch {
    /* the parent's absence is reported by the caller */
  }
  return PSEUDO_FS.find((p) => real === p || real.startsWith(p + sep) || abs === p || abs.startsWith(p + sep));
}

/** A path as shown to the user: relative to cwd when it lies below it. */
export function shownPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Checks that a report file can be written (before the search), and returns its absolute path. */
export function checkOutFile(option: string, file: string, cwd: string): string {
  const abs = resolve(cwd, file);
  const bad = (why: string) => new ConfigError(`${option} ${file}: ${why}`);
  if (file === '') throw bad('empty path');
  // /dev/stdout, /dev/null and the like are fine; /dev/full is the tests' full disk.
  const pseudo = underPseudoFs(abs);
  if (pseudo && pseudo !== '/dev') throw bad(`is under ${pseudo}, a kernel file system, not a place for a report`);
  if (existsSync(abs)) {
    const st = statSync(abs);
    if (st.isDirectory()) throw bad('is a directory (give a file name)');
    try {
      accessSync(abs, constants.W_OK);
    } catch {
      throw bad('is not writable');
    }
    return abs;
  }
  const dir = dirname(abs);
  if (!existsSync(dir)) throw bad(`directory ${shownPath(dir, cwd)} does not exist`);
  if (!statSync(dir).isDirectory()) throw bad(`${shownPath(dir, cwd)} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw bad(`directory ${shownPath(dir, cwd)} is not writable`);
  }
  return abs;
}

/** Checks (and creates) a directory commands write files into, before the work starts. */
export function prepareOutDir(option: string, dir: string, cwd: string): { abs: string; shown: string } {
  const abs = resolve(cwd, dir);
  const bad = (why: string) => new ConfigError(`${option} ${dir}: ${why}`);
  if (dir === '') throw bad('empty path');
  const pseudo = underPseudoFs(abs);
  if (pseudo) throw bad(`is under ${pseudo}, a kernel file system, not a place for trace files`);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw bad('exists and is not a directory');
  try {
    mkdirSync(abs, { recursive: true });
    accessSync(abs, constants.W_OK);
  } catch (e) {
    throw bad(`cannot create or write the directory: ${errnoText(e)}`);
  }
  return { abs, shown: shownPath(abs, cwd) };
}

/** `ENOSPC (no space left on device)` rather than Node's whole message with the syscall and path. */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Readonly<Record<string, string>> = {
    ENOSPC: 'no space left on device', EPIPE: 'the reader closed the pipe', EACCES: 'permission denied',
    EISDIR: 'is a directory', ENOENT: 'no such file or directory', EROFS: 'read-only file system', EDQUOT: 'disk quota exceeded',
    EIO: 'input/output error', EBADF: 'not open for writing', ENOTDIR: 'a parent is not a directory', EEXIST: 'already exists',
  };
  if (err?.code && words[err.code]) return `${err.code} (${words[err.code]})`;
  if (err?.code) return err.code;
  return String(err?.message ?? e).split('\n')[0];
}

/** Writes a report file; failure is an OutputError. */
export function writeReportFile(option: string, file: string, abs: string, data: string, write: (p: string, d: string) => void = writeFileSync): void {
  try {
    write(abs, data);
  } catch (e) {
    throw new OutputError(`${option} ${file}: cannot write the report: ${errnoText(e)}`);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to a file descriptor synchronously, all of it, so that a failure is known where it
 * happens (process.stdout reports it later as an 'error' event, which would end the process
 * with a stack trace). EAGAIN on a non-blocking pipe is waited out.
 */
export function writeFd(fd: number, s: string, what = 'standard output'): void {
  const buf = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      throw new OutputError(`cannot write to ${what}: ${errnoText(e)}`);
    }
  }
}
