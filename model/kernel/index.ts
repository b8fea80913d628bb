// The kernel profiles by name (`--kernel v6.2`), and loading a user's own from a JSON file
// (`--kernel ./my-kernel.json`). The default is the newest release.
//
// A kernel JSON file names a built-in profile to start from and overrides what differs:
//   { "name": "my-kernel", "extends": "v6.2", "step": "with-error-test",
//     "table": "./my-table.json", "precopyInfoV2": true }
// `table` is a next-step table file in the kernel's form (see `migcheck fsm --table`) or the
// table object itself; `step` names one of the two skip loops (model/kernel/steps.ts).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../checker/index.js';
import { nearest } from '../../checker/names.js';
import { isProfileFile } from '../commands/files.js';
import { KERNEL_TABLE, loadTable, tableFromJson } from './fsm.js';
import { FEATURE_SETS, FLAG_BIT, featureBits, type FeatureSet } from '../states.js';
import { kernelProblem, type KernelProfile } from './profile.js';
import { STEP_LOOPS } from './steps.js';
import { v5_18 } from './v5.18.js';
import { v6_2 } from './v6.2.js';
import { v7_1 } from './v7.1.js';

export type { KernelProfile } from './profile.js';
export { kernelProblem } from './profile.js';
export { skipLoopWithoutErrorTest, skipLoopWithErrorTest, STEP_LOOPS } from './steps.js';
export { v5_18, v6_2, v7_1 };

/** Every built-in kernel profile, oldest release first. */
export const KERNELS: readonly KernelProfile[] = [v5_18, v6_2, v7_1];

/** The profile used when no kernel is named: the newest release. */
export const DEFAULT_KERNEL = v7_1.name;

export const KERNEL_NAMES: readonly string[] = KERNELS.map((k) => k.name);

/** The nearest known name, for did-you-mean (edit distance at most 2). */
const nearestName = (name: string, known: readonly string[]): string | undefined => nearest(name, known, 2);

const builtin = (name: string) => KERNELS.find((k) => k.name === name.trim());

/** The built-in profile of that name, if any. */
export const builtinKernel = builtin;

function unknownKernel(name: string): never {
  const hint = nearestName(name.trim(), KERNEL_NAMES);
  throw new ConfigError(`unknown kernel '${name}'${hint ? ` (did you mean ${hint}?)` : ''}; known kernels: ${KERNEL_NAMES.join(', ')} (or give a .json file)`);
}

/** Whether a --kernel value names a file rather than a built-in profile. */
export const isKernelFile = isProfileFile;

const JSON_KEYS = ['name', 'extends', 'doc', 'source', 'table', 'step', 'flags', 'precopyInfoV2', 'precopyInfoFlags'];

/** A kernel profile from a JSON file (see the header); errors name the file and the key (exit 150). */
export function loadKernelFile(arg: string, cwd = process.cwd()): KernelProfile {
  const path = isAbsolute(arg) ? arg : resolve(cwd, arg);
  if (extname(path) !== '.json') throw new ConfigError(`--kernel ${arg}: a kernel file is a .json profile (name, extends, table, step, …)`);
  if (!existsSync(path) || !statSync(path).isFile()) throw new ConfigError(`kernel file not found: ${arg}`);
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${arg}: not valid JSON: ${(e as Error).message}`);
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new ConfigError(`${arg}: expected a JSON object (a kernel profile)`);
  for (const k of Object.keys(j)) if (!JSON_KEYS.includes(k)) {
    const hint = nearestName(k, JSON_KEYS);
    throw new ConfigError(`${arg}: unknown key '${k}'${hint ? ` (did you mean ${hint}?)` : ''}; known keys: ${JSON_KEYS.join(', ')}`);
  }
  const baseName = typeof j.extends === 'string' ? j.extends : DEFAULT_KERNEL;
  const base = builtin(baseName);
  if (!base) {
    const hint = nearestName(baseName, KERNEL_NAMES);
    throw new ConfigError(`${arg}: extends: unknown kernel '${baseName}'${hint ? ` (did you mean ${hint}?)` : ''}; known kernels: ${KERNEL_NAMES.join(', ')}`);
  }
  let table = base.table;
  if (typeof j.table === 'string') table = loadTable(isAbsolute(j.table) ? j.table : resolve(dirname(path), j.table));
  else if (j.table !== undefined) table = tableFromJson(j.table, `${arg} (table)`, KERNEL_TABLE);
  let step = base.step;
  if (j.step !== undefined) {
    const loop = STEP_LOOPS[j.step as keyof typeof STEP_LOOPS];
    if (!loop) throw new ConfigError(`${arg}: step: ${JSON.stringify(j.step)} is not one of ${Object.keys(STEP_LOOPS).join(', ')}`);
    step = loop;
  }
  const name = typeof j.name === 'string' && j.name !== '' ? j.name : arg;
  const profile: KernelProfile = {
    ...base,
    name,
    doc: typeof j.doc === 'string' ? j.doc : `${arg}, from ${base.name}`,
    source: typeof j.source === 'string' ? j.source : arg,
    table: { ...table, source: typeof j.table === 'string' ? j.table : table === base.table ? `${name} (table of ${base.name})` : `${arg} (table)` },
    step,
    ...(j.flags !== undefined ? { flags: j.flags as KernelProfile['flags'] } : {}),
    ...(j.precopyInfoV2 !== undefined ? { precopyInfoV2: j.precopyInfoV2 as boolean } : {}),
    ...(j.precopyInfoFlags !== undefined ? { precopyInfoFlags: j.precopyInfoFlags as KernelProfile['precopyInfoFlags'] } : {}),
  };
  const bad = kernelProblem(profile);
  if (bad) throw new ConfigError(`${arg}: ${bad}`);
  return profile;
}

/** A profile by built-in name or JSON file path, or a profile object checked for shape. */
export function kernelProfile(k: string | KernelProfile, cwd = process.cwd()): KernelProfile {
  if (typeof k !== 'string') {
    const bad = kernelProblem(k);
    if (bad) throw new ConfigError(bad);
    return k;
  }
  const hit = builtin(k);
  if (hit) return hit;
  if (isKernelFile(k)) return loadKernelFile(k, cwd);
  return unknownKernel(k);
}

/** The feature sets a kernel lets a device claim: those whose optional flags it knows (FEAT-4). */
export function kernelFeatureSets(k: KernelProfile): FeatureSet[] {
  const known = k.flags.reduce((m, f) => m | FLAG_BIT[f], FLAG_BIT.STOP_COPY);
  return FEATURE_SETS.filter((f) => (featureBits(f) & ~known) === 0);
}
