// Entry of a search worker thread (explore/parallel.ts): registers, in this thread, the
// TypeScript loader and the resolution of `import … from 'migcheck'` to this package (the
// same set-up as bin/migcheck.js for the main thread), so that the worker and a spec module
// anywhere on disk load from their .ts sources; then runs the worker.
import { registerLoaders } from '../../bin/loaders.js';

registerLoaders();
await import('./worker.ts');
