// Lets the event loop turn between tests. A file whose tests are all synchronous and CPU-bound
// (the differential test runs every spec twice) otherwise never reads vitest's RPC replies
// between tests; once such a file runs longer than vitest's 60 s RPC timeout on a slow or
// busy machine, the pending `onTaskUpdate` call times out and the run reports an error.
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
