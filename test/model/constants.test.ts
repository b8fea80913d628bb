// The migration model's constants, declared once (MIGRATION_CONSTANTS): the options, the
// values setup() receives, the spec's defaults and the option each constant sets are all
// derived from that declaration.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { instantiate, resolveConstants, type ConstValue } from '../../checker/index.js';
import {
  MIGRATION_CONSTANTS, migrationConfig, migrationConstants, migrationSpec, optionKey, optionsFromConstants,
  type MigrationConstants, type MigrationOptions,
} from '../../model/datapath/migration.js';
import { reference, type DriverProfile } from '../../model/drivers/index.js';
import type { UserModel } from '../../model/users/index.js';
import type { KernelProfile } from '../../model/kernel/index.js';
import type { FsmTable, StepFunction, WalkFunction } from '../../model/kernel/fsm.js';

describe('MIGRATION_CONSTANTS, the one declaration of the migration options', () => {
  it('names each option by its constant in camelCase', () => {
    expect(Object.keys(MIGRATION_CONSTANTS).map(optionKey)).toEqual([
      'driver', 'user', 'features', 'units', 'maxVersion', 'switchoverAck', 'detectIncomplete', 'reinit', 'history', 'symmetry', 'kernel',
      'table', 'maxFds', 'arcFailures', 'failToError',
    ]);
    expect(optionKey('FAIL_TO_ERROR')).toBe('failToError');
    expectTypeOf(optionKey('MAX_FDS')).toEqualTypeOf<'maxFds'>();
  });

  it('derives the public option keys and their types', () => {
    expectTypeOf<Required<MigrationOptions>>().toEqualTypeOf<{
      readonly driver: string | DriverProfile;
      readonly user: string | UserModel;
      readonly features: string;
      readonly units: number;
      readonly maxVersion: number;
      readonly switchoverAck: boolean;
      readonly detectIncomplete: 'driver' | 'yes' | 'no';
      readonly reinit: boolean;
      readonly history: boolean;
      readonly symmetry: boolean;
      readonly kernel: string | KernelProfile;
      readonly maxFds: number;
      readonly arcFailures: boolean;
      readonly failToError: boolean;
      readonly table: FsmTable | string;
      readonly step: StepFunction;
      readonly walk: WalkFunction;
      readonly readOrder: 'index' | 'data';
    }>();
    // What setup() receives: a file value of DRIVER, USER or KERNEL arrives as the profile it was loaded into.
    expectTypeOf<MigrationConstants['DRIVER']>().toEqualTypeOf<string | DriverProfile>();
    expectTypeOf<MigrationConstants['DETECT_INCOMPLETE']>().toEqualTypeOf<'driver' | 'yes' | 'no'>();
  });

  it('turns constants into options and back into the same configuration as the defaults', () => {
    const defaults = resolveConstants(migrationSpec({ name: 'd', doc: '' })) as Record<string, ConstValue>;
    const o = optionsFromConstants(defaults as MigrationConstants);
    expect(o).toEqual({
      driver: 'reference', user: 'adversarial', features: 'all', units: 2, maxVersion: 1, switchoverAck: false,
      detectIncomplete: 'driver', reinit: true, history: false, symmetry: false, kernel: MIGRATION_CONSTANTS.KERNEL.default,
      table: 'kernel', maxFds: 0, arcFailures: false, failToError: false,
    });
    const { plan: _a, ...fromConstants } = migrationConfig(o);
    const { plan: _b, ...fromNothing } = migrationConfig();
    expect(fromConstants).toEqual(fromNothing);
    // A constant a spec does not declare (written before it existed) stays at its default.
    expect(optionsFromConstants({ UNITS: 3 })).toEqual({ units: 3 });
  });

  it('checks option values against the declared bounds and values', () => {
    expect(() => migrationConfig({ units: MIGRATION_CONSTANTS.UNITS.max + 1 })).toThrow(`UNITS: 5 is not in 1..4`);
    expect(() => migrationConfig({ maxVersion: 0 })).toThrow(`MAX_VERSION: 0 is not in 1..3`);
    expect(() => migrationConfig({ detectIncomplete: 'maybe' as never })).toThrow(`DETECT_INCOMPLETE: 'maybe' is not one of driver, yes, no`);
  });

  it('makes a spec\'s options its constants\' defaults, a profile object by its name', () => {
    const mine: DriverProfile = { ...reference, name: 'mine' };
    const c = migrationConstants({ units: 3, driver: mine, detectIncomplete: 'no' });
    expect(c.UNITS).toEqual({ ...MIGRATION_CONSTANTS.UNITS, default: 3 });
    expect(c.DRIVER.default).toBe('mine');
    expect(c.DRIVER.load).toBe(MIGRATION_CONSTANTS.DRIVER.load);
    expect(c.DETECT_INCOMPLETE.default).toBe('no');
    expect(c.FEATURES).toBe(MIGRATION_CONSTANTS.FEATURES);
    expect(Object.keys(c)).toEqual(Object.keys(MIGRATION_CONSTANTS));
    // setup() gets the object while DRIVER names it, the registry's profile once it names another.
    const spec = migrationSpec({ name: 'mine', doc: '', driver: mine, units: 1 });
    expect(instantiate(spec).constants).toMatchObject({ DRIVER: 'mine', UNITS: 1 });
    expect(() => instantiate(spec, { DRIVER: 'mlx6' })).toThrow("unknown driver 'mlx6'");
    expect(instantiate(spec, { DRIVER: 'mlx5-like' }).constants.DRIVER).toBe('mlx5-like');
  });
});
