#!/usr/bin/env node
// Builds the package's TypeScript (checker/, model/, and its own specs/) into plain JavaScript
// under dist/, file by file in the same layout, so that the CLI starts without a TypeScript
// loader (bin/migcheck.js), and runs the package's specs without one (checker/cli/load.ts). Run at `npm install` of a checkout (prepare) and at `npm pack` (prepack);
// `node bin/build.js` by hand.
//
// Each file behaves as its source would:
//  - `import.meta.url` is the source file's URL, so that paths computed from it (the package
//    root, data files, the worker entry) stay where they are in the source tree;
//  - an import of a plain .mjs module (which is not copied) names the source file.
// dist/build.json records every source file's content hash (bin/fresh.js); bin/migcheck.js
// uses dist/ only while they are unchanged (and runs the sources through tsx otherwise),
// so a stale build is never run. The specs' hashes are kept apart (`specs`): the CLI imports
// a built spec only while all of them are unchanged, and loads the .ts file otherwise.
import { transform } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { sourceFiles, specFiles, stamp } from './fresh.js';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
async function build() {
  const tmp = join(root, `dist.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const files = sourceFiles();
  const specs = specFiles();
  for (const rel of [...files, ...specs]) {
    const src = join(root, rel);
    // Paths are computed as if in dist/ (the temporary directory is renamed to it).
    const out = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
    const tmpOut = join(tmp, rel.replace(/\.ts$/, '.js'));
    let code = readFileSync(src, 'utf8');
    // Relative, so that the build works wherever the package is installed.
    const back = relative(dirname(out), src).split(sep).join('/');
    code = code.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(back)}, import.meta.url).href`);
    // Plain .mjs modules are not compiled: import them from the source tree.
    code = code.replace(/(from\s+|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+\.mjs)\2/g, (_m, pre, q, spec) => {
      const target = resolve(dirname(src), spec);
      let r = relative(dirname(out), target).split(sep).join('/');
      if (!r.startsWith('.')) r = `./${r}`;
      return `${pre}${q}${r}${q}`;
    });
    const res = await transform(code, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: back, sourcemap: 'inline', sourcesContent: false });
    mkdirSync(dirname(tmpOut), { recursive: true });
    writeFileSync(tmpOut, res.code);
  }
  writeFileSync(join(tmp, 'build.json'), JSON.stringify({ node: process.versions.node, stamp: stamp(files), specs: stamp(specs) }, null, 1) + '\n');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  renameSync(tmp, join(root, 'dist'));
  return files.length + specs.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const n = await build();
  process.stderr.write(`migcheck: built ${n} files into dist/ in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
}
