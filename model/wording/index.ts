// The wording profiles by name (`migcheck matrix --wording v6.2`), and loading a user's own
// profile from a .ts, .js or .json file (`--wording ./mine.json`).

import { ConfigError } from '../../checker/index.js';
import { isProfileFile, loadProfileValue } from '../commands/load.js';
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

/** Whether a --wording value names a file rather than a built-in profile. */
export const isWordingFile = isProfileFile;

/**
 * A profile by built-in name or file path. A file's profile may extend a built-in one by
 * name. A .json file holds the profile object; a .ts/.js module exports it as default (or
 * as `wording`). Errors name the file and are ConfigErrors (exit 150).
 */
export async function loadWording(arg: string, cwd = process.cwd()): Promise<Wording> {
  if (!isWordingFile(arg)) return wording(arg);
  const profile = await loadProfileValue(arg, 'wording', cwd);
  const problem = wordingProblem(profile);
  if (problem) throw new ConfigError(`${arg}: ${problem}`);
  return resolveWording(profile as WordingProfile, builtin, arg);
}
