// The wording profiles by name (`migcheck matrix --wording v6.2`), and loading a user's own
// profile from a .ts, .js or .json file (`--wording ./mine.json`).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../checker/index.js';
import { prepareUserImport } from '../../checker/cli/load.js';
import { resolveWording, wordingProblem, type Wording, type WordingProfile } from './profile.js';
import v7Draft from './v7-draft-2022-03.js';
import v1Nov from './v1-2022-11.js';
import v62 from './v6.2.js';
import reinit2026 from './reinit-2026.js';

export { defineWording, resolveWording, wordingProblem } from './profile.js';
export type { Wording, WordingProfile, WordingEntry } from './profile.js';

/** The built-in profiles, oldest text first. */
export const WORDINGS: readonly WordingProfile[] = [v7Draft, v1Nov, v62, reinit2026];

/** The profile used when `--wording` is not given: the merged text. */
export const DEFAULT_WORDING = 'v6.2';

export const WORDING_NAMES: readonly string[] = WORDINGS.map((w) => w.name);

const builtin = (name: string) => WORDINGS.find((w) => w.name === name);

/** A built-in profile, resolved. */
export function wording(name: string): Wording {
  const p = builtin(name);
  if (!p) throw new ConfigError(`unknown wording '${name}'; known wordings: ${WORDING_NAMES.join(', ')} (or give a .ts/.json file)`);
  return resolveWording(p, builtin);
}

const FILE_EXT = ['.json', '.ts', '.mts', '.js', '.mjs'];

/** Whether a --wording value names a file rather than a built-in profile. */
export function isWordingFile(arg: string): boolean {
  return FILE_EXT.includes(extname(arg)) || arg.includes('/') || arg.includes('\\');
}

/**
 * A profile by built-in name or file path. A file's profile may extend a built-in one by
 * name. A .json file holds the profile object; a .ts/.js module exports it as default (or
 * as `wording`). Errors name the file and are ConfigErrors (exit 150).
 */
export async function loadWording(arg: string, cwd = process.cwd()): Promise<Wording> {
  if (!isWordingFile(arg)) return wording(arg);
  const path = isAbsolute(arg) ? arg : resolve(cwd, arg);
  if (!existsSync(path) || !statSync(path).isFile()) throw new ConfigError(`wording file not found: ${arg}`);
  let profile: unknown;
  if (extname(path) === '.json') {
    try {
      profile = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ConfigError(`${arg}: not valid JSON: ${(e as Error).message}`);
    }
  } else {
    let mod: Record<string, unknown>;
    await prepareUserImport();
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      const cjs = /require\(\) ES Module|Cannot use import statement|ERR_REQUIRE_ESM/.test(msg);
      const hint = cjs ? ' (wording modules are ES modules: name the file .mts, or add "type": "module" to the nearest package.json)' : '';
      throw new ConfigError(`${arg}: cannot load the wording module: ${msg.split('\n')[0]}${hint}`);
    }
    profile = mod.default ?? mod.wording;
  }
  const problem = wordingProblem(profile);
  if (problem) throw new ConfigError(`${arg}: ${problem}`);
  return resolveWording(profile as WordingProfile, builtin, arg);
}
