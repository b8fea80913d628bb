// Entry of a search worker thread (explore/parallel.ts). Two ways to load the worker and
// the spec:
//  - bundled (the default): worker.ts and the spec module as one plain ES module
//    (bundle.mjs), imported with no loader thread. The coordinator finds it in the cache
//    when no file that went into it has changed; otherwise the first worker makes it;
//  - through the TypeScript loader, as the CLI's main thread loads them (bin/loaders.js):
//    when the bundle cannot be made or imported, or when MIGCHECK_WORKER_LOADER=tsx.
// `workerData.boot.state` is shared by the pool's workers: 0 while the bundle is being
// made, 1 once it is at `boot.file`, 2 if it could not be made.
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const BUILDING = 0;
const BUILT = 1;
const FAILED = 2;
/** How long the other workers wait for the first one's bundle before loading on their own. */
const BUNDLE_WAIT_MS = 60_000;

const { boot, module } = workerData;
const state = new Int32Array(boot.state);

// A worker that ends (spec code calling process.exit, an exception thrown outside the
// search's calls) says so in its answer slot, which the coordinator, blocked in
// Atomics.wait without an event loop, would otherwise watch for ever.
const ctrl = new Int32Array(workerData.ctrl);
const DEAD = -1;
process.on('exit', () => {
  Atomics.store(ctrl, 1 + workerData.index, DEAD);
  Atomics.notify(ctrl, 1 + workerData.index);
});
const debug = process.env.MIGCHECK_DEBUG ? (s) => process.stderr.write(`[worker] ${s}\n`) : () => {};

if (boot.builder) {
  try {
    const { bundleWorker } = await import('./bundle.mjs');
    await bundleWorker(module, boot.file, boot.meta);
    Atomics.store(state, 0, BUILT);
  } catch (e) {
    debug(`no bundle, loading through the TypeScript loader: ${e?.message ?? e}`);
    Atomics.store(state, 0, FAILED);
  }
  Atomics.notify(state, 0);
} else if (boot.bundle) {
  Atomics.wait(state, 0, BUILDING, BUNDLE_WAIT_MS);
}

let bundled;
if (boot.bundle && Atomics.load(state, 0) === BUILT) {
  try {
    bundled = await import(pathToFileURL(boot.file).href);
  } catch (e) {
    // e.g. a package it imports has moved since it was made; the loader reports real errors
    debug(`the bundle does not load, loading through the TypeScript loader: ${e?.message ?? e}`);
  }
}
if (bundled) {
  await bundled.runWorker(async () => bundled.spec, 'bundle');
} else {
  const { registerLoaders } = await import('../../bin/loaders.js');
  registerLoaders();
  const { runWorker, specUrl } = await import('./worker.ts');
  await runWorker(() => import(specUrl(module)), 'tsx');
}
