// Stress test of the parallel search's command protocol (docs/decisions/parallel-lost-command.md):
// many small two-worker checks in a loop, every level through the workers in chunks of 37
// parents, next to busy child processes that load the machine. Before the fix it stalled
// (a worker that never answered) within a few hundred iterations on a loaded 2-core machine;
// the run's REPLY_TIMEOUT_MS then ends it with "did not answer a command".
//
//   node bin/run-ts.js bench/stress-workers.ts [iterations=300] [busy processes=2]
//
// Prints one line per iteration; exits 1 when a result differs from the single-threaded one;
// a worker that does not answer makes the check throw after REPLY_TIMEOUT_MS.
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { check, instantiate } from '../checker/index.js';
import paramsFrom from '../test/checker/fixtures/params-from.spec.js';

const module = fileURLToPath(new URL('../test/checker/fixtures/params-from.spec.ts', import.meta.url));
const parallel = { minLevel: 1, chunk: 37, waitForWorkers: true };
const iterations = Number(process.argv[2] ?? 300);
const busy = Number(process.argv[3] ?? 2);
const kids = Array.from({ length: busy }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
const stopKids = () => kids.forEach((k) => k.kill());
process.on('exit', stopKids);
const cases = [{}, { BUG: 1 }, { OUTSIDE: 1 }] as Record<string, number>[];
const summary = (r: ReturnType<typeof check>) => JSON.stringify([r.status, r.stats.distinct, r.stats.generated, r.stats.depth]);
const expected = cases.map((c) => summary(check(instantiate(paramsFrom, c))));
const t0 = performance.now();
for (let i = 0; i < iterations; i++) {
  const t = performance.now();
  cases.forEach((c, k) => {
    const r = check(instantiate(paramsFrom, c), { workers: 2, parallel, module });
    if (summary(r) !== expected[k]) {
      process.stdout.write(`iteration ${i}, case ${JSON.stringify(c)}: ${summary(r)} instead of ${expected[k]}\n`);
      stopKids();
      process.exit(1);
    }
  });
  process.stdout.write(`${i} ${(performance.now() - t).toFixed(0)} ms\n`);
}
process.stdout.write(`${iterations} iterations in ${((performance.now() - t0) / 1000).toFixed(1)} s, no stall\n`);
stopKids();
