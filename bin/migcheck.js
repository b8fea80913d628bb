#!/usr/bin/env node
// Registers the TypeScript loader (the checker and specs run from source) and makes
// `import … from 'migcheck'` resolve to this package from spec files anywhere on disk,
// then runs the CLI.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

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
const { run } = await import('../checker/cli/main.ts');
await run(process.argv.slice(2));
