// Whether dist/ (bin/build.js) was built from the sources as they are now: every source
// file has the content hash recorded at build time, and no file was added or removed.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
export const SOURCE_DIRS = ['checker', 'model'];

/** Every TypeScript source file the build compiles (relative paths with '/', sorted). */
export function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name) && !/\.d\.m?ts$/.test(e.name)) out.push(rel);
    }
  };
  for (const d of SOURCE_DIRS) walk(d);
  return out.sort();
}

/** Content hash of each source file. */
export function stamp(files = sourceFiles()) {
  const s = {};
  for (const f of files) s[f] = createHash('sha1').update(readFileSync(join(root, f))).digest('hex');
  return s;
}

export function distIsFresh() {
  try {
    const built = JSON.parse(readFileSync(join(root, 'dist', 'build.json'), 'utf8')).stamp;
    const now = stamp();
    const keys = Object.keys(now);
    return keys.length === Object.keys(built).length && keys.every((k) => built[k] === now[k]);
  } catch {
    return false;
  }
}
