// Loader set-up shared by the CLI's main thread (bin/migcheck.js) and the search's worker
// threads (checker/explore/worker-entry.mjs): tsx's TypeScript loader, and resolution of
// `import … from 'migcheck'` (and 'migcheck/model') to this package's sources, so that spec
// files anywhere on disk can import the package. Hooks are per thread: each calls this.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

export function registerLoaders() {
  const self = {
    migcheck: new URL('../checker/index.ts', import.meta.url).href,
    'migcheck/model': new URL('../model/index.ts', import.meta.url).href,
  };
  const hook = `
const self = ${JSON.stringify(self)};
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(self, specifier)) return { url: self[specifier], shortCircuit: true };
  return next(specifier, context);
}`;
  register('data:text/javascript,' + encodeURIComponent(hook));
  registerTsx();
}
