// Prints the closing line CI reads: `N passed, N failed` (and skipped, when any).
import type { Reporter, File, Task } from 'vitest';

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

export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = [], errors: unknown[] = []): void {
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
