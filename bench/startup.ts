// `npm run bench -- --startup`: whole-process start-up of the CLI, the way a user or CI
// runs it: `node bin/migcheck.js --version`, and checking specs/examples/die-hard.spec.ts
// (a few milliseconds of search), from the build (dist/) and from the sources through the
// TypeScript loader (MIGCHECK_FROM_SOURCE=1), next to a bare `node -e 0`. Each is run
// `reps` times; the median wall time is reported, with the machine's load average, since
// on a shared machine the numbers move with it.

import { spawnSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { resolve } from 'node:path';

interface Case {
  label: string;
  args: string[];
  env?: Record<string, string>;
  /** The exit code the command must give (a run that fails is not a start-up figure). */
  code: number;
}

export interface StartupRow {
  label: string;
  median: number;
  min: number;
}

export function startupBench(root: string, reps = 9): { rows: StartupRow[]; load: number[]; cores: number } {
  const bin = resolve(root, 'bin', 'migcheck.js');
  const build = spawnSync(process.execPath, [resolve(root, 'bin', 'build.js')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`bin/build.js failed: ${build.stderr}`);
  const cases: Case[] = [
    { label: 'node -e 0 (baseline)', args: ['-e', '0'], code: 0 },
    { label: 'migcheck --version', args: [bin, '--version'], code: 0 },
    { label: 'migcheck check die-hard (build)', args: [bin, 'check', 'specs/examples/die-hard.spec.ts'], code: 12 },
    { label: 'migcheck check die-hard --workers 2 (build)', args: [bin, 'check', 'specs/examples/die-hard.spec.ts', '--workers', '2'], code: 12 },
    { label: 'migcheck check die-hard (sources, tsx)', args: [bin, 'check', 'specs/examples/die-hard.spec.ts'], env: { MIGCHECK_FROM_SOURCE: '1' }, code: 12 },
  ];
  const load = loadavg();
  const rows = cases.map((c) => {
    const times: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, c.args, { cwd: root, env: { ...process.env, ...c.env }, stdio: ['ignore', 'ignore', 'pipe'] });
      const t = (performance.now() - t0) / 1000;
      if (r.status !== c.code) throw new Error(`${c.label}: exit ${r.status}, expected ${c.code}: ${r.stderr}`);
      if (i > 0) times.push(t); // the first run warms the file cache and the spec cache
    }
    times.sort((a, b) => a - b);
    return { label: c.label, median: times[Math.floor(times.length / 2)], min: times[0] };
  });
  return { rows, load, cores: cpus().length };
}

export function startupTable(r: ReturnType<typeof startupBench>): string {
  const lines = ['| command | median (s) | best (s) |', '|---|---:|---:|'];
  for (const row of r.rows) lines.push(`| ${row.label} | ${row.median.toFixed(3)} | ${row.min.toFixed(3)} |`);
  lines.push('', `${r.cores} cores, load average ${r.load.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min) at the start.`);
  return lines.join('\n') + '\n';
}
