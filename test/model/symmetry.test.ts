// Symmetry of units (issue 15, item 2; docs/decisions/symmetry-of-units.md). Under the
// SYMMETRY option read() sends a kind's records in the order of the units' data and the
// model declares the units interchangeable. For every driver x user pair at small sizes:
// the model commutes with every permutation of units (checkSymmetry), the symmetric search
// gives the verdict, the violated property and the trace length of the full search, and
// the index-ordered model (SYMMETRY off, today's default) gives the same verdict.
// Counterexamples of the symmetric search are traces of the model (replayed step by step).

import { describe, expect, it } from 'vitest';
import { check, checkSymmetry, equal, instantiate, Successors, type CheckResult, type Instance } from '../../checker/index.js';
import { migrationSpec } from '../../model/datapath/migration.js';
import { DRIVER_NAMES } from '../../model/drivers/index.js';
import { userNames } from '../../model/users/index.js';
import { main } from '../../checker/cli/main.js';

const spec = migrationSpec({ name: 'Symmetry', doc: 'the migration model with its constants' });
const indexOrdered = migrationSpec({ name: 'IndexOrder', doc: 'SYMMETRY declared over index-ordered reads', readOrder: 'index' });

const PAIRS = DRIVER_NAMES.flatMap((driver) => userNames().map((user) => ({ driver, user })));

type Size = { UNITS: number; MAX_VERSION: number };

const verdict = (r: CheckResult) =>
  r.status === 'violation' ? { status: r.status, kind: r.violation.kind, name: r.violation.name, length: r.violation.trace.length } : { status: r.status };

/** The SYMMETRY model of a pair (reduced search), the same instance without its symmetry (full search), and the index-ordered default. */
function models(driver: string, user: string, size: Size) {
  const sym = instantiate(spec, { DRIVER: driver, USER: user, ...size, SYMMETRY: true }) as Instance;
  return { sym, full: { ...sym, symmetry: [] } as Instance, index: instantiate(spec, { DRIVER: driver, USER: user, ...size }) as Instance };
}

/** Each state of the trace is an initial state or a successor (by the step's label) of the one before, in the model without symmetry. */
function replaysOnFullModel(full: Instance, r: CheckResult): void {
  if (r.status !== 'violation') return;
  const succ = new Successors(full);
  const states = r.violation.trace.map((s) => s.state);
  expect(full.init.some((s) => equal(succ.copy(s), succ.copy(states[0])))).toBe(true);
  for (let k = 1; k < states.length; k++) {
    const next = [...succ.successors(states[k - 1])].filter((e) => equal(succ.copy(e.state), succ.copy(states[k])));
    expect(next.map((e) => e.label), `step ${k}: ${r.violation.trace[k].label}`).toContain(r.violation.trace[k].label);
  }
}

describe('symmetry of units', () => {
  it('catches the index-ordered model as not symmetric: read() of the lowest unit is not kept by a permutation', () => {
    const r = checkSymmetry(instantiate(indexOrdered, { SYMMETRY: true }) as Instance);
    expect(r.status).toBe('asymmetric');
    if (r.status !== 'asymmetric') return;
    expect(r.permutation).toBe('0->1 1->0');
    expect(r.reason).toMatch(/^the step src: read\(3\) = \[initial unit \d v\d\] of the (permuted )?state reaches an orbit that no step/);
  });

  it('declares no symmetry without SYMMETRY; with it, canonicalises the viewed state by sorting the units\' columns in the packed words', () => {
    expect(instantiate(spec, {}).symmetry ?? []).toEqual([]);
    const succ = new Successors(instantiate(spec, { SYMMETRY: true }) as Instance);
    expect(succ.viewSymmetry?.form).toBe('packed columns');
  });

  it('the SYMMETRY model commutes with every permutation of units on every reachable orbit (reference x qemu-like, UNITS=2 and 3)', () => {
    expect(checkSymmetry(models('reference', 'qemu-like', { UNITS: 2, MAX_VERSION: 1 }).sym)).toMatchObject({ status: 'symmetric', permutations: 2, complete: true });
    expect(checkSymmetry(models('reference', 'qemu-like', { UNITS: 3, MAX_VERSION: 1 }).sym, { maxStates: 2000 })).toMatchObject({ status: 'symmetric', permutations: 6 });
  });

  // Every pair: equivariance on the first orbits (breadth-first) at UNITS=3 (all 6
  // permutations), and the three searches at UNITS=2 MAX_VERSION=1.
  for (const { driver, user } of PAIRS) {
    it(`${driver} x ${user}: symmetric, and the symmetric, full and index-ordered searches agree`, () => {
      const three = models(driver, user, { UNITS: 3, MAX_VERSION: 1 });
      expect(checkSymmetry(three.sym, { maxStates: 150 })).toMatchObject({ status: 'symmetric', permutations: 6 });
      const { sym, full, index } = models(driver, user, { UNITS: 2, MAX_VERSION: 1 });
      const rs = check(sym, {});
      const rf = check(full, {});
      const ri = check(index, {});
      expect(verdict(rs)).toEqual(verdict(rf));
      expect(verdict(ri)).toEqual(verdict(rf));
      if (rs.status === 'ok') expect(rs.stats.distinct).toBeLessThan(rf.stats.distinct);
      replaysOnFullModel(full, rs);
    });
  }

  // Larger sizes for the pairs with a violation or much behaviour, where a wrong reduction would show.
  for (const [driver, user, size] of [
    ['reference', 'qemu-like', { UNITS: 3, MAX_VERSION: 1 }],
    ['broken-misses-p2p-dirty', 'qemu-like', { UNITS: 3, MAX_VERSION: 1 }],
    ['broken-forgets-initial', 'adversarial', { UNITS: 2, MAX_VERSION: 2 }],
    ['virtio', 'qemu-like', { UNITS: 3, MAX_VERSION: 2 }],
  ] as const) {
    it(`${driver} x ${user} at UNITS=${size.UNITS} MAX_VERSION=${size.MAX_VERSION}: the same verdict and trace length, a replayed trace`, () => {
      const { sym, full, index } = models(driver, user, size);
      const rs = check(sym, {});
      const rf = check(full, {});
      expect(verdict(rs)).toEqual(verdict(rf));
      expect(verdict(check(index, {}))).toEqual(verdict(rf));
      replaysOnFullModel(full, rs);
    });
  }

  it('gives the same counts and counterexample with two workers (the default spec, SYMMETRY on)', async () => {
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const code = await main(['check', '--symmetry', 'true', '--max-version', '1', '--format', 'json', ...args], { out: (s: string) => void out.push(s), err: () => {} });
      const doc = JSON.parse(out.join('')) as { status: string; stats: { distinct: number; generated: number }; trace?: { label: string }[] };
      return { code, status: doc.status, distinct: doc.stats.distinct, generated: doc.stats.generated, trace: doc.trace?.map((x) => x.label) };
    };
    for (const extra of [[], ['--driver', 'broken-misses-p2p-dirty']]) {
      const one = await run(...extra);
      expect(await run(...extra, '--workers', '2')).toEqual(one);
    }
  });

  // The fast engine canonicalises the overlay view on packed words (Successors.fingerprint);
  // the immer reference builds the viewed object and canonicalises that: the same orbits.
  it('gives the same counts and counterexample on packed words as the immer reference (overlay view under symmetry)', () => {
    for (const driver of ['reference', 'broken-misses-p2p-dirty']) {
      const inst = instantiate(spec, { DRIVER: driver, UNITS: 2, MAX_VERSION: 1, SYMMETRY: true }) as Instance;
      const fast = check(inst, {});
      const ref = check(inst, { engine: 'immer' });
      expect({ ...verdict(fast), distinct: fast.stats.distinct, generated: fast.stats.generated })
        .toEqual({ ...verdict(ref), distinct: ref.stats.distinct, generated: ref.stats.generated });
      if (fast.status === 'violation' && ref.status === 'violation')
        expect(fast.violation.trace.map((x) => x.label)).toEqual(ref.violation.trace.map((x) => x.label));
    }
  });

  it('check --check-symmetry on the default spec: symmetric with --symmetry true; without it there is no symmetry to check (exit 150)', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) };
    expect(await main(['check', '--check-symmetry', '--symmetry', 'true', '--max-states', '300'], io)).toBe(0);
    expect(out.join('')).toMatch(/^symmetric: .* commutes with all 2 permutations on 300 of the reachable orbits/);
    out.length = 0;
    expect(await main(['check', '--check-symmetry'], io)).toBe(150);
    expect(out.join('')).toMatch(/declares no symmetry/);
  });
});
