// Entry of a search worker thread (explore/parallel.ts): registers the TypeScript loader in
// this thread, so that the worker and the spec module load from their .ts sources, then
// runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
