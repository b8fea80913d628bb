// A search worker thread (see parallel.ts for the phases). It loads the spec module,
// instantiates it with the coordinator's constants, then serves 'step' commands, each with
// up to three parts for three consecutive chunks of a level: place its winners of one
// chunk into the parent store and the next frontier (and check invariants on them), insert
// the candidates of the shards it owns for the next chunk, and expand its slice of the
// chunk after that into candidates. Commands arrive as messages; the coordinator bumps
// ctrl[0] after posting them, and the worker answers by message and by storing the
// command's number in ctrl[1 + index].

import { workerData, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { instantiate, isSpec, loadConstants, type ConstValue } from '../spec.js';
import type { CheckOptions } from './options.js';
import { Successors } from './successors.js';
import { deadlockSetting } from './search.js';
import { deterministic } from './determinism.js';
import { ShardedSet, type ShardedBuffers } from '../store/sharded.js';
import { ParentStore, OutOfMemory } from '../store/parents.js';
import { Reclaimer } from '../store/reclaim.js';
import { Candidates, viewCandidates, type CandidateBuffers } from '../store/candidates.js';

/** How a worker loaded its code and the spec: bundled, or through the TypeScript loader. */
export type Loader = 'bundle' | 'tsx';

export interface WorkerInit {
  index: number;
  ctrl: SharedArrayBuffer;
  port: MessagePort;
  module: string;
  constants: Record<string, ConstValue>;
  /** Where the coordinator's constants with a `load` were named from: the worker loads them again (spec.ts loadConstants). */
  loadCwd?: string;
  options: Pick<CheckOptions, 'engine' | 'invariants' | 'deadlock'>;
  shards: ShardedBuffers;
  /** What the coordinator's instance looks like, to catch a module that builds another. */
  shape: { words: number; choices: number };
  /** How worker-entry.mjs loads this code and the spec (bundled or through the loader). */
  boot: { state: SharedArrayBuffer; file: string; meta: string; bundle: boolean; builder: boolean };
}

/** Phase A of a chunk: expand parents [from, to) of the frontier into candidate set `set`. */
export interface ExpandPart {
  set: number;
  cur: SharedArrayBuffer;
  count: number;
  firstId: number;
  depth: number;
  from: number;
  to: number;
  candidateBytes: number;
}

/** Phase B of a chunk: insert the candidates of `shards` from every worker's lists, in list order. */
export interface InsertPart {
  shards: number[];
  lists: CandidateBuffers[];
}

/** Phase C of a chunk: number this worker's winners of candidate set `set` from `base`. */
export interface PlacePart {
  set: number;
  parents: ReturnType<ParentStore['buffers']>;
  nxt: SharedArrayBuffer;
  base: number;
  slot: number;
  firstId: number;
}

/**
 * One step of the pipeline: the three phases of three consecutive chunks (place chunk k-2,
 * insert chunk k-1, expand chunk k), which depend only on earlier steps.
 */
export type Command = { type: 'step'; /** The command's number, which the answer repeats (Pool.run). */ seq: number; tables: SharedArrayBuffer[]; place?: PlacePart; insert?: InsertPart; expand?: ExpandPart } | { type: 'stop' };

export type Reply =
  | { type: 'ready'; loader: Loader }
  | { type: 'error'; message: string }
  | {
      type: 'step';
      /** The number of the command answered. */
      seq?: number;
      /** Milliseconds spent placing, inserting and expanding. */
      ms?: number[];
      placed?: { bad?: InvariantStop };
      inserted?: { ok: boolean; winners: number[]; grown: [number, SharedArrayBuffer][] };
      /** `fired`: successors computed per choice (coverage, coverage.ts), for a chunk that expanded without a stop. */
      expanded?: { ok: boolean; generated: number; candidates: CandidateBuffers; fired?: Float64Array };
    };

/** The first of a worker's new states on which an invariant fails or throws (phase C). */
export interface InvariantStop {
  /** Its rank among the worker's winners. */
  rank: number;
  kind: 'violation' | 'error';
  /** Index of the invariant among the checked ones. */
  invariant: number;
  error?: unknown;
  /** Parent index within the level and choice. */
  parent: number;
  choice: number;
}

const init = workerData as WorkerInit;

/** An exception as it can cross to the coordinator (an Error keeps its message and stack). */
function cloneable(e: unknown): unknown {
  if (e instanceof Error) return e;
  if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean' || e === null || e === undefined) return e;
  return new Error(String(e));
}
const ctrl = new Int32Array(init.ctrl);

function reply(seq: number, msg: Reply): void {
  init.port.postMessage(msg);
  Atomics.store(ctrl, 1 + init.index, seq);
  Atomics.notify(ctrl, 1 + init.index);
}

/**
 * The next command. The message is the command; ctrl[0] is only a doorbell, read before
 * each poll, so that a command posted after the poll changes it and the wait returns. An
 * Atomics.wait that returns 'ok' while ctrl[0] still holds the value it was given (measured
 * under load: docs/decisions/parallel-lost-command.md) just polls again.
 */
function next(): Command {
  for (;;) {
    const bell = Atomics.load(ctrl, 0);
    const m = receiveMessageOnPort(init.port);
    if (m) return m.message as Command;
    Atomics.wait(ctrl, 0, bell);
  }
}

/** The file: URL of the spec module, as the coordinator named it. */
export function specUrl(module: string): string {
  return module.startsWith('file:') ? module : pathToFileURL(module).href;
}

async function start(load: () => Promise<Record<string, unknown>>, loader: Loader): Promise<{ succ: Successors<unknown>; deadlock: boolean; seen: ShardedSet; candidates: Candidates[]; keepFp: boolean } | undefined> {
  try {
    const mod = await load();
    const spec = mod.default ?? mod.spec;
    if (!isSpec(spec)) throw new Error(`${init.module} does not export a spec`);
    // The model's functions cannot cross threads, so each worker runs the spec's setup()
    // once for its own instance (with the coordinator's constants); the shape check below
    // and the differential worker tests pin that it builds the same model.
    const inst = instantiate(spec, init.constants, init.loadCwd === undefined ? undefined : await loadConstants(spec, init.constants, init.loadCwd));
    const seen = new ShardedSet(init.shards.tables.length, init.shards.compact, 0, undefined, init.shards);
    const succ = new Successors(inst, init.options);
    if (succ.W !== init.shape.words || inst.choices.length !== init.shape.choices)
      throw new Error(`${init.module} builds a different model in a worker (${succ.W} words, ${inst.choices.length} choices; expected ${init.shape.words}, ${init.shape.choices}): setup() must depend only on the constants`);
    // Three candidate sets: a chunk's set lives from its expansion to its placement, two steps later.
    const keepFp = !!inst.view || !!succ.symmetry || !succ.exact;
    const maxChoice = Math.max(inst.choices.length, inst.init.length);
    const choiceBytes = maxChoice < 0x100 ? 1 : maxChoice < 0x10000 ? 2 : 4;
    const candidates = [0, 1, 2].map(() => new Candidates(succ.W, keepFp, seen.shards, choiceBytes));
    reply(1, { type: 'ready', loader });
    return { succ, deadlock: deadlockSetting(succ, init.options), seen, candidates, keepFp };
  } catch (e) {
    reply(1, { type: 'error', message: (e as Error)?.message ?? String(e) });
    return undefined;
  }
}

/**
 * Runs this worker: loads the spec module with `load` (worker-entry.mjs passes either the
 * module as bundled with this code, or a dynamic import through the TypeScript loader),
 * answers the start-up, then serves commands until told to stop.
 */
export async function runWorker(load: () => Promise<Record<string, unknown>>, loader: Loader): Promise<void> {
  const ctx = await start(load, loader);
  if (ctx) {
    const { succ, deadlock, seen, candidates, keepFp } = ctx;
    const W = succ.W;
    let parents: ParentStore | undefined;
    const fp = new Uint32Array(2);
    // Buffers this thread lets go of are collected once they add up (store/reclaim.ts).
    const reclaim = new Reclaimer();
    seen.onDrop = (bytes) => reclaim.drop(bytes);
    // The frontier buffers last seen: a new size means the coordinator grew it and the old one is garbage here.
    const sizes = { cur: 0, nxt: 0 };
    const seenBuffer = (k: 'cur' | 'nxt', b: SharedArrayBuffer): void => {
      if (sizes[k] !== b.byteLength) {
        reclaim.drop(sizes[k]);
        sizes[k] = b.byteLength;
      }
    };
    for (;;) {
      const cmd = next();
      if (cmd.type === 'stop') break;
      const seq = cmd.seq;
      try {
        reclaim.drop(seen.adoptTables(cmd.tables));
        const out: Extract<Reply, { type: 'step' }> = { type: 'step' };
        // The spec's code runs with Math.random and Date.now trapped, as in the coordinator.
        out.seq = seq;
        out.ms = deterministic(() => {
          const t0 = performance.now();
          if (cmd.place) out.placed = place(cmd.place);
          const t1 = performance.now();
          if (cmd.insert) out.inserted = insert(cmd.insert);
          const t2 = performance.now();
          if (cmd.expand) out.expanded = expand(cmd.expand);
          return [t1 - t0, t2 - t1, performance.now() - t2];
        });
        reply(seq, out);
      } catch (e) {
        reply(seq, { type: 'error', message: (e as Error)?.message ?? String(e) });
      }
    }

    function expand(p: ExpandPart): NonNullable<Extract<Reply, { type: 'step' }>['expanded']> {
      // The successors go to their shard's owner, who inserts them (phase B); invariants
      // run on the new states when they are placed (phase C). Any stop of the sequential
      // search (a failure, a deadlock, a full list) just ends the slice: the coordinator
      // re-runs the level in order.
      const set = candidates[p.set];
      set.clear();
      set.maxBytes = p.candidateBytes;
      reclaim.drop(set.fit());
      seenBuffer('cur', p.cur);
      const data = new Uint32Array(p.cur);
      const batch = succ.batch;
      let generated = 0;
      const fired = new Float64Array(succ.inst.choices.length);
      try {
        for (let i = p.from; i < p.to; i++) {
          succ.expand(data, i * W);
          if (batch.stop !== undefined) return { ok: false, generated, candidates: set.buffers() };
          const n = batch.n;
          for (let k = 0; k < n; k++) {
            fired[batch.choice[k]]++;
            // A successor that loops back to its parent is seen already: no candidate.
            if (batch.kept[k] === 0 || batch.loop[k] === 1) continue;
            const hi = batch.hi[k];
            const lo = batch.lo[k];
            if (!set.push(batch.words, k * W, i, batch.choice[k], hi, lo, seen.shardOf(hi, lo))) return { ok: false, generated, candidates: set.buffers() };
          }
          generated += batch.generated;
          if (n === 0 && deadlock) {
            let terminal = false;
            try {
              terminal = succ.terminalAt(data, i * W);
            } catch {
              terminal = false;
            }
            if (!terminal) return { ok: false, generated, candidates: set.buffers() };
          }
        }
      } catch (e) {
        if (!(e instanceof OutOfMemory)) throw e;
        return { ok: false, generated, candidates: set.buffers() };
      }
      return { ok: true, generated, candidates: set.buffers(), fired };
    }

    function insert(p: InsertPart): NonNullable<Extract<Reply, { type: 'step' }>['inserted']> {
      const lists = p.lists.map(viewCandidates);
      const winners = lists.map(() => 0);
      // Shard by shard, each in list order then candidate order: the first occurrence in the
      // sequential order of the level wins, whatever the number of workers.
      const BATCH = 64;
      const bHi = new Uint32Array(BATCH);
      const bLo = new Uint32Array(BATCH);
      const isNew = new Uint8Array(BATCH);
      const wordKey = !keepFp && W === 1; // the fingerprint of a one-word exact state is (0x80000000, word)
      for (const s of p.shards) {
        for (let l = 0; l < lists.length; l++) {
          const v = lists[l];
          const idx = v.shardIndex[s];
          const win = v.shardWin[s];
          const n = v.shardCount[s];
          for (let j0 = 0; j0 < n; j0 += BATCH) {
            const m = Math.min(n - j0, BATCH);
            for (let k = 0; k < m; k++) {
              const c = idx[j0 + k];
              if (v.hi) {
                bHi[k] = v.hi[c];
                bLo[k] = v.lo![c];
              } else if (wordKey) {
                bHi[k] = 0x80000000;
                bLo[k] = v.words[c];
              } else {
                succ.fingerprintPacked(v.words, c * W, fp);
                bHi[k] = fp[0];
                bLo[k] = fp[1];
              }
            }
            const added = seen.insertBatch(s, bHi, bLo, m, isNew);
            if (added < 0) return { ok: false, winners, grown: seen.takeGrown() };
            if (added > 0) for (let k = 0; k < m; k++) if (isNew[k] === 1) win[j0 + k] = 1;
            winners[l] += added;
          }
        }
      }
      return { ok: true, winners, grown: seen.takeGrown() };
    }

    function place(p: PlacePart): { bad?: InvariantStop } {
      // The coordinator allocates the chunks (and decides the choice width).
      if (!parents) parents = ParentStore.adopt(p.parents);
      else reclaim.drop(parents.adoptMore(p.parents));
      seenBuffer('nxt', p.nxt);
      const nxt = new Uint32Array(p.nxt);
      const set = candidates[p.set];
      const { words, parent, choice, shard, count } = set;
      // A candidate's win flag is in its shard's list, at the next position of that list.
      const wins = set.byShard.map((l) => l.win);
      const at = new Int32Array(wins.length);
      let id = p.base;
      let o = p.slot * W;
      let bad: InvariantStop | undefined;
      const check = succ.invariants.length > 0;
      for (let j = 0; j < count; j++) {
        const sh = shard[j];
        if (wins[sh][at[sh]++] !== 1) continue;
        parents.set(id, p.firstId + parent[j], choice[j]);
        const src = j * W;
        for (let k = 0; k < W; k++) nxt[o + k] = words[src + k];
        if (check && bad === undefined) {
          // Invariants run on new states only, as in the sequential search.
          try {
            const v = succ.invariantsAt(words, src);
            if (v >= 0) bad = { rank: id - p.base, kind: 'violation', invariant: v, parent: parent[j], choice: choice[j] };
          } catch (e) {
            bad = { rank: id - p.base, kind: 'error', invariant: succ.invariantIndex, error: cloneable(e), parent: parent[j], choice: choice[j] };
          }
        }
        id++;
        o += W;
      }
      return { bad };
    }
    init.port.close();
  }
}
