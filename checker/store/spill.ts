// Disk storage for searches larger than memory (docs/decisions/disk-spill.md).
//
//  - SpillDir: the run's temporary directory (default under os.tmpdir(), named migcheck-*),
//    removed when the run ends and, as a backstop, when the process exits.
//  - SortedKeyFile: the disk half of the seen-set, as TLC's DiskFPSet keeps it: one file of
//    keys in ascending order, and in memory only the first key of every page (an index of
//    page boundaries). The in-memory table is merged into it when it is full; membership of
//    a key that is not in memory is answered from the file, one key at a time (`has`) or,
//    what the search does once per level, for a sorted batch in one forward pass
//    (`lookupSorted`).
//
// Keys are one or two 32-bit words, in the order of the tables in fpset.ts: a two-word key
// (hi, lo) is stored as the words [hi, lo], i.e. the little-endian 64-bit integer
// hi + lo * 2^32, and sorted as such (by lo, then hi); a one-word key is a WordSet slot
// (word + 1). Any total order serves, as long as the file, the sort and the lookups agree.
//
// A write that fails for lack of space (ENOSPC, EDQUOT) becomes DiskFull, naming the file:
// the search then stops as incomplete (reason 'disk-full') instead of crashing.

import { closeSync, mkdtempSync, openSync, readSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A write to a spill file failed for lack of space. */
export class DiskFull extends Error {
  override name = 'DiskFull';
  constructor(readonly path: string, readonly code: string) {
    super(`no space left on the device (${code}) writing ${path}`);
  }
}

/** The writes of spill files go through here, so that a test can make the disk full. */
export const spillIO = { writeSync: writeSync as (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => number };

/** Writes all of `bytes` at `position`; a full disk becomes DiskFull. */
export function writeAll(fd: number, bytes: Uint8Array, position: number, path: string): void {
  let done = 0;
  try {
    while (done < bytes.length) done += spillIO.writeSync(fd, bytes, done, bytes.length - done, position + done);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new DiskFull(path, code);
    throw e;
  }
}

/** Reads `length` bytes at `position` into `into` (from its start); returns the bytes read. */
function readAll(fd: number, into: Uint8Array, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Directories of live runs, removed at process exit if a run did not remove its own. */
const live = new Set<string>();
let exitHook = false;

function removeLive(): void {
  for (const p of live) rmSync(p, { recursive: true, force: true });
  live.clear();
}

/**
 * A signal that would end the process (nobody else listens to it): the directories go, then
 * the signal is raised again with the default action, so the process ends as it would have.
 * When someone else listens (the CLI stops the search and reports), the run ends normally
 * and removes its own directory.
 */
function onSignal(sig: NodeJS.Signals): void {
  if (process.listenerCount(sig) > 1) return;
  removeLive();
  process.removeAllListeners(sig);
  process.kill(process.pid, sig);
}

/** The temporary directory of one run. */
export class SpillDir {
  readonly path: string;
  private removed = false;

  /** Creates `migcheck-XXXXXX` under `parent` (default: the system's temporary directory). */
  constructor(parent = tmpdir()) {
    this.path = mkdtempSync(join(parent, 'migcheck-'));
    live.add(this.path);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', removeLive);
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => onSignal(sig));
    }
  }

  file(name: string): string {
    return join(this.path, name);
  }

  /** Removes the directory and everything in it (files still open are closed by their owners first). */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    live.delete(this.path);
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Keys a page of the index covers: 4 KiB of two-word keys. */
const PAGE = 512;
/** Pages read at once by a forward pass or a lookup (128 KiB of two-word keys). */
const BLOCK_PAGES = 32;
/** Keys a merge reads and writes at once (256 KiB of two-word keys each way). */
const OUT_KEYS = 1 << 15;

/** Compares key i of `a` with key j of `b` (w words a key, two-word keys by their second word first). */
function cmp(w: 1 | 2, a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  if (w === 1) return a[i] - b[j];
  const x = a[2 * i + 1] - b[2 * j + 1];
  return x !== 0 ? x : a[2 * i] - b[2 * j];
}

/** Sorts `n` keys of `w` words in place, in the order the file uses. */
export function sortKeys(keys: Uint32Array, n: number, w: 1 | 2): void {
  if (w === 1) keys.subarray(0, n).sort();
  else new BigUint64Array(keys.buffer, keys.byteOffset, n).sort();
}

/**
 * Most bytes of keys sorted at once in shared memory. V8 sorts a typed array over a
 * SharedArrayBuffer in a private copy (another thread could write it meanwhile), so sorting
 * a whole shard at once doubled it: a 1.35 GB shard of the 3 GiB planted-bug run at 10^9
 * states made the peak 1.6 GiB larger than the budget. In blocks, the copy is one block.
 */
export const SHARED_SORT_BYTES = 128 << 20;

/**
 * Sorts the first `n` keys of `keys` for a merge (SortedKeyFile.merge): in place as one run,
 * or, in shared memory, block by block as several ascending runs.
 */
export function sortedRuns(keys: Uint32Array, n: number, w: 1 | 2, blockBytes = SHARED_SORT_BYTES): { keys: Uint32Array; n: number }[] {
  if (!(keys.buffer instanceof SharedArrayBuffer) || n * w * 4 <= blockBytes) {
    sortKeys(keys, n, w);
    return [{ keys, n }];
  }
  const per = Math.max(1, Math.floor(blockBytes / (w * 4)));
  const runs: { keys: Uint32Array; n: number }[] = [];
  for (let at = 0; at < n; at += per) {
    const m = Math.min(per, n - at);
    const block = keys.subarray(at * w, (at + m) * w);
    sortKeys(block, m, w);
    runs.push({ keys: block, n: m });
  }
  return runs;
}

/** The sorted keys on disk, with an in-memory index of page boundaries. */
export class SortedKeyFile {
  private fd = -1;
  private n = 0;
  /** First key of each page (w words each). */
  private index = new Uint32Array(0);
  private pages = 0;
  private generation = 0;
  /** A block of pages read by the last forward pass or lookup: [first page, pages]. */
  private block: Uint32Array;
  private blockFirst = -1;
  private blockPages = 0;

  constructor(private readonly dir: SpillDir, readonly w: 1 | 2, private readonly name = 'fingerprints') {
    this.block = new Uint32Array(BLOCK_PAGES * PAGE * w);
  }

  /** Bytes a new file holds in memory (its read buffer). */
  static bytesFor(w: 1 | 2): number {
    return BLOCK_PAGES * PAGE * w * 4;
  }

  /** Keys in the file. */
  get size(): number {
    return this.n;
  }

  /** Bytes of the index held in memory. */
  get bytes(): number {
    return this.index.byteLength + this.block.byteLength;
  }

  get path(): string {
    return this.dir.file(`${this.name}.${this.generation}`);
  }

  /** Whether the key (w words at `k[at * w]`) is in the file: one page read at most. */
  has(k: Uint32Array, at = 0): boolean {
    if (this.n === 0) return false;
    const p = this.pageOf(k, at);
    if (p < 0) return false;
    return this.findInPage(p, k, at);
  }

  /**
   * Marks in `found` (one byte per key) the keys of the ascending array `keys` (n keys)
   * that are in the file, in one forward pass that reads only the blocks of pages that hold
   * a queried key. Returns how many were found.
   */
  lookupSorted(keys: Uint32Array, n: number, found: Uint8Array): number {
    if (this.n === 0) return 0;
    const w = this.w;
    let hits = 0;
    let p = 0;
    for (let q = 0; q < n; q++) {
      // The last page whose first key is <= the query (pages only move forward).
      if (cmp(w, keys, q, this.index, 0) < 0) continue;
      while (p + 1 < this.pages && cmp(w, this.index, p + 1, keys, q) <= 0) p++;
      if (this.findInPage(p, keys, q)) {
        found[q] = 1;
        hits++;
      }
    }
    return hits;
  }

  /**
   * Merges ascending runs of keys (each an array of n keys) with the file into a new file,
   * keeping each key once. Returns the number of keys in the new file.
   */
  merge(runs: readonly { keys: Uint32Array; n: number }[]): number {
    const w = this.w;
    const oldPath = this.path;
    const oldFd = this.fd;
    const oldN = this.n;
    this.generation++;
    const outPath = this.path;
    const out = openSync(outPath, 'w');
    const buf = new Uint32Array(OUT_KEYS * w);
    const bytes = new Uint8Array(buf.buffer);
    let outN = 0;
    let filled = 0;
    let written = 0;
    const index: number[] = [];
    const last = new Uint32Array(w);
    let any = false;
    const emit = (src: Uint32Array, i: number): void => {
      if (any && cmp(w, src, i, last, 0) === 0) return;
      any = true;
      for (let k = 0; k < w; k++) last[k] = buf[filled * w + k] = src[i * w + k];
      if (outN % PAGE === 0) for (let k = 0; k < w; k++) index.push(src[i * w + k]);
      filled++;
      outN++;
      if (filled === OUT_KEYS) {
        writeAll(out, bytes, written, outPath);
        written += bytes.length;
        filled = 0;
      }
    };
    try {
      // The old file, read forward block by block, is one more run.
      const oldBlock = new Uint32Array(OUT_KEYS * w);
      let oldAt = 0;
      let oldHave = 0;
      let oldRead = 0;
      const refill = (): void => {
        const want = Math.min(OUT_KEYS, oldN - oldRead);
        const got = want > 0 ? readAll(oldFd, new Uint8Array(oldBlock.buffer), want * w * 4, oldRead * w * 4) : 0;
        oldHave = got / (w * 4);
        oldRead += oldHave;
        oldAt = 0;
      };
      refill();
      const pos = runs.map(() => 0);
      for (;;) {
        // The smallest head among the runs and the old file (few runs, the shards in a few blocks each: a linear scan).
        let best = -1;
        let bestArr: Uint32Array | undefined;
        let bestAt = 0;
        if (oldAt < oldHave) {
          bestArr = oldBlock;
          bestAt = oldAt;
        }
        for (let r = 0; r < runs.length; r++) {
          if (pos[r] >= runs[r].n) continue;
          if (bestArr === undefined || cmp(w, runs[r].keys, pos[r], bestArr, bestAt) < 0) {
            best = r;
            bestArr = runs[r].keys;
            bestAt = pos[r];
          }
        }
        if (bestArr === undefined) break;
        emit(bestArr, bestAt);
        if (best < 0) {
          oldAt++;
          if (oldAt === oldHave) refill();
        } else pos[best]++;
      }
      if (filled > 0) writeAll(out, bytes.subarray(0, filled * w * 4), written, outPath);
    } catch (e) {
      closeSync(out);
      unlinkSync(outPath);
      this.generation--;
      throw e;
    }
    if (oldFd >= 0) {
      closeSync(oldFd);
      unlinkSync(oldPath);
    }
    closeSync(out);
    this.fd = openSync(outPath, 'r');
    this.n = outN;
    this.index = Uint32Array.from(index);
    this.pages = Math.ceil(outN / PAGE);
    this.blockFirst = -1;
    this.blockPages = 0;
    return outN;
  }

  /** Every key, ascending (what a checkpoint keeps). */
  keys(): Uint32Array {
    const out = new Uint32Array(this.n * this.w);
    if (this.n > 0) readAll(this.fd, new Uint8Array(out.buffer), out.byteLength, 0);
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** The page that would hold the key: the last whose first key is <= it (-1: before the first). */
  private pageOf(k: Uint32Array, at: number): number {
    let lo = 0;
    let hi = this.pages - 1;
    if (cmp(this.w, k, at, this.index, 0) < 0) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cmp(this.w, this.index, mid, k, at) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Binary search of page p (read with its block if not loaded) for the key. */
  private findInPage(p: number, k: Uint32Array, at: number): boolean {
    if (p < this.blockFirst || p >= this.blockFirst + this.blockPages) this.loadBlock(p);
    const w = this.w;
    const first = (p - this.blockFirst) * PAGE;
    const count = Math.min(PAGE, this.n - p * PAGE);
    let lo = first;
    let hi = first + count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = cmp(w, this.block, mid, k, at);
      if (c === 0) return true;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  private loadBlock(p: number): void {
    const pages = Math.min(BLOCK_PAGES, this.pages - p);
    const keys = Math.min(pages * PAGE, this.n - p * PAGE);
    const bytesPerKey = this.w * 4;
    readAll(this.fd, new Uint8Array(this.block.buffer), keys * bytesPerKey, p * PAGE * bytesPerKey);
    this.blockFirst = p;
    this.blockPages = pages;
  }
}
