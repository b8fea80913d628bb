// Loader set-up shared by the CLI's main thread (bin/migcheck.js) and the search's worker
// threads (checker/explore/worker-entry.mjs): tsx's TypeScript loader, and resolution of
// `import … from 'migcheck'` (and 'migcheck/model') to this package, so that spec files
// anywhere on disk can import the package. Hooks are per thread: each calls this.
//
// With `dist: true` (the CLI runs from its build, bin/build.js) every import of this
// package's TypeScript sources — `migcheck`, or a spec's relative '../../checker/index.js' —
// is served from dist/, so that a spec and the CLI share one copy of the checker and only
// the spec itself goes through the TypeScript loader.
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url).href;

/** The process-wide record of what bin/migcheck.js set up and what is registered (loaders are per process, once). */
export const LOADERS = Symbol.for('migcheck.loaders');

const registerTsx = () => tsxApi.register();
// Loaded only when the sources run through it (a top-level await keeps the API synchronous).
const tsxApi = globalThis[Symbol.for('migcheck.loaders')]?.dist ? undefined : await import('tsx/esm/api');

export function registerLoaders(opts = {}) {
  const dist = Boolean(opts.dist);
  const base = dist ? `${root}dist/` : root;
  const ext = dist ? '.js' : '.ts';
  const self = {
    migcheck: `${base}checker/index${ext}`,
    'migcheck/model': `${base}model/index${ext}`,
  };
  const esbuild = pathToFileURL(createRequire(import.meta.url).resolve('esbuild')).href;
  const hook = `
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
const self = ${JSON.stringify(self)};
const root = ${JSON.stringify(root)};
const dist = ${JSON.stringify(dist)};
const tsx = ${JSON.stringify(!dist)};
const esbuildUrl = ${JSON.stringify(esbuild)};
const ES = 'migcheck-es';
// A user's .ts file (a spec, a wording, what they import) is compiled here as an ES module,
// whatever the nearest package.json says, and the result is kept in a per-user cache keyed
// by the content: a later run of an unchanged spec skips the compiler.
export async function load(url, context, next) {
  if (context.format !== ES) return next(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256').update(esbuildUrl + '\\0' + file + '\\0' + source).digest('hex').slice(0, 40);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const dir = join(tmpdir(), 'migcheck-' + uid, 'specs');
  const cached = join(dir, key + '.mjs');
  try {
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  } catch {}
  const { transform } = await import(esbuildUrl);
  const out = await transform(source, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: file, sourcemap: 'inline' });
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = cached + '.' + process.pid;
    writeFileSync(tmp, out.code);
    renameSync(tmp, cached);
  } catch {}
  return { format: 'module', source: out.code, shortCircuit: true };
}
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(self, specifier)) return { url: self[specifier], shortCircuit: true };
  let r;
  try {
    r = await next(specifier, context);
  } catch (e) {
    // Without tsx (a build run), a TypeScript file imported by its .js name, as TypeScript
    // projects write it ('../../checker/index.js' for index.ts).
    if (tsx || !/^\\.\\.?\\//.test(specifier) || !/\\.js$/.test(specifier)) throw e;
    r = await next(specifier.replace(/\\.js$/, '.ts'), context);
  }
  if (dist && r.url.startsWith(root) && /\\.ts$/.test(r.url)) {
    const rel = r.url.slice(root.length);
    if (/^(checker|model)\\//.test(rel)) return { ...r, url: root + 'dist/' + rel.replace(/\\.ts$/, '.js'), format: 'module' };
  }
  // A user's .ts file (outside this package and node_modules) is an ES module, with or
  // without a package.json saying "type": "module" (without one, Node and tsx would take it
  // for CommonJS and fail on its first import); the load hook above compiles it. From the
  // build (no tsx) the package's own specs (the default spec, specs/examples) are such files
  // too, also where the package is installed under node_modules; from the sources tsx loads
  // those, as this package's package.json says "type": "module".
  if (/^file:.*\\.m?ts$/.test(r.url)) {
    const user = !r.url.startsWith(root) && !r.url.includes('/node_modules/');
    const own = !tsx && r.url.startsWith(root) && !/^(checker|model|dist)\\//.test(r.url.slice(root.length)) && !r.url.slice(root.length).includes('node_modules/');
    if (user || own) return { ...r, format: ES };
  }
  return r;
}`;
  // From the sources, tsx loads the package's own TypeScript; from the build, nothing but
  // the user's files is TypeScript, and the hook above compiles those: tsx is not needed.
  // This hook first, so that tsx (registered last, run first) wraps it and sees what it
  // resolves ('migcheck' to a .ts file that tsx must then load).
  register('data:text/javascript,' + encodeURIComponent(hook));
  if (!dist) registerTsx();
}

/** Registers the loaders once, if bin/migcheck.js deferred them until a spec is loaded. */
export function ensureLoaders() {
  const st = globalThis[LOADERS];
  if (!st || st.registered) return;
  st.registered = true;
  registerLoaders(st);
}
