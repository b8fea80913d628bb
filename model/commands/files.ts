// Which command-line values name a profile file, and where it is: shared by the registries
// (model/kernel/, model/drivers/) and the loader (model/commands/load.ts), without loading anything.

import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../checker/index.js';

export const PROFILE_FILE_EXTENSIONS = ['.json', '.ts', '.mts', '.js', '.mjs'] as const;

/** Whether a command-line value names a file rather than a built-in profile. */
export const isProfileFile = (arg: string): boolean =>
  (PROFILE_FILE_EXTENSIONS as readonly string[]).includes(extname(arg)) || arg.includes('/') || arg.includes('\\');

/** The absolute path of a profile file, or a ConfigError when there is no such file. */
export function profilePath(arg: string, kind: string, cwd: string): string {
  const path = isAbsolute(arg) ? arg : resolve(cwd, arg);
  if (!existsSync(path) || !statSync(path).isFile()) throw new ConfigError(`${kind} file not found: ${arg}`);
  return path;
}

