// This package's root directory (where package.json lives), from this file's location, and
// what its package.json says.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PackageConfig {
  defaultSpec?: string;
  commands?: string[];
}

/** This package's package.json (empty when it cannot be read). */
export function packageJson(): { migcheck?: PackageConfig; version?: string } {
  try {
    return JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as { migcheck?: PackageConfig; version?: string };
  } catch {
    return {};
  }
}

/** This package's version, from its package.json. */
export function packageVersion(): string {
  return packageJson().version ?? '0.0.0';
}
