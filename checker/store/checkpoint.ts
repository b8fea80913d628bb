// The checkpoint of an exhaustive breadth-first search (--checkpoint DIR, --resume DIR):
// everything the search needs to go on as if it had not stopped, in one file,
// DIR/search.ckpt, written next to it and renamed over it, so that a crash while writing
// leaves the previous checkpoint whole.
//
// Layout (little-endian, as the machine; every part 4-byte aligned):
//   magic    8 bytes  "MIGCKPT\0"
//   version  u32      FORMAT
//   hlen     u32      bytes of the header
//   header   hlen     JSON (CheckpointHeader), padded with spaces to a multiple of 4
//   sections          for each of SECTIONS in order: u32 length in words, then the words
//   sha256   32 bytes of everything before it
// The seen-set is kept as its entries ([hi, lo] pairs), not as a table, so a checkpoint
// resumes into a table of any size or shard count: resuming at another --workers gives the
// same search.

import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

const MAGIC = Buffer.from('MIGCKPT\0', 'latin1');
/** Bumped whenever the layout or the header's meaning changes. */
export const FORMAT = 1;
export const FILE = 'search.ckpt';

/** What a checkpoint was taken of: a resumed run must match it field by field. */
export interface Identity {
  spec: string;
  /** sha256 of the spec file (the module it was loaded from), '' when not known. */
  specHash: string;
  file: string;
  constants: Record<string, unknown>;
  /** The options that change the result. */
  options: Record<string, unknown>;
  /** Shape of the packed states: words a state, choices, exact one-word keys. */
  shape: { words: number; choices: number; compact: boolean };
}

/** Counters of the search at the checkpoint. */
export interface Counters {
  generated: number;
  initGenerated: number;
  depth: number;
  firstId: number;
  /** States of the current level already expanded. */
  pos: number;
  curCount: number;
  nxtCount: number;
  /** Seconds of search before the checkpoint. */
  seconds: number;
}

export interface CheckpointHeader {
  identity: Identity;
  counters: Counters;
  written: string;
}

/** The stores of a search, as a checkpoint keeps them. */
export interface Snapshot {
  counters: Counters;
  /** Seen-set entries, [hi, lo] pairs. */
  seen: Uint32Array;
  parents: Int32Array;
  choices: Uint32Array;
  /** The current level's packed states, and the next level's found so far. */
  cur: Uint32Array;
  nxt: Uint32Array;
}

const SECTIONS = ['seen', 'parents', 'choices', 'cur', 'nxt'] as const;

/** Writes the checkpoint atomically (temporary file, fsync, rename) into `dir`. */
export function writeCheckpoint(dir: string, identity: Identity, snap: Snapshot): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  const header: CheckpointHeader = { identity, counters: snap.counters, written: new Date().toISOString() };
  let json = JSON.stringify(header);
  json += ' '.repeat((4 - (Buffer.byteLength(json) % 4)) % 4);
  const head = Buffer.alloc(16);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(FORMAT, 8);
  head.writeUInt32LE(Buffer.byteLength(json), 12);
  const parts: Buffer[] = [head, Buffer.from(json, 'utf8')];
  for (const name of SECTIONS) {
    const a = snap[name];
    const len = Buffer.alloc(4);
    len.writeUInt32LE(a.length, 0);
    parts.push(len, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  const hash = createHash('sha256');
  const fd = openSync(tmp, 'w');
  try {
    for (const p of parts) {
      hash.update(p);
      writeAll(fd, p);
    }
    writeAll(fd, hash.digest());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

function writeAll(fd: number, b: Buffer): void {
  for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
}

/** Makes sure checkpoints can be written in `dir` (created if missing), before the search starts; `what` names it in the message (`--checkpoint ck`). */
export function checkWritable(what: string, dir: string): void {
  const probe = join(dir, `.${FILE}.${process.pid}.probe`);
  try {
    mkdirSync(dir, { recursive: true });
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const why = { ENOTDIR: 'part of the path is a file', EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left on the device', EEXIST: 'a file of that name is in the way' }[code];
    throw new ConfigError(`${what}: cannot write checkpoints there: ${why ? `${why} (${code})` : (e as Error).message}`);
  }
}

/** Reads and verifies the checkpoint in `dir`; refuses (ConfigError naming what is wrong) a damaged one. */
export function readCheckpoint(dir: string): { header: CheckpointHeader; snap: Snapshot; path: string } {
  const path = join(dir, FILE);
  const bad = (what: string) => new ConfigError(`--resume ${dir}: ${path} ${what}; it cannot be resumed`);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new ConfigError(`--resume ${dir}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no checkpoint there' : (e as Error).message}`);
  }
  if (buf.length < 16 + 32 || !buf.subarray(0, 8).equals(MAGIC)) throw bad('is not a migcheck checkpoint (bad magic)');
  const version = buf.readUInt32LE(8);
  if (version !== FORMAT) throw bad(`has format version ${version}; this migcheck reads version ${FORMAT}`);
  const body = buf.subarray(0, buf.length - 32);
  if (!createHash('sha256').update(body).digest().equals(buf.subarray(buf.length - 32))) throw bad('is damaged or truncated (checksum mismatch)');
  const hlen = buf.readUInt32LE(12);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.subarray(16, 16 + hlen).toString('utf8')) as CheckpointHeader;
  } catch {
    throw bad('has an unreadable header');
  }
  // Copies, so that every section is aligned for its typed array.
  let at = 16 + hlen;
  const take = (): Uint32Array => {
    if (at + 4 > body.length) throw bad('is truncated');
    const n = body.readUInt32LE(at);
    at += 4;
    if (at + n * 4 > body.length) throw bad('is truncated');
    const out = new Uint32Array(n);
    Buffer.from(out.buffer).set(body.subarray(at, at + n * 4));
    at += n * 4;
    return out;
  };
  const seen = take();
  const parents = new Int32Array(take().buffer);
  const choices = take();
  const cur = take();
  const nxt = take();
  if (at !== body.length) throw bad('has trailing data');
  const c = header.counters;
  const W = header.identity?.shape?.words;
  if (!c || !W || seen.length !== 2 * parents.length || parents.length !== choices.length || cur.length !== c.curCount * W || nxt.length !== c.nxtCount * W) throw bad('is inconsistent (section sizes do not match its header)');
  return { header, snap: { counters: c, seen, parents, choices, cur, nxt }, path };
}

/** What differs between the run a checkpoint was taken of and this one ('' when nothing). */
export function difference(was: Identity, now: Identity): string {
  const out: string[] = [];
  const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));
  const cmp = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${what}: checkpoint ${show(a)}, now ${show(b)}`);
  };
  cmp('spec', was.spec, now.spec);
  if (was.specHash && now.specHash && was.specHash !== now.specHash) out.push(`spec file ${now.file} has changed since the checkpoint (content hash differs)`);
  for (const k of new Set([...Object.keys(was.constants), ...Object.keys(now.constants)])) cmp(`constant ${k}`, was.constants[k], now.constants[k]);
  for (const k of new Set([...Object.keys(was.options), ...Object.keys(now.options)])) cmp(`option ${k}`, was.options[k], now.options[k]);
  // The layout follows from the rest; it is named only when nothing else explains it.
  if (out.length === 0) cmp('state layout', was.shape, now.shape);
  return out.join('; ');
}

/** sha256 of a file, '' when it cannot be read. */
export function fileHash(path: string | undefined): string {
  if (!path) return '';
  try {
    return createHash('sha256').update(readFileSync(path.startsWith('file:') ? new URL(path) : path)).digest('hex');
  } catch {
    return '';
  }
}
