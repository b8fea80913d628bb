// One benchmark run in this (fresh) process: checks one twin-model instance and prints one
// JSON line with the counts, the search time and the process's peak resident memory. The
// driver (bench/run.ts) starts a new process for each run so that peak RSS belongs to one
// run only.
//
// Usage: node bin/run-ts.js bench/one.ts MODEL "K=V K=V" [--workers N] [--memory BYTES] [--engine fast|immer]
//
// MODEL is a twin model of bench/models/ (vfio, counters), or `real`: the VFIO migration
// model itself, as the default spec (specs/vfio/default.spec.ts) with the given constants
// (numbers, or true/false: "UNITS=4 MAX_VERSION=3 SYMMETRY=true").

import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { check, instantiate, type Spec } from '../checker/index.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface RunRecord {
  tool: 'migcheck';
  model: string;
  params: string;
  workers: number;
  status: string;
  reason?: string;
  distinct: number;
  transitions: number;
  generated: number;
  depth: number;
  /** Search time measured around check() (process start-up and spec loading excluded, as SPIN's compile is). */
  wall_s: number;
  /** The whole process up to the search's end: Node's start-up, loading the spec and its TypeScript, the search. */
  process_s: number;
  peak_rss_mb: number;
  /** V8's JS heap in use at the end: small, since every store is a typed array outside it. */
  heap_mb: number;
  /** Bytes held by the fingerprint table, parent pointers and frontier at the end. */
  store_bytes: number;
  /** `migcheck matrix` (bench/run.ts runs it through the CLI): the searches it made. */
  searches?: number;
  /** States in the counterexample, Init included. */
  trace_states?: number;
}

async function main(argv: string[]): Promise<void> {
  const [model, params = ''] = argv;
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const workers = Number(opt('--workers') ?? 1);
  const memory = opt('--memory') !== undefined ? Number(opt('--memory')) : undefined;
  const engine = (opt('--engine') ?? 'fast') as 'fast' | 'immer';
  const file = model === 'real' ? resolve(here, '../specs/vfio/default.spec.ts') : resolve(here, 'models', `${model}.spec.ts`);
  const spec = (await import(pathToFileURL(file).href)).default as Spec;
  const constants = Object.fromEntries(params.split(/\s+/).filter(Boolean).map((kv) => {
    const [k, v] = kv.split('=');
    return [k, v === 'true' ? true : v === 'false' ? false : Number(v)];
  }));
  const inst = instantiate(spec, constants);
  const r = check(inst, { workers, memory, engine, module: file });
  const rec: RunRecord = {
    tool: 'migcheck',
    model,
    params,
    workers,
    status: r.status,
    distinct: r.stats.distinct,
    transitions: r.stats.transitions,
    generated: r.stats.generated,
    depth: r.stats.depth,
    wall_s: Number(r.stats.seconds.toFixed(3)),
    process_s: Number(process.uptime().toFixed(3)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    heap_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    store_bytes: r.stats.storeBytes,
  };
  if (r.status === 'incomplete') rec.reason = r.reason;
  if (r.status === 'violation') rec.trace_states = r.violation.trace.length;
  process.stdout.write(JSON.stringify(rec) + '\n');
}

await main(process.argv.slice(2));
