import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../checker/index.js';
import {
  KERNEL_TABLE, FEATURE_SETS, STATES, describeFeatureSet, nextStep, walk, loadTable, tableFromJson, withNextSteps,
  checkTable, opensSession, endsSession, mandatoryArcs, isSupported, parseFeatures, supportedStates, driveSet,
  type FeatureSet, type MigState, type StepFunction, type Rule, type Arc, type PairOutcome,
} from '../../model/index.js';

const fixturePath = fileURLToPath(new URL('../fixtures/kernel-fsm.json', import.meta.url));
const kernel = JSON.parse(readFileSync(fixturePath, 'utf8')) as {
  paths: Record<FeatureSet, Record<string, PairOutcome>>;
  mandatoryArcs: Record<FeatureSet, Arc[]>;
  sessionArcs: { opensNewFd: Arc[]; terminatesSession: Arc[]; keepsSession: Arc[] };
  savingGroup: MigState[];
};

const rulesBroken = (table: Parameters<typeof checkTable>[0], f: FeatureSet, step?: StepFunction): Rule[] =>
  [...new Set(checkTable(table, f, { step }).map((x) => x.rule))];

describe('the kernel table reproduces kernel-fsm.json', () => {
  for (const f of FEATURE_SETS) {
    it(`gives the kernel's result, path and data_fd for all 64 pairs of ${f}`, () => {
      const model = describeFeatureSet(KERNEL_TABLE, f);
      const want = kernel.paths[f];
      expect(Object.keys(model)).toEqual(Object.keys(want));
      for (const [pair, k] of Object.entries(want)) {
        const m = model[pair as Arc];
        expect({ pair, result: m.result, path: m.path, dataFd: m.dataFd }).toEqual({ pair, result: k.result, path: k.path, dataFd: k.dataFd });
      }
    });

    it(`gives the kernel's arcs, closed sessions, interior saving states and WARN_ONs for ${f}`, () => {
      const model = describeFeatureSet(KERNEL_TABLE, f);
      for (const [pair, k] of Object.entries(kernel.paths[f])) {
        const m = model[pair as Arc];
        for (const key of ['arcs', 'closesSession', 'interiorSavingStates', 'warnOn', 'errno'] as const)
          expect({ pair, key, v: m[key] }).toEqual({ pair, key, v: k[key] });
      }
    });

    it(`obeys every rule for ${f}`, () => {
      expect(checkTable(KERNEL_TABLE, f)).toEqual([]);
    });
  }

  it('loads kernel-fsm.json itself as a table equal to the built-in one', () => {
    const t = loadTable(fixturePath);
    expect(t.nextStep).toEqual(KERNEL_TABLE.nextStep);
    expect(t.stateFlags).toEqual(KERNEL_TABLE.stateFlags);
    expect(t.savingGroup).toEqual(kernel.savingGroup);
    for (const f of FEATURE_SETS) expect([...mandatoryArcs(t, f)].sort()).toEqual([...kernel.mandatoryArcs[f]].sort());
  });

  it('opens and ends sessions exactly on the arcs kernel-fsm.json lists (SAVE-1, SAVE-3)', () => {
    const all = new Set(FEATURE_SETS.flatMap((f) => mandatoryArcs(KERNEL_TABLE, f)));
    for (const a of all) {
      const [from, to] = a.split('->') as [MigState, MigState];
      expect({ a, opens: opensSession(from, to) !== null }).toEqual({ a, opens: kernel.sessionArcs.opensNewFd.includes(a) });
      expect({ a, ends: endsSession(from, to) }).toEqual({ a, ends: kernel.sessionArcs.terminatesSession.includes(a) });
    }
    for (const a of kernel.sessionArcs.keepsSession) {
      const [from, to] = a.split('->') as [MigState, MigState];
      expect([opensSession(from, to), endsSession(from, to)]).toEqual([null, false]);
    }
    expect(opensSession('STOP', 'RESUMING')).toBe('resume');
    expect(opensSession('RUNNING_P2P', 'PRE_COPY_P2P')).toBe('save');
  });
});

describe('the next-step function (KERN-1, KERN-2)', () => {
  it('skips states the feature set does not support', () => {
    // RUNNING->STOP on a device without P2P: the table says RUNNING_P2P, which is skipped.
    expect(nextStep(KERNEL_TABLE, 'STOP_COPY', 'RUNNING', 'STOP')).toEqual({ kind: 'step', next: 'STOP', skipped: ['RUNNING_P2P'] });
    expect(nextStep(KERNEL_TABLE, 'STOP_COPY|P2P', 'RUNNING', 'STOP')).toEqual({ kind: 'step', next: 'RUNNING_P2P', skipped: [] });
  });

  it('refuses ERROR and unsupported targets, and WARNs on an unsupported current state', () => {
    expect(nextStep(KERNEL_TABLE, 'STOP_COPY', 'RUNNING', 'ERROR')).toMatchObject({ kind: 'einval', reason: 'target-unsupported', warnOn: false });
    expect(nextStep(KERNEL_TABLE, 'STOP_COPY', 'RUNNING', 'PRE_COPY')).toMatchObject({ kind: 'einval', reason: 'target-unsupported' });
    expect(nextStep(KERNEL_TABLE, 'STOP_COPY', 'ERROR', 'RUNNING')).toMatchObject({ kind: 'einval', reason: 'cur-unsupported', warnOn: true });
  });

  it('refuses a step that lands on ERROR (FSM-11)', () => {
    expect(nextStep(KERNEL_TABLE, 'STOP_COPY|PRE_COPY', 'STOP_COPY', 'PRE_COPY')).toMatchObject({ kind: 'einval', reason: 'error-step' });
  });

  it('reports a skip loop among unsupported states instead of spinning', () => {
    const t = withNextSteps(KERNEL_TABLE, { RUNNING: { STOP: 'RUNNING_P2P' }, RUNNING_P2P: { STOP: 'PRE_COPY' }, PRE_COPY: { STOP: 'RUNNING_P2P' } });
    expect(nextStep(t, 'STOP_COPY', 'RUNNING', 'STOP')).toEqual({ kind: 'does-not-terminate', cycle: ['RUNNING_P2P', 'PRE_COPY', 'RUNNING_P2P'] });
  });
});

describe('the walk', () => {
  it('walks the kernel path of COMB-6 one arc at a time', () => {
    expect(walk(KERNEL_TABLE, 'STOP_COPY|PRE_COPY', 'RESUMING', 'PRE_COPY')).toMatchObject({ outcome: 'ok', path: ['RESUMING', 'STOP', 'RUNNING', 'PRE_COPY'] });
    expect(walk(KERNEL_TABLE, 'STOP_COPY|P2P', 'RUNNING', 'STOP_COPY').arcs).toEqual(['RUNNING->RUNNING_P2P', 'RUNNING_P2P->STOP', 'STOP->STOP_COPY']);
  });

  it('reports a cycle as does-not-terminate with the repeating states', () => {
    const t = withNextSteps(KERNEL_TABLE, { RUNNING_P2P: { STOP: 'RUNNING' } });
    const w = walk(t, 'STOP_COPY|P2P', 'RUNNING', 'STOP');
    expect(w).toMatchObject({ outcome: 'does-not-terminate', path: ['RUNNING', 'RUNNING_P2P', 'RUNNING'], cycle: ['RUNNING', 'RUNNING_P2P', 'RUNNING'] });
  });

  it('uses a step function a spec author supplies', () => {
    const viaStop: StepFunction = (t, f, cur, target) => (cur === 'RUNNING' && target === 'STOP_COPY' ? { kind: 'step', next: 'STOP', skipped: [] } : nextStep(t, f, cur, target));
    expect(walk(KERNEL_TABLE, 'STOP_COPY|P2P', 'RUNNING', 'STOP_COPY', viaStop).path).toEqual(['RUNNING', 'STOP', 'STOP_COPY']);
  });

  it('executes arcs until an injected failure and keeps the effects of the arcs done (SET-3, COMB-5)', () => {
    const seen: string[] = [];
    const out = driveSet({ table: KERNEL_TABLE, features: 'STOP_COPY|P2P', cur: 'RUNNING', target: 'STOP_COPY', failAt: 2, onArc: (a, b) => { seen.push(`${a}->${b}`); return {}; } });
    expect(out).toMatchObject({ ret: 'EIO', reached: 'STOP', done: 2, fdFromArc: -1 });
    expect(seen).toEqual(['RUNNING->RUNNING_P2P', 'RUNNING_P2P->STOP']);
  });

  it('drops an fd from an intermediate arc with EINVAL when the driver guards against it (COMB-4)', () => {
    const onArc = (_a: MigState, b: MigState) => (b === 'STOP' ? { opens: 'save' as const } : {});
    const base = { table: KERNEL_TABLE, features: 'STOP_COPY' as const, cur: 'RUNNING' as const, target: 'STOP_COPY' as const, onArc };
    expect(driveSet(base)).toMatchObject({ ret: 'EINVAL', reached: 'STOP', openedAt: [0], fdFromArc: -1 });
    expect(driveSet({ ...base, guardIntermediateFd: false })).toMatchObject({ ret: 'OK', reached: 'STOP_COPY', openedAt: [0], fdFromArc: 0 });
  });
});

describe('the rules flag hand-made bad tables', () => {
  it('TERMINATION and KERNEL: a table with a cycle', () => {
    const t = withNextSteps(KERNEL_TABLE, { RUNNING_P2P: { STOP: 'RUNNING' } });
    const f = checkTable(t, 'STOP_COPY|P2P');
    expect(f.find((x) => x.rule === 'TERMINATION')).toMatchObject({ pair: 'RUNNING->STOP' });
    expect(rulesBroken(t, 'STOP_COPY|P2P')).toContain('KERNEL');
  });

  it('FSM-12: a table that takes an arc the driver does not implement', () => {
    expect(rulesBroken(withNextSteps(KERNEL_TABLE, { RUNNING: { STOP_COPY: 'STOP_COPY' } }), 'STOP_COPY')).toEqual(['KERNEL', 'FSM-12']);
  });

  it('COMB-1, COMB-2, COMB-4: a table that routes RUNNING->STOP through the saving group', () => {
    const t = loadTable(fileURLToPath(new URL('../../specs/vfio/tables/through-saving-group.json', import.meta.url)));
    expect(rulesBroken(t, 'STOP_COPY|PRE_COPY')).toEqual(['KERNEL', 'COMB-1', 'COMB-2', 'COMB-4']);
  });

  it('COMB-4 alone: a saving session opened on the way to PRE_COPY', () => {
    // RUNNING_P2P->PRE_COPY via PRE_COPY_P2P: mandatory arcs, as short as the kernel's, but the fd comes from the first arc.
    expect(rulesBroken(withNextSteps(KERNEL_TABLE, { RUNNING_P2P: { PRE_COPY: 'PRE_COPY_P2P' } }), 'STOP_COPY|P2P|PRE_COPY')).toEqual(['KERNEL', 'COMB-4']);
  });

  it('FSM-11: a table that lets STOP_COPY go to PRE_COPY (leaving and re-entering the saving group, COMB-2)', () => {
    expect(rulesBroken(withNextSteps(KERNEL_TABLE, { STOP_COPY: { PRE_COPY: 'STOP' } }), 'STOP_COPY|PRE_COPY')).toEqual(['KERNEL', 'COMB-2', 'FSM-11']);
  });

  it('FSM-13: a table that refuses a request between supported states', () => {
    expect(rulesBroken(withNextSteps(KERNEL_TABLE, { RUNNING: { STOP: 'ERROR' } }), 'STOP_COPY')).toEqual(['KERNEL', 'FSM-13']);
  });

  it('ERR-1: a step function that lets ERROR be requested', () => {
    const step: StepFunction = (t, f, cur, target) => (target === 'ERROR' ? { kind: 'step', next: 'ERROR', skipped: [] } : nextStep(t, f, cur, target));
    expect(rulesBroken(KERNEL_TABLE, 'STOP_COPY', step)).toEqual(['KERNEL', 'FSM-12', 'ERR-1']);
  });

  it('ERR-5: a step function that walks out of ERROR', () => {
    const step: StepFunction = (t, f, cur, target) => (cur === 'ERROR' ? { kind: 'step', next: target, skipped: [] } : nextStep(t, f, cur, target));
    expect(rulesBroken(KERNEL_TABLE, 'STOP_COPY', step)).toEqual(['KERNEL', 'FSM-12', 'ERR-5']);
  });
});

describe('loading tables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migcheck-fsm-'));
  const write = (name: string, body: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
    return p;
  };
  const kernelForm = () => JSON.parse(readFileSync(fixturePath, 'utf8')) as Record<string, unknown>;
  const fails = (p: string, message: RegExp) => {
    expect(() => loadTable(p)).toThrow(ConfigError);
    expect(() => loadTable(p)).toThrow(message);
  };

  it('names the file when it is missing or not JSON', () => {
    fails(join(dir, 'nope.json'), /nope\.json: cannot read the table \(no such file\)/);
    fails(write('broken.json', '{ "nextStep": '), /broken\.json: not valid JSON/);
  });

  it('names the bad entry', () => {
    const k = kernelForm();
    (k.nextStep as Record<string, Record<string, string>>).RUNNING.STOP = 'PAUSED';
    fails(write('bad-state.json', k), /bad-state\.json: nextStep\.RUNNING\.STOP: "PAUSED" is not a migration state/);
    const m = kernelForm();
    delete (m.nextStep as Record<string, unknown>).RESUMING;
    fails(write('missing-row.json', m), /missing-row\.json: nextStep: missing entry for RESUMING/);
    fails(write('no-flags.json', { nextStep: kernelForm().nextStep }), /no-flags\.json: missing "stateFlags"/);
    const fl = kernelForm();
    (fl.stateFlags as Record<string, unknown>).STOP = 'STOP_COPY|FAST';
    fails(write('bad-flag.json', fl), /bad-flag\.json: stateFlags\.STOP: "FAST" is not a migration flag/);
  });

  it('accepts the kernel\'s numeric form (rows and columns indexed by state number)', () => {
    const rows = STATES.map((cur) => STATES.map((to) => STATES.indexOf(KERNEL_TABLE.nextStep[cur][to])));
    const flags = STATES.map((s) => (s === 'ERROR' ? '~0U' : KERNEL_TABLE.stateFlags[s]));
    const t = tableFromJson({ nextStep: rows, stateFlags: flags }, 'numeric.json', KERNEL_TABLE);
    expect(t.nextStep).toEqual(KERNEL_TABLE.nextStep);
    expect(t.stateFlags).toEqual(KERNEL_TABLE.stateFlags);
  });
});

describe('feature sets (FEAT-1..5)', () => {
  it('parses both the comma and the kernel-fsm.json forms', () => {
    expect(parseFeatures('P2P,PRE_COPY')).toBe('STOP_COPY|P2P|PRE_COPY');
    expect(parseFeatures('STOP_COPY|P2P')).toBe('STOP_COPY|P2P');
    expect(parseFeatures('PRE_COPY')).toBe('STOP_COPY|PRE_COPY');
    expect(() => parseFeatures('P2P,FAST')).toThrow(ConfigError);
  });

  it('agrees with the table on which states each feature set supports', () => {
    for (const f of FEATURE_SETS)
      expect(STATES.filter((s) => isSupported(KERNEL_TABLE, f, s))).toEqual(supportedStates(f).filter((s) => s !== 'ERROR'));
  });
});
