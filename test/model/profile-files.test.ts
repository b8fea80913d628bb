// `check --driver FILE`, `--user FILE`, `--kernel FILE` (issue 10, item 7): the migration
// spec's DRIVER, USER and KERNEL constants load a file through their ConstDef.load, which
// the CLI awaits before setup() and each search worker awaits again; the checker's part is
// generic (checker/spec.ts loadConstants).

import { describe, it, expect } from 'vitest';
import { main } from '../../checker/cli/main.js';
import { defineSpec, model, t, instantiate, loadConstants, ConfigError, SpecError } from '../../checker/index.js';
import { repoRoot } from '../specs/discover.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
  return { code, out, err };
}

const F = 'test/model/fixtures';
const distinct = (out: string) => /([\d,]+) distinct states/.exec(out)?.[1];

describe('check --driver FILE', () => {
  it('a profile exported as `driver` is checked, and its DATA-8 violation reported (exit 12)', async () => {
    const r = await cli(['check', '--driver', `${F}/drivers/enomsg-in-stop-copy.mts`, '--units', '1']);
    expect(r.code).toBe(12);
    expect(r.out).toContain('DRIVER=test/model/fixtures/drivers/enomsg-in-stop-copy.mts');
    expect(r.out).toContain('Action property NoEnomsgInStopCopy is violated [DATA-8 MUST NOT]');
    expect(r.out).toContain('src: read(3) = -1 ENOMSG');
  });

  it('search workers load the file again and find the same states', async () => {
    const one = await cli(['check', '--driver', `${F}/drivers/eof-at-temporary-end.mts`]);
    const two = await cli(['check', '--driver', `${F}/drivers/eof-at-temporary-end.mts`, '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.code, two.out + two.err).toBe(0);
    expect(distinct(two.out)).toBe(distinct(one.out));
  }, 120_000);

  it('a file that is not a profile is one line naming it (exit 150)', async () => {
    const r = await cli(['check', '--driver', `${F}/kernels/no-step.mts`]);
    expect(r.code).toBe(150);
    expect(r.err.trim()).toBe(`migcheck: ${F}/kernels/no-step.mts: the module exports no driver (export it as default, or as 'driver'; it exports nope)`);
    const missing = await cli(['check', '--driver', './nowhere.mts']);
    expect(missing.code).toBe(150);
    expect(missing.err.trim()).toBe('migcheck: driver file not found: ./nowhere.mts');
  });

  it('an unknown name lists the names and suggests one (exit 150)', async () => {
    const r = await cli(['check', '--driver', 'mlx5-lik']);
    expect(r.code).toBe(150);
    expect(r.err).toMatch(/unknown driver 'mlx5-lik'; known drivers: reference, .*; did you mean 'mlx5-like'\?/);
  });
});

describe('check --user FILE and --kernel FILE', () => {
  it('a user model from a file drives the migration', async () => {
    const mine = await cli(['check', '--user', `${F}/users/qemu-renamed.mts`]);
    const builtin = await cli(['check', '--user', 'qemu-like']);
    expect(mine.code).toBe(0);
    expect(mine.out).toContain('USER=test/model/fixtures/users/qemu-renamed.mts');
    expect(distinct(mine.out)).toBe(distinct(builtin.out));
  });

  it('a user model with an unknown key is rejected with a did-you-mean (exit 150)', async () => {
    const r = await cli(['check', '--user', `${F}/users/typo.mts`]);
    expect(r.code).toBe(150);
    expect(r.err.trim()).toBe(`migcheck: ${F}/users/typo.mts: user typo: unknown key 'action'; did you mean 'actions'? (a user model has name, doc, state, init, actions, terminal, dataSteps)`);
  });

  it('a kernel from a module file is the kernel it spreads: v6.2 hangs on STOP_COPY->PRE_COPY', async () => {
    const mine = await cli(['check', '--kernel', `${F}/kernels/v6.2-renamed.mts`]);
    const builtin = await cli(['check', '--kernel', 'v6.2']);
    expect(mine.code).toBe(builtin.code);
    expect(mine.code).not.toBe(0);
    expect(distinct(mine.out)).toBe(distinct(builtin.out));
    const bad = await cli(['check', '--kernel', `${F}/users/qemu-renamed.mts`]);
    expect(bad.code).toBe(150);
    expect(bad.err).toContain(`${F}/users/qemu-renamed.mts: `);
  });
});

describe('ConstDef.load (checker, generic)', () => {
  const spec = defineSpec({
    name: 'Loads',
    constants: {
      WHAT: { default: 'two', load: async (v: string, cwd: string) => (v === 'bad' ? Promise.reject(new Error(`no ${v} in ${cwd}`)) : v === 'three' ? 3 : undefined) },
    },
    setup: (c) => {
      const n = typeof c.WHAT === 'number' ? c.WHAT : 2;
      return model({ state: t.record({ x: t.int(0, 3) }), init: [{ x: 0 }], actions: { Inc: { enabled: (s) => s.x < n - 1, next: (s) => { s.x++; } } }, terminal: () => true });
    },
  });

  it('setup() gets what load returned in place of the string; the instance keeps the string', async () => {
    const loaded = await loadConstants(spec, { WHAT: 'three' }, '/somewhere');
    expect(loaded).toEqual({ cwd: '/somewhere', values: { WHAT: 3 } });
    const inst = instantiate(spec, { WHAT: 'three' }, loaded);
    expect(inst.constants.WHAT).toBe('three');
    expect(inst.loaded).toEqual(loaded);
    const plain = instantiate(spec, {}, await loadConstants(spec, {}, '/somewhere'));
    expect(plain.loaded).toBeUndefined();
  });

  it('a load that throws is a ConfigError naming the constant and value', async () => {
    await expect(loadConstants(spec, { WHAT: 'bad' }, '/here')).rejects.toThrow(ConfigError);
    await expect(loadConstants(spec, { WHAT: 'bad' }, '/here')).rejects.toThrow('constant WHAT: "bad": no bad in /here');
  });

  it('load on a constant that is not a string is a SpecError', () => {
    const wrong = defineSpec({
      name: 'Wrong',
      constants: { N: { default: 1, load: async () => undefined } as never },
      setup: () => model({ state: t.record({ x: t.int(0, 1) }), init: [{ x: 0 }], actions: {} }),
    });
    expect(() => instantiate(wrong)).toThrow(SpecError);
    expect(() => instantiate(wrong)).toThrow("constant 'N': 'load' must be a function (value, cwd) => Promise, on a string constant");
  });
});
