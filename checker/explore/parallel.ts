// Parallel breadth-first search with worker threads, giving exactly the counts, the state
// numbering and the counterexample of the single-threaded search (search.ts). Design and
// measurements: docs/decisions/performance-parallel-levels.md.
//
// The search stays level-synchronous. The calling thread coordinates; a large level is cut
// into chunks of consecutive parents, and each chunk goes through three phases, each run by
// all workers at once:
//
//  A. expand: worker w takes the w-th slice of the chunk and generates the successors of
//     its states in the sequential order (parent, then choice), exactly as the
//     single-threaded search does, and lists them (less the repeats it notices itself) for
//     the shard of the seen-set each belongs to. Nothing is looked up or inserted.
//  B. insert: the seen-set is sharded by fingerprint and each worker owns some shards. An
//     owner inserts the listed states of its shards from the lists of all workers, in
//     worker order (so in the sequential order of the level); the first occurrence of each
//     new state wins. No two threads write the same shard, so no atomic operation is needed.
//  C. place: the winners of list w get consecutive numbers after those of lists < w, which
//     is the discovery order of the sequential search; each worker writes its winners'
//     parent pointers and packed states into the shared parent store and next frontier,
//     and runs the invariants on them (new states only, as the sequential search does).
//
// The phases of consecutive chunks are pipelined: one step of all workers places chunk
// k-2, inserts chunk k-1 and expands chunk k.
//
// A stop of the sequential search inside a chunk is handled so that the verdict, the
// counters at the stop and the trace are the sequential ones: a violation, error or
// deadlock met while expanding (phase A), or a max-states or memory bound that the chunk
// could cross (judged before phase B), leaves the stores as the chunk found them, and the
// coordinator re-runs the rest of the level itself with the sequential code; an invariant
// failing on a new state in phase C is the first such state in the sequential numbering,
// and the counters are set to what the sequential search has at that point. Small levels,
// a level at the depth bound, and the levels before the workers have loaded the spec are
// expanded by the coordinator directly.
//
// The coordinator blocks in Atomics.wait while the workers run and exchanges messages with
// receiveMessageOnPort. The run is a generator that yields between pipeline steps and
// between slices of the levels it expands itself (stop.ts), so that the async driver can
// stop it: a stop inside a parallel level expands no further chunk, places the chunks
// already expanded, and leaves the search at the first parent not expanded, as the
// sequential search would be after expanding the same parents.

import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planBundle } from './bundle.mjs';
import type { Instance } from '../spec.js';
import type { CheckResult } from '../result.js';
import { ConfigError } from '../errors.js';
import { Search } from './search.js';
import type { CheckOptions, ParallelReport } from './options.js';
import type { Successors } from './successors.js';
import type { Pacer } from './stop.js';
import { OutOfMemory } from '../store/parents.js';
import { DiskFull } from '../store/spill.js';
import type { Command, Loader, Reply, WorkerInit } from './worker.js';
import { candidateBytes, type CandidateBuffers } from '../store/candidates.js';

/** The defaults of the parallel search's knobs (CheckOptions.parallel overrides them per run). */
const DEFAULTS = {
  /** Levels smaller than this are expanded by the coordinator alone (coordinating the workers costs more). */
  minLevel: 2048,
  /** Parents per chunk of a level (bounds the candidate lists). */
  chunk: 1 << 17,
  /** Wait for the workers before the first level instead of going on alone meanwhile. */
  waitForWorkers: false,
};
/** What a worker writes in its answer slot when its thread ends (worker-entry.mjs). */
const DEAD = -1;
/** How long a worker may take to load the spec before the run gives up. */
const START_TIMEOUT_MS = 120_000;
/**
 * How long a worker may take to answer one command (a chunk of a level: seconds at the
 * default chunk size). A safety net: the stuck worker once seen in test runs under load
 * (a command taken before its number was stored, docs/decisions/parallel-lost-command.md)
 * is fixed; another such bug would fail the run with a message instead of hanging it.
 */
const REPLY_TIMEOUT_MS = 120_000;
const DEBUG = process.env.MIGCHECK_DEBUG ? (s: string) => process.stderr.write(`[coord] ${s}\n`) : undefined;

class Pool {
  private readonly ctrl: Int32Array;
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private seq = 1;
  /** How the workers loaded the spec, once they have answered. */
  loaders: Loader[] = [];
  /** Whether the bundle came from the cache, was made, or was not tried. */
  readonly bundle: ParallelReport['bundle'];

  constructor(readonly n: number, init: Omit<WorkerInit, 'index' | 'ctrl' | 'port' | 'boot'>) {
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * (n + 1)));
    this.ctrl[0] = this.seq; // workers wait for the next command number after this one
    const entry = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));
    // The bundle of worker.ts and the spec (worker-entry.mjs): taken from the cache when
    // fresh, else made by the first worker.
    let plan: { file: string; meta: string; fresh: boolean } | undefined;
    // Constants loaded from files (ConstDef.load) are loaded again by each worker, through the
    // TypeScript loader: a file named at run time is not in the bundle.
    if (process.env.MIGCHECK_WORKER_LOADER !== 'tsx' && init.loadCwd === undefined) {
      try {
        plan = planBundle(init.module);
      } catch (e) {
        if (DEBUG) DEBUG(`no bundle cache: ${(e as Error).message}`);
      }
    }
    const state = new Int32Array(new SharedArrayBuffer(4));
    if (plan?.fresh) state[0] = 1;
    this.bundle = !plan ? 'none' : plan.fresh ? 'cached' : 'made';
    for (let i = 0; i < n; i++) {
      const { port1, port2 } = new MessageChannel();
      const boot = { state: state.buffer as SharedArrayBuffer, file: plan?.file ?? '', meta: plan?.meta ?? '', bundle: !!plan, builder: !!plan && !plan.fresh && i === 0 };
      const data: WorkerInit = { ...init, index: i, ctrl: this.ctrl.buffer as SharedArrayBuffer, port: port2, boot };
      const w = new Worker(entry, { workerData: data, transferList: [port2] });
      w.unref();
      this.ports.push(port1);
      this.workers.push(w);
    }
  }

  started = false;

  /** Whether every worker has answered its start-up (without waiting). */
  answered(): boolean {
    for (let i = 0; i < this.n; i++) {
      const v = Atomics.load(this.ctrl, 1 + i);
      if (v !== this.seq && v !== DEAD) return false;
    }
    return true;
  }

  /** Waits until every worker has loaded the spec (they start loading at construction). */
  ready(): void {
    if (this.started) return;
    this.started = true;
    const replies = this.wait(START_TIMEOUT_MS);
    this.loaders = replies.flatMap((r) => (r.type === 'ready' ? [r.loader] : []));
    if (DEBUG) DEBUG(`workers loaded: ${this.loaders.join(', ')} (bundle ${this.bundle})`);
    const bad = replies.find((r) => r.type === 'error');
    if (bad && bad.type === 'error') {
      this.close();
      throw new ConfigError(`--workers: a worker could not load the spec: ${bad.message}`);
    }
  }

  /** Sends one command to each worker and waits for all replies. */
  /** Milliseconds spent waiting for the workers (for MIGCHECK_DEBUG). */
  waited = 0;

  run(commands: Command[]): Reply[] {
    const t0 = performance.now();
    this.seq++;
    // The command carries its number: a worker may take it before ctrl[0] changes.
    commands.forEach((c, i) => this.ports[i].postMessage(c.type === 'step' ? { ...c, seq: this.seq } : c));
    Atomics.store(this.ctrl, 0, this.seq);
    Atomics.notify(this.ctrl, 0);
    const replies = this.wait(REPLY_TIMEOUT_MS, 'answer a command');
    replies.forEach((r, i) => {
      if (r.type === 'step' && r.seq !== this.seq) throw new Error(`worker ${i} answered command ${r.seq} instead of ${this.seq}`);
    });
    this.waited += performance.now() - t0;
    const bad = replies.find((r) => r.type === 'error');
    if (bad && bad.type === 'error') throw new Error(`worker failed: ${bad.message}`);
    return replies;
  }

  private wait(timeout: number, what = 'start'): Reply[] {
    // performance.now(), not Date.now(): the latter is trapped while the spec runs (determinism.ts).
    const t0 = performance.now();
    const out: Reply[] = [];
    for (let i = 0; i < this.n; i++) {
      for (;;) {
        const v = Atomics.load(this.ctrl, 1 + i);
        if (v === this.seq) break;
        if (v === DEAD) {
          // A worker that could not load the spec answers, then ends: keep its answer.
          const m = receiveMessageOnPort(this.ports[i]);
          if (m && (m.message as Reply).type === 'error') return [...out, m.message as Reply];
          this.close();
          throw new ConfigError(`--workers: worker ${i} ended while the search needed it: code run by the spec (at load or in an action) must not end its thread (process.exit) or throw outside the calls the checker makes`);
        }
        if (performance.now() - t0 > timeout) {
          this.close();
          throw new ConfigError(`--workers: worker ${i} did not ${what} within ${timeout / 1000} s`);
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

export function* checkParallel<S>(succ: Successors<S>, opts: CheckOptions, workers: number, pacer: Pacer): Generator<'slice' | 'level', CheckResult<S>> {
  if (!opts.module) throw new ConfigError('workers > 1 needs the path of the spec module (CheckOptions.module), so that each worker can load the spec');
  const module = opts.module.startsWith('file:') ? opts.module : isAbsolute(opts.module) ? opts.module : resolve(opts.module);
  const inst = succ.inst;

  // The stores live in SharedArrayBuffers; the coordinator's Search owns them.
  let shardCount = 1;
  while (shardCount < workers) shardCount *= 2;
  const search = new Search(succ, opts, shardCount);
  const seen = search.sharded;
  pacer.start(search);
  if (!search.running) {
    pacer.atEnd(search);
    return search.result();
  }

  // Workers load the spec while the coordinator expands the first, small levels.
  const t0 = performance.now();
  const pool = new Pool(workers, {
    module,
    constants: { ...inst.constants },
    loadCwd: inst.loaded?.cwd,
    options: { engine: opts.engine, invariants: opts.invariants, deadlock: opts.deadlock },
    shards: seen.buffers(),
    shape: { words: succ.W, choices: inst.choices.length },
  });
  const owners: number[][] = Array.from({ length: workers }, () => []);
  // Parents expanded per millisecond by each worker in its recent expansions. Threads on a
  // shared machine do not run at the same speed, so a chunk is cut in proportion (the
  // results do not depend on where it is cut; only the waiting at the end of a step does).
  const speed = new Array<number>(workers).fill(1);
  const debug: Debug = { busy: [], candidates: 0, imbalance: {}, chunk: opts.parallel?.chunk ?? DEFAULTS.chunk, chunksInParallel: 0 };
  const minLevel = opts.parallel?.minLevel ?? DEFAULTS.minLevel;
  const waitForWorkers = opts.parallel?.waitForWorkers ?? DEFAULTS.waitForWorkers;
  for (let s = 0; s < shardCount; s++) owners[s % workers].push(s);
  try {
    while (search.running) {
      const f = search.frontier();
      // Until the workers have loaded the spec, the coordinator goes on alone.
      if (f.count < minLevel || f.atBound || f.pos > 0 || (!waitForWorkers && !pool.answered())) {
        yield* search.level(pacer);
        if (!search.running) break;
        search.advance();
        pacer.atLevel(search);
        yield 'level';
        continue;
      }
      if (DEBUG && !pool.started) DEBUG(`workers ready at ${(performance.now() - t0).toFixed(0)} ms, level ${f.depth} (${f.count} states, ${f.distinct} distinct)`);
      pool.ready();
      const r = yield* parallelLevel(search, pool, workers, owners, speed, debug, pacer);
      // A chunk holding a stop of the sequential search is re-run, with the rest of the
      // level, in order, here; after a stop from outside, level() stops at once.
      if (r !== 'done' && r !== 'stopped') {
        search.at(r.from);
        yield* search.level(pacer);
      }
      if (!search.running) break;
      search.advance();
      pacer.atLevel(search);
      if (opts.onProgress) {
        const g = search.frontier();
        opts.onProgress({ distinct: g.distinct, generated: g.generated, queue: g.count, depth: g.depth, seconds: g.seconds });
      }
    }
    // A module that cannot load in the workers is a configuration error, even when the
    // search ended before it needed them (if they have said so by now).
    if (pool.answered()) pool.ready();
  } catch (e) {
    if (e instanceof DiskFull) search.diskFull(e);
    else if (!(e instanceof OutOfMemory)) throw e;
    else search.outOfMemory();
  } finally {
    if (DEBUG) DEBUG(`waited for workers ${pool.waited.toFixed(0)} ms of ${(performance.now() - t0).toFixed(0)} ms; ${debug.candidates} candidates; busy place/insert/expand ${debug.busy.map((b) => b.map((x) => x.toFixed(0)).join('/')).join(', ')}; waiting for the slowest worker by step kind ${JSON.stringify(Object.fromEntries(Object.entries(debug.imbalance).map(([k, v]) => [k, Math.round(v)])))}`);
    pool.close();
    opts.parallel?.onReport?.({ chunksInParallel: debug.chunksInParallel, loaders: pool.loaders, bundle: pool.bundle });
  }
  pacer.atEnd(search);
  return search.result();
}

/** What one parallel run keeps about itself: its chunk size, and what MIGCHECK_DEBUG and CheckOptions.parallel.onReport report. */
interface Debug {
  busy: number[][];
  candidates: number;
  imbalance: Record<string, number>;
  readonly chunk: number;
  /** Chunks placed by the workers. */
  chunksInParallel: number;
}

interface Chunk {
  start: number;
  end: number;
  /** Worker w expands parents [bounds[w], bounds[w + 1]). */
  bounds?: number[];
  /** Which of each worker's three candidate sets holds it. */
  set: number;
  lists?: CandidateBuffers[];
  candidates?: number;
  /** Successors generated, per worker. */
  generated?: number[];
  /** Successors computed per choice, per worker (coverage). */
  fired?: Float64Array[];
  winners?: number[];
  total?: number;
}

/** Cuts a chunk into consecutive slices, one per worker, in proportion to `speed`. */
function split(c: Chunk, speed: readonly number[]): number[] {
  const total = speed.reduce((a, b) => a + b, 0);
  const bounds = [c.start];
  let acc = 0;
  for (let w = 0; w < speed.length - 1; w++) {
    acc += speed[w];
    bounds.push(c.start + Math.round(((c.end - c.start) * acc) / total));
  }
  bounds.push(c.end);
  return bounds;
}

/**
 * Expands the current level with the workers into `search.nxt`, in chunks of parents
 * pipelined three deep: one step of all workers places chunk k-2, inserts chunk k-1 and
 * expands chunk k (those phases depend only on earlier steps), so each chunk costs one
 * synchronisation instead of three. Returns 'stopped' when an invariant failed on a new
 * state (the search's failure and counters are then set as the sequential search sets
 * them), or the parent from which the level must be re-run in order (nothing of it is in
 * the stores yet).
 */
function* parallelLevel<S>(search: Search<S>, pool: Pool, workers: number, owners: number[][], speed: number[], debug: Debug, pacer: Pacer): Generator<'slice', 'done' | 'stopped' | { from: number }> {
  const seen = search.sharded;
  const level = search.frontier();
  const count = level.count;
  const chunks: Chunk[] = [];
  for (let start = 0, k = 0; start < count; start += debug.chunk, k++) chunks.push({ start, end: Math.min(count, start + debug.chunk), set: k % 3 });
  let abortAt: number | undefined;

  for (let step = 0; ; step++) {
    const P = step - 2;
    const I = step - 1;
    const E = step;
    // Asked to stop: expand no further chunk; the ones expanded are inserted and placed.
    if (step > 0) yield 'slice';
    if (abortAt === undefined && pacer.reason !== undefined) abortAt = Math.min(step, chunks.length);
    const live = (k: number) => k >= 0 && k < chunks.length && (abortAt === undefined || k < abortAt);
    let doPlace = live(P);
    let doInsert = live(I);
    const doExpand = live(E) && abortAt === undefined;

    // Bounds of chunk I, judged before anything of it is inserted (candidates >= new states).
    if (doInsert) {
      const c = chunks[I];
      const planned = doPlace ? chunks[P].total! : 0;
      const held = c.lists!.reduce((a, l) => a + candidateBytes(l), 0);
      if (!search.roomFor(planned, c.candidates!, held)) {
        abortAt = I;
        doInsert = false;
      }
    }
    if (!doPlace && !doInsert && !(doExpand && abortAt === undefined)) break;

    const tStep = DEBUG ? performance.now() : 0;
    const tables = seen.buffers().tables;
    const cmds: Command[] = [];
    const placement = doPlace ? search.reserve(chunks[P].total!) : undefined;
    const free = search.freeBytes();
    if (doExpand) chunks[E].bounds = split(chunks[E], speed);
    for (let w = 0, off = 0; w < workers; w++) {
      const cmd: Command = { type: 'step', seq: 0, tables };
      if (doPlace) {
        const c = chunks[P];
        cmd.place = { set: c.set, parents: placement!.parents, nxt: placement!.nxt, base: placement!.base + off, slot: placement!.slot + off, firstId: level.firstId };
        off += c.winners![w];
      }
      if (doInsert) cmd.insert = { shards: owners[w], lists: chunks[I].lists! };
      if (doExpand && abortAt === undefined) {
        const c = chunks[E];
        cmd.expand = {
          set: c.set,
          cur: level.data,
          count,
          firstId: level.firstId,
          depth: level.depth,
          from: c.bounds![w],
          to: c.bounds![w + 1],
          candidateBytes: free / (4 * workers),
        };
      }
      cmds.push(cmd);
    }
    const replies = pool.run(cmds) as Extract<Reply, { type: 'step' }>[];
    if (DEBUG) {
      replies.forEach((r, w) => r.ms!.forEach((m, i) => ((debug.busy[w] ??= [0, 0, 0])[i] += m)));
      // Time each worker waited for the slowest one at the end of this step, by phase mix.
      const tot = replies.map((r) => r.ms!.reduce((a, b) => a + b, 0));
      const max = Math.max(...tot);
      const key = `${doPlace ? 'P' : '-'}${doInsert ? 'I' : '-'}${doExpand ? 'E' : '-'}`;
      tot.forEach((t) => (debug.imbalance[key] = (debug.imbalance[key] ?? 0) + max - t));
    }

    if (doPlace) {
      const c = chunks[P];
      // The first new state (in the sequential numbering) on which an invariant fails.
      for (let w = 0, off = 0, genOff = 0; w < workers; off += c.winners![w], genOff += c.generated![w], w++) {
        const bad = replies[w].placed!.bad;
        if (!bad) continue;
        // Successors computed before this one: earlier chunks, earlier workers' slices of
        // this chunk, and this worker's slice up to it (recounted: such a stop is rare).
        // Coverage as the sequential search counts it: earlier workers' slices whole, this one recounted up to the stop.
        for (let u = 0; u < w; u++) search.tally.addFired(c.fired![u]);
        search.stopAtInvariant(placement!.base + off + bad.rank, placement!.slot + off + bad.rank, genOff, c.bounds![w], bad.parent, bad.choice, bad.invariant, bad.kind === 'error' ? { error: bad.error } : undefined);
        return 'stopped';
      }
      search.placed(placement!.base, placement!.slot, c.total!, c.generated!.reduce((a, b) => a + b, 0), c.fired);
      debug.chunksInParallel++;
    }
    if (doInsert) {
      const c = chunks[I];
      for (const r of replies) {
        const ins = r.inserted!;
        if (!ins.ok) throw new OutOfMemory('a worker could not grow its shard of the seen-set');
        search.adoptGrown(ins.grown);
      }
      c.winners = c.lists!.map((_, l) => replies.reduce((a, r) => a + r.inserted!.winners[l], 0));
      c.total = c.winners.reduce((a, b) => a + b, 0);
    }
    if (doExpand && abortAt === undefined) {
      const c = chunks[E];
      replies.forEach((r, w) => {
        const n = c.bounds![w + 1] - c.bounds![w];
        const ms = r.ms![2];
        if (n >= 256 && ms > 0.5) speed[w] = 0.5 * speed[w] + 0.5 * (n / ms);
      });
      if (replies.some((r) => !r.expanded!.ok)) abortAt = E;
      else {
        c.lists = replies.map((r) => r.expanded!.candidates);
        c.candidates = c.lists.reduce((a, l) => a + l.count, 0);
        if (DEBUG) debug.candidates += c.candidates;
        c.generated = replies.map((r) => r.expanded!.generated);
        c.fired = replies.map((r) => r.expanded!.fired!);
      }
    }
    if (DEBUG) DEBUG(`level ${level.depth} step ${step}: place ${doPlace ? P : '-'} insert ${doInsert ? I : '-'} expand ${doExpand ? E : '-'}; ms ${replies.map((r) => r.ms!.map((x) => x.toFixed(1)).join('/')).join('  ')}; step ${(performance.now() - tStep).toFixed(1)}; rss ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MiB, stores ${(search.storeBytes() / 1048576).toFixed(0)} MiB, lists ${((chunks[E]?.lists ?? []).concat(chunks[I]?.lists ?? [], chunks[P]?.lists ?? []).reduce((a, l) => a + candidateBytes(l), 0) / 1048576).toFixed(0)} MiB`);
  }
  return abortAt === undefined ? 'done' : { from: abortAt < chunks.length ? chunks[abortAt].start : count };
}
