// Entry of a search worker thread (explore/parallel.ts): registers, in this thread, the
// TypeScript loader and the resolution of `import … from 'migcheck'` to this package (as
// bin/migcheck.js does for the main thread), so that the worker and a spec module anywhere
// on disk load from their .ts sources; then runs the worker.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

const self = {
  migcheck: new URL('../index.ts', import.meta.url).href,
  'migcheck/model': new URL('../../model/index.ts', import.meta.url).href,
};
const hook = `
const self = ${JSON.stringify(self)};
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(self, specifier)) return { url: self[specifier], shortCircuit: true };
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hook));
registerTsx();
await import('./worker.ts');
