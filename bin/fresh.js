// Whether dist/ (bin/build.js) was built from the sources as they are now: every source
// file has the content hash recorded at build time, and no file was added or removed.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
export const SOURCE_DIRS = ['checker', 'model'];
/**
 * The package's own specs, built too (dist/specs/) but stamped apart: the CLI imports a
 * built spec only while every file there is unchanged (distSpecsAreFresh), and an edited
 * spec does not make the CLI itself run from the sources.
 */
export const SPEC_DIRS = ['specs'];

/** Every TypeScript file under `dirs` (relative paths with '/', sorted). */
function tsFiles(dirs) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name) && !/\.d\.m?ts$/.test(e.name)) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/** Every TypeScript source file of the CLI the build compiles (relative paths with '/', sorted). */
export function sourceFiles() {
  return tsFiles(SOURCE_DIRS);
}

/** Every spec file (and spec helper) the build compiles. */
export function specFiles() {
  return tsFiles(SPEC_DIRS);
}

/** Content hash of each source file. */
export function stamp(files = sourceFiles()) {
  const s = {};
  for (const f of files) s[f] = createHash('sha1').update(readFileSync(join(root, f))).digest('hex');
  return s;
}

/** Whether the stamp recorded under `key` of dist/build.json is the stamp of `files` now. */
function matches(key, files) {
  try {
    const built = JSON.parse(readFileSync(join(root, 'dist', 'build.json'), 'utf8'))[key];
    const now = stamp(files);
    const keys = Object.keys(now);
    return built !== undefined && keys.length === Object.keys(built).length && keys.every((k) => built[k] === now[k]);
  } catch {
    return false;
  }
}

export function distIsFresh() {
  return matches('stamp', sourceFiles());
}

/** Whether dist/specs/ was built from the package's specs as they are now (and dist/ itself is fresh). */
export function distSpecsAreFresh() {
  return matches('specs', specFiles());
}
