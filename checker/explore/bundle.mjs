// Bundles a search worker (worker.ts) and the spec module into one plain ES module, so that
// worker threads start without a TypeScript loader. Registering tsx's loader in a thread
// starts a loader thread of its own, and every import then crosses to it: with two workers
// loading at once next to the search, that took ~0.6 s, while a bundle loads in ~0.1 s
// (docs/decisions/performance-parallel-levels.md).
//
// Plain JavaScript (not TypeScript) because it runs before any loader is registered.
// The bundle behaves as the sources would under the loader:
//  - `import.meta.url` (and `.filename`, `.dirname`) keep the value of the file they are
//    written in, so that a spec can read a file beside it;
//  - `migcheck` and `migcheck/model` are this package, as bin/loaders.js resolves them;
//  - packages from node_modules are not copied in: they are imported by their absolute
//    file: URL, as resolved from the importing file, so each is loaded once, as Node would.
// Anything the bundler cannot do or warns about, and modules that resolve paths at run time
// from their own location, make the caller fall back to the loader (worker-entry.mjs).
//
// Bundles are kept in a per-user cache directory, one per spec file, with the content hash
// of every file that went in: a later run whose files are unchanged loads the bundle at
// once, without bundling (planBundle).

import { readFile, writeFile, rename } from 'node:fs/promises';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = {
  migcheck: fileURLToPath(new URL('../index.ts', import.meta.url)),
  'migcheck/model': fileURLToPath(new URL('../../model/index.ts', import.meta.url)),
};
const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** Bundles kept in the cache; older ones are removed. */
const KEEP = 48;

const sha = (data) => createHash('sha256').update(data).digest('hex');

/** The spec module as a path. */
function specFile(specPath) {
  return specPath.startsWith('file:') ? fileURLToPath(specPath) : specPath;
}

/** This user's cache directory for worker bundles (created private; refused if another user owns it). */
function cacheDir() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const top = join(tmpdir(), `migcheck-${uid ?? 'user'}`);
  mkdirSync(top, { recursive: true, mode: 0o700 });
  const st = statSync(top);
  if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) throw new Error(`${top} is not a private directory of this user`);
  const dir = join(top, 'workers');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Where the bundle for `specPath` lives and whether it is fresh (every file that went into
 * it still has the same content). Throws when there is no usable cache directory.
 */
export function planBundle(specPath) {
  const spec = specFile(specPath);
  let version = '';
  try {
    version = createRequire(import.meta.url)('esbuild/package.json').version;
  } catch {
    // no esbuild: the build will fail and the workers fall back to the loader
  }
  const key = sha([spec, version, process.version, readFileSync(fileURLToPath(import.meta.url), 'utf8')].join('\0')).slice(0, 32);
  const dir = cacheDir();
  const file = join(dir, `${key}.mjs`);
  const meta = join(dir, `${key}.json`);
  let fresh = false;
  try {
    const inputs = JSON.parse(readFileSync(meta, 'utf8')).inputs;
    statSync(file);
    fresh = Object.keys(inputs).length > 0 && Object.entries(inputs).every(([path, hash]) => {
      try {
        return sha(readFileSync(path)) === hash;
      } catch {
        return false;
      }
    });
  } catch {
    fresh = false;
  }
  return { file, meta, fresh };
}

/** The source with `import.meta.url/filename/dirname` replaced by their values for `file`. */
export function pinImportMeta(source, file) {
  return source
    .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(file).href))
    .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(file))
    .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(file)));
}

/**
 * Writes to `out` a module exporting `runWorker` (worker.ts) and `spec` (the namespace of
 * the spec module at `specPath`, a path or a file: URL), and to `meta` the content hash of
 * every file that went in. Throws if the bundler is missing or reports an error.
 */
export async function bundleWorker(specPath, out, meta) {
  const esbuild = await import('esbuild');
  const spec = specFile(specPath);
  const inputs = {};
  const entry = `export { runWorker } from ${JSON.stringify(workerFile)};\nimport * as spec from ${JSON.stringify(spec)};\nexport { spec };\n`;
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: dirname(spec), loader: 'js', sourcefile: 'migcheck-worker-entry.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    sourcemap: false,
    plugins: [
      {
        name: 'migcheck-worker',
        setup(build) {
          build.onResolve({ filter: /^migcheck(\/model)?$/ }, (args) => ({ path: self[args.path] }));
          // A literal import() of a module of the spec's graph is code loaded on demand only
          // (migration.ts so loads the loader of constant files, whose own import() of a
          // computed path cannot be bundled): the bundle leaves it out and imports the file if
          // it is ever asked for. A worker given file constants runs through the loader anyway.
          build.onResolve({ filter: /^\.\.?\// }, async (args) => {
            if (args.kind !== 'dynamic-import' || args.pluginData === 'migcheck-inner') return undefined;
            const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'migcheck-inner' });
            if (r.errors.length > 0) return { errors: r.errors };
            return { path: pathToFileURL(r.path).href, external: true };
          });
          // Bare specifiers other than this package: resolve as esbuild would, keep external.
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === 'migcheck-inner' || args.path.startsWith('node:')) return undefined;
            const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'migcheck-inner' });
            if (r.errors.length > 0) return { errors: r.errors };
            if (r.external) return { path: r.path, external: true };
            return { path: pathToFileURL(r.path).href, external: true };
          });
          build.onLoad({ filter: /\.json$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            inputs[args.path] = sha(source);
            return { contents: source, loader: 'json' };
          });
          build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            inputs[args.path] = sha(source);
            const loader = /\.[cm]?tsx?$/.test(args.path) ? (args.path.endsWith('x') ? 'tsx' : 'ts') : args.path.endsWith('x') ? 'jsx' : 'js';
            // Compiled first, so that comments do not count in the checks below.
            const js = pinImportMeta((await esbuild.transform(source, { loader, format: 'esm', target: 'node20', sourcefile: args.path })).code, args.path);
            // What a bundle cannot keep: a module that resolves paths at run time from its
            // own location (another use of the import meta object, an import() of a
            // computed name) would resolve them from the bundle's; left to the loader.
            const why = /\bimport\s*\.\s*meta\b/.test(js) ? 'a use of the import meta object' : /\bimport\s*\(\s*[^'"`\s]/.test(js) ? 'a dynamic import of a computed name' : undefined;
            if (why) return { errors: [{ text: `${args.path}: ${why} cannot be bundled` }] };
            return { contents: js, loader: 'js' };
          });
        },
      },
    ],
  });
  await esbuild.stop?.();
  // A warning may mean that the bundle does not behave as the sources: leave it to the loader.
  if (result.warnings.length > 0) throw new Error(`bundling ${spec}: ${result.warnings[0].text}`);
  const text = result.outputFiles[0].text;
  // Written under other names and renamed, so that no reader ever sees half a file; the
  // list of inputs last, so that it never vouches for an older bundle.
  const part = `.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
  await writeFile(out + part, text);
  await rename(out + part, out);
  if (meta) {
    await writeFile(meta + part, JSON.stringify({ spec, inputs }));
    await rename(meta + part, meta);
    prune(dirname(out));
  }
}

/** Keeps the newest KEEP bundles of the cache directory. */
function prune(dir) {
  try {
    const bundles = readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of bundles.slice(KEEP)) {
      rmSync(join(dir, f), { force: true });
      rmSync(join(dir, f.replace(/\.mjs$/, '.json')), { force: true });
    }
  } catch {
    // another run pruning at the same time
  }
}
