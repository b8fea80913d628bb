// Prints the closing line CI reads: `N passed, N failed` (and skipped, when any).
import type { Reporter, File, Task, TaskResultPack } from 'vitest';
import type { Vitest } from 'vitest/node';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function count(tasks: readonly Task[], acc: Counts): void {
  for (const t of tasks) {
    if (t.type === 'suite') count(t.tasks, acc);
    else if (t.result?.state === 'pass') acc.passed++;
    else if (t.result?.state === 'fail') acc.failed++;
    else acc.skipped++;
  }
}

/** Silence (no test started or finished) after which the running tests are named on stderr. */
const QUIET_MS = 180_000;
/** Silence after which the run is given up: a hang fails CI in minutes instead of at its time limit. */
const GIVE_UP_MS = 900_000;

function running(tasks: readonly Task[], path: string, out: string[]): void {
  for (const t of tasks) {
    const name = `${path} > ${t.name}`;
    if (t.type === 'suite') running(t.tasks, name, out);
    else if (t.result?.state === 'run') out.push(name);
  }
}

export default class SummaryReporter implements Reporter {
  private ctx?: Vitest;
  private last = Date.now();
  private timer?: ReturnType<typeof setInterval>;

  onInit(ctx: Vitest): void {
    this.ctx = ctx;
    this.timer = setInterval(() => this.watch(), 30_000);
    this.timer.unref();
  }

  onTaskUpdate(_packs: TaskResultPack[]): void {
    this.last = Date.now();
  }

  /** A watchdog: names the tests still running after a long silence, and gives up after a longer one. */
  private watch(): void {
    const quiet = Date.now() - this.last;
    if (quiet < QUIET_MS) return;
    const names: string[] = [];
    for (const f of this.ctx?.state.getFiles() ?? []) {
      if (f.result?.state === 'run' || f.result === undefined) running(f.tasks, f.name, names);
    }
    process.stderr.write(`\nsummary-reporter: no test has started or finished for ${Math.round(quiet / 1000)} s; running: ${names.join('; ') || '(none: a file is being collected or vitest itself waits)'}\n`);
    if (quiet >= GIVE_UP_MS) {
      process.stderr.write('summary-reporter: giving up on a hung run\n');
      this.onFinished(this.ctx?.state.getFiles() ?? [], [new Error('hung')]);
      process.exit(1);
    }
  }

  onFinished(files: File[] = [], errors: unknown[] = []): void {
    if (this.timer) clearInterval(this.timer);
    const acc: Counts = { passed: 0, failed: 0, skipped: 0 };
    for (const f of files) {
      const own: Counts = { passed: 0, failed: 0, skipped: 0 };
      count(f.tasks, own);
      // A file that failed outside any test (collection error, empty suite, hook failure)
      // counts as one failure even though none of its tests failed.
      if (f.result?.state === 'fail' && own.failed === 0) own.failed = 1;
      acc.passed += own.passed;
      acc.failed += own.failed;
      acc.skipped += own.skipped;
    }
    acc.failed += errors.length;
    process.stdout.write(`\n${acc.passed} passed, ${acc.failed} failed${acc.skipped ? `, ${acc.skipped} skipped` : ''}\n`);
  }
}
