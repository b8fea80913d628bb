// The built CLI (bin/build.js → dist/), in a copy of the package so that the repository's
// own dist/ is not touched: it runs checks (also with worker threads), is used only while it
// matches the sources, and a spec outside any package (no package.json) loads.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../specs/discover.js';

let pkg: string;
let away: string;

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(pkg, 'bin', 'migcheck.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, MIGCHECK_DEBUG: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  const top = mkdtempSync(join(tmpdir(), 'migcheck-build-'));
  pkg = join(top, 'migcheck');
  mkdirSync(pkg);
  for (const d of ['bin', 'checker', 'model', 'specs']) cpSync(join(repoRoot, d), join(pkg, d), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(pkg, 'node_modules'));
  const b = spawnSync(process.execPath, [join(pkg, 'bin', 'build.js')], { encoding: 'utf8' });
  expect(b.status, b.stderr).toBe(0);
  away = join(top, 'elsewhere');
  mkdirSync(away);
}, 60_000);
afterAll(() => rmSync(join(pkg, '..'), { recursive: true, force: true }));

describe('the built CLI', () => {
  it('builds every source file and records its hash', () => {
    expect(existsSync(join(pkg, 'dist', 'checker', 'cli', 'main.js'))).toBe(true);
    const stamp = JSON.parse(readFileSync(join(pkg, 'dist', 'build.json'), 'utf8')).stamp as Record<string, string>;
    expect(Object.keys(stamp)).toContain('checker/cli/kit.ts');
  });

  it('checks a spec, also with two workers, with the same result as from the sources', () => {
    const spec = 'specs/examples/die-hard.spec.ts';
    const built = run(['check', spec, '--format', 'json'], pkg);
    const src = run(['check', spec, '--format', 'json'], pkg, { MIGCHECK_FROM_SOURCE: '1' });
    const two = run(['check', spec, '--format', 'json', '--workers', '2'], pkg);
    for (const r of [built, src, two]) expect(r.code, r.err).toBe(12);
    const counts = (r: { out: string }) => JSON.parse(r.out).stats.distinct as number;
    expect(counts(built)).toBe(14);
    expect(counts(src)).toBe(14);
    expect(counts(two)).toBe(14);
  });

  it('loads a .ts spec from a folder without a package.json, importing migcheck', () => {
    writeFileSync(join(away, 'mine.spec.ts'), [
      "import { defineSpec, model, t } from 'migcheck';",
      "export default defineSpec({ name: 'Mine', setup: () => model({ state: t.int(0, 3), init: 0,",
      '  actions: { Up: { enabled: (s: number) => s < 3, next: (s: number) => s + 1 } }, terminal: (s: number) => s === 3 }) });',
    ].join('\n'));
    // From the build, and from the sources (tsx, which alone would take the file for CommonJS).
    for (const env of [{}, { MIGCHECK_FROM_SOURCE: '1' }] as Record<string, string>[]) {
      const r = run(['check', 'mine.spec.ts', '--format', 'json'], away, env);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).stats.distinct).toBe(4);
      // Where the user is, the package is not installed: the reproduce command names its bin script.
      expect(JSON.parse(r.out).reproduce).toMatch(/^node \S*bin\/migcheck\.js check mine\.spec\.ts/);
    }
  });

  it("runs the package's own specs from their built copy, and from the .ts file once a spec changes", () => {
    const stamp = JSON.parse(readFileSync(join(pkg, 'dist', 'build.json'), 'utf8')).specs as Record<string, string>;
    expect(Object.keys(stamp)).toContain('specs/vfio/default.spec.ts');
    // The built copy is what runs: a name changed there (only there) shows in the result.
    const built = join(pkg, 'dist', 'specs', 'examples', 'hour-clock.spec.js');
    writeFileSync(built, readFileSync(built, 'utf8').replace(/name: "([^"]+)"/, 'name: "$1FromDist"'));
    const spec = 'specs/examples/hour-clock.spec.ts';
    const name = (r: { out: string }) => JSON.parse(r.out).spec.name as string;
    const a = run(['check', spec, '--format', 'json'], pkg);
    expect(a.code, a.err).toBe(0);
    expect(name(a)).toMatch(/FromDist$/);
    // Any spec file edited since the build: the .ts files run, through the loader.
    appendFileSync(join(pkg, 'specs', 'examples', 'die-hard.spec.ts'), '\n// changed after the build\n');
    const b = run(['check', spec, '--format', 'json'], pkg);
    expect(b.code, b.err).toBe(0);
    expect(name(b)).not.toMatch(/FromDist$/);
    expect(JSON.parse(b.out).stats.distinct).toBe(JSON.parse(a.out).stats.distinct);
  });

  it('is not used once a source file changes (the sources run instead)', () => {
    appendFileSync(join(pkg, 'checker', 'cli', 'exit.ts'), '\n// changed after the build\n');
    const r = run(['check', 'specs/examples/die-hard.spec.ts', '--format', 'json'], pkg);
    expect(r.code, r.err).toBe(12);
    const fresh = spawnSync(process.execPath, ['--input-type=module', '-e', `import { distIsFresh } from ${JSON.stringify(join(pkg, 'bin', 'fresh.js'))}; process.stdout.write(String(distIsFresh()));`], { encoding: 'utf8' });
    expect(fresh.stdout).toBe('false');
  });
});
