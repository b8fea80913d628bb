// Parallel breadth-first search with worker threads, giving exactly the counts, the state
// numbering and the counterexample of the single-threaded search (search.ts).
//
// The search stays level-synchronous. The calling thread coordinates; each large level goes
// through three phases, each run by all workers at once:
//
//  A. expand: worker w takes the w-th contiguous slice of the frontier and generates the
//     successors of its states in the sequential order (parent, then choice), exactly as
//     the single-threaded search does. Successors already in the seen-set (earlier levels)
//     are dropped; the others become candidates, in order. The seen-set is only read.
//  B. insert: the seen-set is sharded by fingerprint and each worker owns some shards. An
//     owner walks the candidate lists of all workers in worker order (so in the sequential
//     order of the level) and inserts those of its shards; the first occurrence of each new
//     state is marked as the winner. No two threads write the same shard, so no atomics.
//  C. place: the winners of list w get consecutive numbers after those of lists < w, which
//     is the discovery order of the sequential search; each worker writes its winners'
//     parent pointers and packed states into the shared parent store and next frontier.
//
// Anything that would stop the sequential search inside a level (a violation, an error,
// a deadlock, the max-states or memory bound) is detected in phase A or before phase B,
// while the seen-set is still as the level found it; the coordinator then drops the
// candidates and re-runs that level itself with the sequential code, so the verdict, the
// counters at the stop and the trace are the sequential ones. Small levels (and a level at
// the depth bound) are expanded by the coordinator directly.
//
// check() stays synchronous: the coordinator blocks in Atomics.wait while the workers run
// and exchanges messages with receiveMessageOnPort.

import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Instance } from '../spec.js';
import type { CheckResult } from '../result.js';
import { ConfigError } from '../errors.js';
import { Search, type CheckOptions, type Stores } from './search.js';
import { ShardedSet } from '../store/sharded.js';
import { compileLayout } from '../store/layout.js';
import { ParentStore, StateBuffer, OutOfMemory } from '../store/parents.js';
import type { Command, Reply, WorkerInit } from './worker.js';
import { candidateBytes } from '../store/candidates.js';

/**
 * Levels smaller than `minLevel` states are expanded by the coordinator alone (coordinating
 * the workers costs more). Tests lower it so that small specs exercise the workers.
 */
export const tuning = {
  minLevel: 2048,
  /** Parents per chunk of a level (bounds the candidate lists). */
  chunk: 1 << 17,
  /** Chunks expanded by workers so far (for tests). */
  levelsInParallel: 0,
};
/** How long a worker may take to load the spec before the run gives up. */
const START_TIMEOUT_MS = 120_000;
const DEBUG = process.env.MIGCHECK_DEBUG ? (s: string) => process.stderr.write(`[coord] ${s}\n`) : undefined;

class Pool {
  private readonly ctrl: Int32Array;
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private seq = 1;

  constructor(readonly n: number, init: Omit<WorkerInit, 'index' | 'ctrl' | 'port'>) {
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * (n + 1)));
    this.ctrl[0] = this.seq; // workers wait for the next command number after this one
    const entry = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));
    for (let i = 0; i < n; i++) {
      const { port1, port2 } = new MessageChannel();
      const data: WorkerInit = { ...init, index: i, ctrl: this.ctrl.buffer as SharedArrayBuffer, port: port2 };
      const w = new Worker(entry, { workerData: data, transferList: [port2] });
      w.unref();
      this.ports.push(port1);
      this.workers.push(w);
    }
  }

  private started = false;

  /** Waits until every worker has loaded the spec (they start loading at construction). */
  ready(): void {
    if (this.started) return;
    this.started = true;
    const replies = this.wait(START_TIMEOUT_MS);
    const bad = replies.find((r) => r.type === 'error');
    if (bad && bad.type === 'error') {
      this.close();
      throw new ConfigError(`--workers: a worker could not load the spec: ${bad.message}`);
    }
  }

  /** Sends one command to each worker and waits for all replies. */
  run(commands: Command[]): Reply[] {
    this.seq++;
    commands.forEach((c, i) => this.ports[i].postMessage(c));
    Atomics.store(this.ctrl, 0, this.seq);
    Atomics.notify(this.ctrl, 0);
    const replies = this.wait();
    const bad = replies.find((r) => r.type === 'error');
    if (bad && bad.type === 'error') throw new Error(`worker failed: ${bad.message}`);
    return replies;
  }

  private wait(timeout = Number.POSITIVE_INFINITY): Reply[] {
    const t0 = Date.now();
    const out: Reply[] = [];
    for (let i = 0; i < this.n; i++) {
      for (;;) {
        const v = Atomics.load(this.ctrl, 1 + i);
        if (v === this.seq) break;
        if (Date.now() - t0 > timeout) {
          this.close();
          throw new ConfigError(`--workers: worker ${i} did not start within ${timeout / 1000} s`);
        }
        Atomics.wait(this.ctrl, 1 + i, v, 1000);
      }
      let m = receiveMessageOnPort(this.ports[i]);
      while (!m) {
        Atomics.wait(this.ctrl, 0, this.seq, 1);
        m = receiveMessageOnPort(this.ports[i]);
      }
      out.push(m.message as Reply);
    }
    return out;
  }

  close(): void {
    this.seq++;
    this.ports.forEach((p) => p.postMessage({ type: 'stop' } satisfies Command));
    Atomics.store(this.ctrl, 0, this.seq);
    Atomics.notify(this.ctrl, 0);
    for (const p of this.ports) p.close();
    for (const w of this.workers) void w.terminate();
  }
}

export function checkParallel<S>(inst: Instance<S>, opts: CheckOptions, workers: number): CheckResult<S> {
  if (!opts.module) throw new ConfigError('workers > 1 needs the path of the spec module (CheckOptions.module), so that each worker can load the spec');
  const module = opts.module.startsWith('file:') ? opts.module : isAbsolute(opts.module) ? opts.module : resolve(opts.module);

  // The stores live in SharedArrayBuffers; the coordinator's Search owns them.
  let shardCount = 1;
  while (shardCount < workers) shardCount *= 2;
  let search!: Search<S>;
  const canGrow = (extra: number) => search.canGrow(extra);
  const layout = compileLayout<S>(inst.schema);
  const compact = !inst.view && layout.compact;
  const stores: Stores = {
    seen: new ShardedSet(shardCount, compact, 1 << 12, canGrow),
    parents: new ParentStore(Math.max(inst.choices.length, inst.init.length), true),
    cur: new StateBuffer(layout.words, 1024, true),
    nxt: new StateBuffer(layout.words, 1024, true),
  };
  search = new Search(inst, opts, stores);
  const seen = stores.seen as ShardedSet;
  search.initial();
  if (!search.running) return search.result();

  // Workers load the spec while the coordinator expands the first, small levels.
  const pool = new Pool(workers, {
    module,
    constants: { ...inst.constants },
    options: { engine: opts.engine, invariants: opts.invariants, deadlock: opts.deadlock },
    shards: seen.buffers(),
    shape: { words: search.W, choices: inst.choices.length },
  });
  const owners: number[][] = Array.from({ length: workers }, () => []);
  for (let s = 0; s < shardCount; s++) owners[s % workers].push(s);
  try {
    while (search.running) {
      const count = search.cur.count;
      if (count < tuning.minLevel || search.depth >= search.maxDepth) {
        search.expand();
        if (search.failure) break;
        search.advance();
        continue;
      }
      const tp = performance.now();
      pool.ready();
      if (DEBUG) DEBUG(`pool ready after ${(performance.now() - tp).toFixed(0)} ms`);
      // The level in chunks of parents: each chunk is expanded, inserted and placed by the
      // workers; a chunk that holds a stop of the sequential search is re-run, with the
      // rest of the level, in order, here.
      for (let start = 0; start < count; ) {
        const end = Math.min(count, start + tuning.chunk);
        const r = parallelChunk(search, seen, pool, workers, owners, start, end);
        if (r === 'sequential') {
          search.expand(start, count);
          break;
        }
        if (r === 'stopped') break;
        start = end;
      }
      if (search.failure) break;
      search.advance();
      const now = performance.now();
      if (opts.onProgress) opts.onProgress({ distinct: search.parents.size, generated: search.generated, queue: search.cur.count, depth: search.depth, seconds: (now - search.t0) / 1000 });
    }
  } catch (e) {
    if (!(e instanceof OutOfMemory)) throw e;
    search.failure = { kind: 'incomplete', reason: 'memory', parent: search.firstId, choice: 0, generated: search.generated };
  } finally {
    pool.close();
  }
  return search.result();
}

/**
 * Expands the parents [start, end) of the current level with the workers, appending the
 * new states to `search.nxt`. Returns 'sequential', with the stores untouched, when this
 * chunk must be re-run in order; 'stopped' when an invariant failed on a new state (the
 * search's failure and counters are then set as the sequential search sets them).
 */
function parallelChunk<S>(search: Search<S>, seen: ShardedSet, pool: Pool, workers: number, owners: number[][], start: number, end: number): 'done' | 'sequential' | 'stopped' {
  const count = search.cur.count;
  const free = Math.max(0, search.budget - search.storeBytes());
  const tables = seen.buffers().tables;
  const ta = performance.now();

  // Phase A.
  const expandCmds: Command[] = [];
  for (let w = 0; w < workers; w++) {
    expandCmds.push({
      type: 'expand',
      cur: search.cur.data.buffer as SharedArrayBuffer,
      count,
      firstId: search.firstId,
      depth: search.depth,
      from: start + Math.floor(((end - start) * w) / workers),
      to: start + Math.floor(((end - start) * (w + 1)) / workers),
      tables,
      candidateBytes: free / (2 * workers),
    });
  }
  const expanded = pool.run(expandCmds) as Extract<Reply, { type: 'expanded' }>[];
  if (expanded.some((r) => !r.ok)) return 'sequential';
  const lists = expanded.map((r) => r.candidates);
  const candidates = lists.reduce((a, l) => a + l.count, 0);

  // The bounds, judged before anything is inserted (candidates >= new states).
  const distinct = search.parents.size;
  if (distinct + candidates > search.maxStates) return 'sequential';
  const W = search.W;
  const held = lists.reduce((a, l) => a + candidateBytes(l), 0);
  const parentsAfter = Math.ceil((distinct + candidates) / (1 << 20) + 1) * (1 << 20) * 8;
  const need = seen.bytesFor(candidates) - seen.bytes + Math.max(0, parentsAfter - search.parents.bytes) + (search.nxt.count + candidates) * W * 4 + held;
  if (!search.canGrow(Math.max(0, need))) return 'sequential';

  // Phase B.
  const tb = performance.now();
  const inserted = pool.run(owners.map((shards) => ({ type: 'insert', shards, lists, tables }) satisfies Command)) as Extract<Reply, { type: 'inserted' }>[];
  for (const r of inserted) {
    if (!r.ok) throw new OutOfMemory('a worker could not grow its shard of the seen-set');
    if (r.grown.length > 0) {
      const t = seen.buffers().tables;
      for (const [s, b] of r.grown) t[s] = b;
      seen.adoptTables(t);
    }
  }
  const winners = lists.map((_, l) => inserted.reduce((a, r) => a + r.winners[l], 0));
  const total = winners.reduce((a, b) => a + b, 0);

  // Phase C.
  const tc = performance.now();
  const slot0 = search.nxt.count;
  search.parents.reserve(distinct + total);
  search.nxt.ensure(slot0 + total);
  const parentBuffers = search.parents.buffers();
  const placeCmds: Command[] = [];
  for (let w = 0, off = 0; w < workers; off += winners[w], w++)
    placeCmds.push({ type: 'place', parents: parentBuffers, nxt: search.nxt.data.buffer as SharedArrayBuffer, base: distinct + off, slot: slot0 + off, firstId: search.firstId });
  const placed = pool.run(placeCmds) as Extract<Reply, { type: 'placed' }>[];
  const generatedBefore = search.generated;
  search.generated += expanded.reduce((a, r) => a + r.generated, 0);
  tuning.levelsInParallel++;
  if (DEBUG) DEBUG(`level ${search.depth} [${start}, ${end}): ${candidates} candidates, ${total} new; A ${(tb - ta).toFixed(0)} B ${(tc - tb).toFixed(0)} C ${(performance.now() - tc).toFixed(0)} ms`);

  // The first new state (in the sequential numbering) on which an invariant fails.
  let off = 0;
  let genOff = 0;
  for (let w = 0; w < workers; off += winners[w], genOff += expanded[w].generated, w++) {
    const bad = placed[w].bad;
    if (!bad) continue;
    const id = distinct + off + bad.rank;
    search.parents.setSize(id + 1);
    search.nxt.count = slot0 + off + bad.rank + 1;
    search.generated = generatedBefore + genOff + bad.gen;
    const name = search.invariants[bad.invariant].name;
    const where = { parent: search.firstId + bad.parent, choice: bad.choice, at: id, generated: search.generated, name };
    search.failure = bad.kind === 'violation' ? { kind: 'violation', vkind: 'invariant', ...where } : { kind: 'error', phase: 'invariant', error: bad.error, ...where };
    return 'stopped';
  }
  search.parents.setSize(distinct + total);
  search.nxt.count = slot0 + total;
  return 'done';
}
