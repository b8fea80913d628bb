// Prints the closing line CI reads: `N passed, N failed` (and skipped, when any).
import type { Reporter, File, Task } from 'vitest';

function count(tasks: readonly Task[], acc: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.type === 'suite') count(t.tasks, acc);
    else if (t.result?.state === 'pass') acc.passed++;
    else if (t.result?.state === 'fail') acc.failed++;
    else acc.skipped++;
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = [], errors: unknown[] = []): void {
    const acc = { passed: 0, failed: 0, skipped: 0 };
    count(files, acc);
    // A file that failed to load counts as a failure even though it ran no test.
    for (const f of files) if (f.result?.state === 'fail' && f.tasks.length === 0) acc.failed++;
    acc.failed += errors.length;
    process.stdout.write(`\n${acc.passed} passed, ${acc.failed} failed${acc.skipped ? `, ${acc.skipped} skipped` : ''}\n`);
  }
}
