import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/summary-reporter.ts'],
    pool: 'forks',
    // Spec type-checking (checker/cli/typecheck.ts) costs a second or so per new spec; the
    // suite's specs are type-checked by `tsc --noEmit`, and test/cli/typecheck.test.ts
    // turns it back on.
    env: { MIGCHECK_NO_TYPECHECK: '1' },
  },
});
