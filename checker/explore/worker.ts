// A search worker thread (see parallel.ts for the protocol). It loads the spec module,
// instantiates it with the coordinator's constants, then serves commands, one per phase of
// a level: 'expand' a range of the frontier into candidates, 'insert' the candidates of the
// shards it owns, 'place' its winners into the parent store and the next frontier.
// Commands arrive as messages; the coordinator bumps ctrl[0] after posting them, and the
// worker answers by message and by storing the command's number in ctrl[1 + index].

import { workerData, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { instantiate, isSpec, type ConstValue } from '../spec.js';
import { Search, type CheckOptions } from './search.js';
import { ShardedSet, type ShardedBuffers } from '../store/sharded.js';
import { ParentStore, StateBuffer } from '../store/parents.js';
import { Candidates, viewCandidates, type CandidateBuffers } from '../store/candidates.js';

export interface WorkerInit {
  index: number;
  ctrl: SharedArrayBuffer;
  port: MessagePort;
  module: string;
  constants: Record<string, ConstValue>;
  options: Pick<CheckOptions, 'engine' | 'invariants' | 'deadlock'>;
  shards: ShardedBuffers;
  /** What the coordinator's instance looks like, to catch a module that builds another. */
  shape: { words: number; choices: number };
}

export type Command =
  | { type: 'expand'; cur: SharedArrayBuffer; count: number; firstId: number; depth: number; from: number; to: number; tables: SharedArrayBuffer[]; candidateBytes: number }
  | { type: 'insert'; shards: number[]; lists: CandidateBuffers[]; tables: SharedArrayBuffer[] }
  | { type: 'place'; parents: ReturnType<ParentStore['buffers']>; nxt: SharedArrayBuffer; base: number; slot: number; firstId: number }
  | { type: 'stop' };

export type Reply =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'expanded'; ok: boolean; generated: number; candidates: CandidateBuffers }
  | { type: 'inserted'; ok: boolean; winners: number[]; grown: [number, SharedArrayBuffer][] }
  | { type: 'placed'; bad?: InvariantStop };

/** The first of a worker's new states on which an invariant fails or throws (phase C). */
export interface InvariantStop {
  /** Its rank among the worker's winners. */
  rank: number;
  kind: 'violation' | 'error';
  /** Index of the invariant among the checked ones. */
  invariant: number;
  error?: unknown;
  /** Parent index within the level, choice, and successors generated up to it in the command. */
  parent: number;
  choice: number;
  gen: number;
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

function next(): Command {
  for (;;) {
    const m = receiveMessageOnPort(init.port);
    if (m) return m.message as Command;
    Atomics.wait(ctrl, 0, Atomics.load(ctrl, 0), 10);
  }
}

async function start(): Promise<{ search: Search<unknown>; seen: ShardedSet; candidates: Candidates } | undefined> {
  try {
    const url = init.module.startsWith('file:') ? init.module : pathToFileURL(isAbsolute(init.module) ? init.module : init.module).href;
    const mod = (await import(url)) as Record<string, unknown>;
    const spec = mod.default ?? mod.spec;
    if (!isSpec(spec)) throw new Error(`${init.module} does not export a spec`);
    const inst = instantiate(spec, init.constants);
    const seen = new ShardedSet(init.shards.tables.length, init.shards.compact, 0, undefined, init.shards);
    const search = new Search(inst, { ...init.options, memory: Number.POSITIVE_INFINITY }, {
      seen,
      parents: new ParentStore(),
      cur: new StateBuffer(1, 1),
      nxt: new StateBuffer(1, 1),
    });
    if (search.W !== init.shape.words || inst.choices.length !== init.shape.choices)
      throw new Error(`${init.module} builds a different model in a worker (${search.W} words, ${inst.choices.length} choices; expected ${init.shape.words}, ${init.shape.choices}): setup() must depend only on the constants`);
    const candidates = new Candidates(search.W, !!inst.view || !search.layout.exact, seen.shards);
    search.collector = candidates;
    search.sharded = seen;
    reply(1, { type: 'ready' });
    return { search, seen, candidates };
  } catch (e) {
    reply(1, { type: 'error', message: (e as Error)?.message ?? String(e) });
    return undefined;
  }
}

const ctx = await start();
if (ctx) {
  const { search, seen, candidates } = ctx;
  const W = search.W;
  let parents: ParentStore | undefined;
  const fp = new Uint32Array(2);
  const layout = search.layout;
  let last = 1;
  for (;;) {
    Atomics.wait(ctrl, 0, last);
    const seq = Atomics.load(ctrl, 0);
    last = seq;
    const cmd = next();
    if (cmd.type === 'stop') break;
    try {
      switch (cmd.type) {
        case 'expand': {
          seen.adoptTables(cmd.tables);
          search.cur.adopt(cmd.cur, cmd.count);
          search.firstId = cmd.firstId;
          search.depth = cmd.depth;
          search.failure = undefined;
          search.generated = 0;
          candidates.clear();
          candidates.maxBytes = cmd.candidateBytes;
          search.expand(cmd.from, cmd.to);
          reply(seq, { type: 'expanded', ok: search.failure === undefined, generated: search.generated, candidates: candidates.buffers() });
          break;
        }
        case 'insert': {
          seen.adoptTables(cmd.tables);
          const lists = cmd.lists.map(viewCandidates);
          const winners = lists.map(() => 0);
          let ok = true;
          // Shard by shard, each in list order then candidate order: the first occurrence in
          // the sequential order of the level wins, whatever the number of workers.
          const BATCH = 32;
          outer: for (const s of cmd.shards) {
            for (let l = 0; l < lists.length; l++) {
              const v = lists[l];
              const idx = v.shardIndex[s];
              const n = v.shardCount[s];
              for (let j0 = 0; j0 < n; j0 += BATCH) {
                const j1 = Math.min(n, j0 + BATCH);
                // Touch the batch's slots first so that their cache misses overlap.
                for (let j = j0; j < j1; j++) {
                  const c = idx[j];
                  if (v.hi) seen.touch(v.hi[c], v.lo![c]);
                  else {
                    layout.fingerprint(v.words, c * W, fp);
                    seen.touch(fp[0], fp[1]);
                  }
                }
                for (let j = j0; j < j1; j++) {
                  const c = idx[j];
                  let r: number;
                  if (v.hi) r = seen.put(v.hi[c], v.lo![c]);
                  else {
                    layout.fingerprint(v.words, c * W, fp);
                    r = seen.put(fp[0], fp[1]);
                  }
                  if (r === 1) {
                    v.win[c] = 1;
                    winners[l]++;
                  } else if (r < 0) {
                    ok = false;
                    break outer;
                  }
                }
              }
            }
          }
          reply(seq, { type: 'inserted', ok, winners, grown: seen.takeGrown() });
          break;
        }
        case 'place': {
          // The coordinator allocates the chunks (and decides the choice width).
          if (!parents) parents = ParentStore.adopt(cmd.parents);
          else parents.adoptMore(cmd.parents);
          const nxt = new Uint32Array(cmd.nxt);
          const { words, parent, choice, gen, win, count } = candidates;
          let id = cmd.base;
          let o = cmd.slot * W;
          let bad: InvariantStop | undefined;
          const check = search.invariants.length > 0;
          for (let j = 0; j < count; j++) {
            if (win[j] !== 1) continue;
            parents.set(id, cmd.firstId + parent[j], choice[j]);
            const src = j * W;
            for (let k = 0; k < W; k++) nxt[o + k] = words[src + k];
            if (check && bad === undefined) {
              // Invariants run on new states only, as in the sequential search.
              try {
                const v = search.invariantsAt(words, src);
                if (v >= 0) bad = { rank: id - cmd.base, kind: 'violation', invariant: v, parent: parent[j], choice: choice[j], gen: gen[j] };
              } catch (e) {
                bad = { rank: id - cmd.base, kind: 'error', invariant: search.invariantIndex, error: cloneable(e), parent: parent[j], choice: choice[j], gen: gen[j] };
              }
            }
            id++;
            o += W;
          }
          reply(seq, { type: 'placed', bad });
          break;
        }
      }
    } catch (e) {
      reply(seq, { type: 'error', message: (e as Error)?.message ?? String(e) });
    }
  }
  init.port.close();
}
