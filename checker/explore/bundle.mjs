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
// Anything the bundler cannot do makes the caller fall back to the loader (worker-entry.mjs).

import { readFile, writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = {
  migcheck: fileURLToPath(new URL('../index.ts', import.meta.url)),
  'migcheck/model': fileURLToPath(new URL('../../model/index.ts', import.meta.url)),
};
const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** The source with `import.meta.url/filename/dirname` replaced by their values for `file`. */
export function pinImportMeta(source, file) {
  return source
    .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(file).href))
    .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(file))
    .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(file)));
}

/**
 * Writes to `out` a module exporting `runWorker` (worker.ts) and `spec` (the namespace of
 * the spec module at `specPath`, a path or a file: URL). Throws if the bundler is missing
 * or reports an error.
 */
export async function bundleWorker(specPath, out) {
  const esbuild = await import('esbuild');
  const spec = specPath.startsWith('file:') ? fileURLToPath(specPath) : specPath;
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
          // Bare specifiers other than this package: resolve as esbuild would, keep external.
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === 'migcheck-inner' || args.path.startsWith('node:')) return undefined;
            const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'migcheck-inner' });
            if (r.errors.length > 0) return { errors: r.errors };
            if (r.external) return { path: r.path, external: true };
            return { path: pathToFileURL(r.path).href, external: true };
          });
          build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8');
            const ts = /\.[cm]?tsx?$/.test(args.path);
            return { contents: pinImportMeta(source, args.path), loader: ts ? (args.path.endsWith('x') ? 'tsx' : 'ts') : args.path.endsWith('x') ? 'jsx' : 'js' };
          });
        },
      },
    ],
  });
  await esbuild.stop?.();
  const text = result.outputFiles[0].text;
  // Written under another name and renamed, so that no reader ever sees half a file.
  const tmp = `${out}.${process.pid}.part`;
  await writeFile(tmp, text);
  await rename(tmp, out);
}
