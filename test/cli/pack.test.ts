// `npm pack` gives a tarball that installs into a fresh project outside the repository and
// runs there: `migcheck check my.spec.ts` in a CommonJS project and in a folder without a
// package.json, with a Reproduce line that works where the user is.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../specs/discover.js';

const SPEC = [
  "import { defineSpec, model, t } from 'migcheck';",
  "export default defineSpec({ name: 'Mine', setup: () => model({ state: t.int(0, 3), init: 0,",
  '  actions: { Up: { enabled: (s: number) => s < 3, next: (s: number) => s + 1 } }, invariants: { Small: (s: number) => s < 3 } }) });',
].join('\n');

let top: string;
let project: string;

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'migcheck-pack-'));
  // Packed from a copy of the package, so that `prepack` builds dist/ there from the
  // sources as they are, and the repository's own dist/ is left alone.
  const src = join(top, 'migcheck');
  mkdirSync(src);
  for (const d of ['bin', 'checker', 'model', 'specs', 'docs', 'README.md', 'package.json']) cpSync(join(repoRoot, d), join(src, d), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(src, 'node_modules'));
  const pack = npm(['pack', '--pack-destination', top, '--json'], src);
  expect(pack.status, pack.stderr).toBe(0);
  const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  const paths = files.map((f) => f.path);
  for (const p of ['bin/migcheck.js', 'bin/loaders.js', 'bin/fresh.js', 'bin/v8-flags.js', 'dist/build.json', 'dist/checker/cli/main.js', 'checker/index.ts']) expect(paths).toContain(p);
  expect(paths.some((p) => p.startsWith('test/'))).toBe(false);
  project = join(top, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'someone-else', version: '1.0.0', type: 'commonjs' }));
  const inst = npm(['install', '--prefer-offline', '--no-save', join(top, filename)], project);
  expect(inst.status, inst.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('the packed package, installed elsewhere', () => {
  it('checks a spec in a CommonJS project, from the build, and says how to reproduce it there', () => {
    writeFileSync(join(project, 'my.spec.ts'), SPEC);
    const bin = join(project, 'node_modules', '.bin', 'migcheck');
    expect(existsSync(bin)).toBe(true);
    const r = spawnSync(bin, ['check', 'my.spec.ts', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(12);
    const doc = JSON.parse(r.stdout);
    expect(doc.violation.name).toBe('Small');
    expect(doc.reproduce).toBe('npx migcheck check my.spec.ts');
    const fresh = spawnSync(process.execPath, ['--input-type=module', '-e', `import { distIsFresh } from ${JSON.stringify(join(project, 'node_modules', 'migcheck', 'bin', 'fresh.js'))}; process.stdout.write(String(distIsFresh()));`], { encoding: 'utf8' });
    expect(fresh.stdout).toBe('true');
  });

  it("checks the package's own specs where it is installed: the default spec, and one named by its path", () => {
    const bin = join(project, 'node_modules', '.bin', 'migcheck');
    const def = spawnSync(bin, ['check', '--max-states', '50', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    expect(def.status, def.stderr).toBe(14);
    expect(JSON.parse(def.stdout).spec.name).toBe('VfioMigration');
    const dh = spawnSync(bin, ['check', 'node_modules/migcheck/specs/examples/die-hard.spec.ts', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    expect(dh.status, dh.stderr).toBe(12);
    expect(JSON.parse(dh.stdout).violation.name).toBe('BigNotGoal');
  });

  it('checks a spec in a folder without a package.json (using the installed bin by path)', () => {
    const loose = join(top, 'loose');
    mkdirSync(loose);
    writeFileSync(join(loose, 'my.spec.ts'), SPEC);
    const r = spawnSync(join(project, 'node_modules', '.bin', 'migcheck'), ['check', 'my.spec.ts', '--format', 'json'], { cwd: loose, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(12);
    // Not installed here: the line names the bin script.
    expect(JSON.parse(r.stdout).reproduce).toMatch(/^node \S+\/bin\/migcheck\.js check my\.spec\.ts$/);
  });
});
