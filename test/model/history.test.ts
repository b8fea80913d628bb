// The kernel's bug history as a regression suite (specs/vfio/history/): every spec there
// names its bug (fix commit, release, property), its broken twin fails exactly that property
// with the trace its expect block pins, and its fixed twin passes. The golden test runs the
// same expect blocks; this test holds each history spec to that shape, so a history spec
// cannot silently turn into one that pins nothing, and keeps the docs' table in step.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, instantiate } from '../../checker/index.js';
import { main } from '../../checker/cli/main.js';
import type { KernelBug } from '../../model/datapath/migration.js';
import { findSpecFiles, repoRoot, type AnySpec } from '../specs/discover.js';

const files = findSpecFiles('specs/vfio/history');
const docs = readFileSync(resolve(repoRoot, 'docs/vfio-model.md'), 'utf8');

describe('specs/vfio/history', () => {
  it('holds the bugs the issue names, and more', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    describe(file, async () => {
      const mod = (await import(resolve(repoRoot, file))) as { default: AnySpec; bug?: KernelBug };
      const spec = mod.default;
      const bug = mod.bug;

      it('names its bug: title, 12-digit fix commit, release, property', () => {
        expect(bug).toBeDefined();
        expect(bug!.commit).toMatch(/^[0-9a-f]{12}$/);
        expect(bug!.release).toMatch(/^v\d+\.\d+$/);
        expect(bug!.title.length).toBeGreaterThan(10);
      });

      it('the broken twin fails the named property with the pinned shortest trace', () => {
        const e = spec.expect!.find((x) => (x.constants?.TWIN ?? 'broken') === 'broken' && !x.constants?.USER)!;
        expect(e.status).toBe('violation');
        expect(e.violation?.name).toBe(bug!.property);
        expect(e.trace?.length).toBeGreaterThan(1);
        const r = check(instantiate(spec, e.constants ?? {}), {});
        expect(r.status).toBe('violation');
        if (r.status !== 'violation') return;
        expect(r.violation.name).toBe(bug!.property);
        expect(r.violation.trace.map((s) => s.label)).toEqual(e.trace);
      });

      it('the fixed twin passes', () => {
        const e = spec.expect!.find((x) => x.constants?.TWIN === 'fixed' && !x.constants?.USER)!;
        expect(e.status).toBe('ok');
        const r = check(instantiate(spec, e.constants ?? {}), {});
        expect(r.status).toBe('ok');
        expect(r.stats.distinct).toBe(e.distinct);
      });

      it('has its row in the docs table with the real trace length', () => {
        const e = spec.expect!.find((x) => (x.constants?.TWIN ?? 'broken') === 'broken' && !x.constants?.USER)!;
        const row = docs.split('\n').find((l) => l.startsWith('|') && l.includes(bug!.commit) && l.includes(file.split('/').pop()!));
        expect(row, `docs/vfio-model.md has no history row for ${bug!.commit} (${file})`).toBeDefined();
        const cells = row!.split('|').map((c) => c.trim());
        expect(cells).toContain(bug!.release);
        expect(cells).toContain(`\`${bug!.property}\``);
        expect(cells).toContain(String(e.trace!.length - 1));
      });
    });
  }
});

// The commands docs/vfio-model.md shows under "Bug history", with the exit code and the
// property each comment names.
const section = docs.slice(docs.indexOf('\n## Bug history'));
const commands = [...(section.match(/```\n([\s\S]*?)\n```/)?.[1] ?? '').split('\n').entries()]
  .map(([, l]) => l.match(/^(npx migcheck [^#]+?)\s+# exit (\d+)(?:, (\w+))?$/))
  .filter((m): m is RegExpMatchArray => m !== null);

describe('docs/vfio-model.md: the bug history commands', () => {
  it('shows the commands', () => expect(commands.length).toBeGreaterThanOrEqual(2));
  for (const m of commands) {
    it(m[1], async () => {
      let out = '';
      const sink = (s: string) => { out += s; };
      const code = await main(m[1].replace(/^npx migcheck /, '').split(' '), { out: sink, err: sink, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
      expect(code, out).toBe(Number(m[2]));
      if (m[3]) expect(out).toContain(m[3]);
    });
  }
});

