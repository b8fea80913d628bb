// Loading a profile a user wrote, from a file anywhere on disk: a .json object, or a .ts /
// .mts / .js / .mjs ES module that exports it (as `default` or under the kind's own name).
// One loader for every kind the commands accept from a file: wordings, kernels, drivers and
// step functions. Every fault is a one-line ConfigError naming the file (exit 150).
//
// The commands import this module (fsm, matrix, the wording loader); a migration spec's
// DRIVER, USER and KERNEL constants reach it only through their `load` (loadConstant, a
// dynamic import in model/datapath/migration.ts), which the CLI and each search worker await before
// setup(). A search with such a file runs its workers through the TypeScript loader, not
// the bundle (checker/explore/parallel.ts).

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../checker/index.js';
import { loadErrorLine, prepareUserImport } from '../../checker/cli/load.js';
import { PROFILE_FILE_EXTENSIONS, isProfileFile, profilePath } from './files.js';
import type { StepFunction } from '../kernel/fsm.js';
import { builtinKernel, isKernelFile, kernelProblem, kernelProfile, type KernelProfile } from '../kernel/index.js';
import { driverProfile, profileProblem, type DriverProfile } from '../drivers/index.js';
import { userModel, userProblem, type UserModel } from '../users/index.js';

export { PROFILE_FILE_EXTENSIONS, isProfileFile, profilePath } from './files.js';

/**
 * What a profile file holds: the parsed JSON, or the module's `default` export (else its
 * export named `kind`, e.g. `driver`). `kind` names the profile in messages.
 */
export async function loadProfileValue(arg: string, kind: string, cwd = process.cwd()): Promise<unknown> {
  const path = profilePath(arg, kind, cwd);
  const ext = extname(path);
  if (ext === '.json') {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ConfigError(`${arg}: not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!(PROFILE_FILE_EXTENSIONS as readonly string[]).includes(ext))
    throw new ConfigError(`${arg}: a ${kind} file is ${PROFILE_FILE_EXTENSIONS.join(', ')}, not '${ext || 'no extension'}'`);
  let mod: Record<string, unknown>;
  // The CLI registers its TypeScript loader only when a user's module is about to load.
  await prepareUserImport();
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    const cjs = /require\(\) ES Module|Cannot use import statement|ERR_REQUIRE_ESM/.test(msg);
    const hint = cjs ? ` (${kind} modules are ES modules: name the file .mts, or add "type": "module" to the nearest package.json)` : '';
    throw new ConfigError(`${arg}: cannot load the ${kind} module: ${loadErrorLine(e, msg)}${hint}`);
  }
  const value = mod.default ?? mod[kind];
  if (value === undefined)
    throw new ConfigError(`${arg}: the module exports no ${kind} (export it as default, or as '${kind}'; it exports ${Object.keys(mod).join(', ') || 'nothing'})`);
  return value;
}

/**
 * A kernel by built-in name, JSON file, or .ts/.js module exporting a KernelProfile (as
 * default or as `kernel`), for `fsm`, `matrix` and the KERNEL constant of `check`.
 */
export async function loadKernel(arg: string, cwd = process.cwd()): Promise<KernelProfile> {
  if (builtinKernel(arg) || !isKernelFile(arg) || extname(arg) === '.json') return kernelProfile(arg, cwd);
  const k = await loadProfileValue(arg, 'kernel', cwd);
  const bad = kernelProblem(k);
  if (bad) throw new ConfigError(`${arg}: ${bad}`);
  return k as KernelProfile;
}

/** A step function from a .ts/.js module (default export, or `step`), for `fsm --step`. */
export async function loadStep(arg: string, cwd = process.cwd()): Promise<StepFunction> {
  const f = await loadProfileValue(arg, 'step', cwd);
  if (typeof f !== 'function') throw new ConfigError(`${arg}: the step export must be a function (table, features, cur, target) => StepResult, not ${f === null ? 'null' : typeof f}`);
  return f as StepFunction;
}

/**
 * A driver by built-in name, or a profile from a .ts/.js module (default export, or
 * `driver`) or .json file, for `matrix --drivers` and the DRIVER constant of `check`.
 */
export async function loadDriver(arg: string, cwd = process.cwd()): Promise<DriverProfile> {
  if (!isProfileFile(arg)) return driverProfile(arg);
  const d = await loadProfileValue(arg, 'driver', cwd);
  const bad = profileProblem(d);
  if (bad) throw new ConfigError(`${arg}: ${bad}`);
  return d as DriverProfile;
}

/** A user (VMM) model by built-in name, or from a .ts/.js module (default export, or `user`), for `--user ./vmm.ts`. */
export async function loadUser(arg: string, cwd = process.cwd()): Promise<UserModel> {
  if (!isProfileFile(arg)) return userModel(arg);
  if (extname(arg) === '.json') throw new ConfigError(`${arg}: a user model has functions (its actions): write it as a .ts or .js module, not JSON`);
  const u = await loadProfileValue(arg, 'user', cwd);
  const bad = userProblem(u);
  if (bad) throw new ConfigError(`${arg}: ${bad}`);
  return u as UserModel;
}

/** What the `load` of each profile constant gives setup() for a file (the constant's value type besides its name). */
export interface LoadedProfiles {
  readonly driver: DriverProfile;
  readonly user: UserModel;
  readonly kernel: KernelProfile;
}

const PROFILE_LOADERS: { readonly [K in keyof LoadedProfiles]: (value: string, cwd: string) => Promise<LoadedProfiles[K]> } = {
  driver: loadDriver,
  user: loadUser,
  kernel: loadKernel,
};

/**
 * The `load` of the migration constants DRIVER, USER and KERNEL (checker ConstDef.load): a
 * value naming a file is loaded and checked as that kind of profile; a built-in name is
 * left for setup() to look up (undefined).
 */
export async function loadConstant<K extends keyof LoadedProfiles>(kind: K, value: string, cwd: string): Promise<LoadedProfiles[K] | undefined> {
  if (!isProfileFile(value)) return undefined;
  return PROFILE_LOADERS[kind](value, cwd);
}
