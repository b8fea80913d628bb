// Loading a profile a user wrote, from a file anywhere on disk: a .json object, or a .ts /
// .mts / .js / .mjs ES module that exports it (as `default` or under the kind's own name).
// One loader for every kind the commands accept from a file: wordings, kernels, drivers and
// step functions. Every fault is a one-line ConfigError naming the file (exit 150).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { ConfigError } from '../checker/index.js';

/**
 * The package's two entry points, for profile modules loaded synchronously. They are
 * imported lazily (this module is itself imported while the model loads); both are
 * evaluated long before any spec's setup resolves a profile file.
 */
const self: { migcheck?: unknown; 'migcheck/model'?: unknown } = {};
void import('../checker/index.js').then((m) => { self.migcheck = m; });
void import('./index.js').then((m) => { self['migcheck/model'] = m; });

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
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    const cjs = /require\(\) ES Module|Cannot use import statement|ERR_REQUIRE_ESM/.test(msg);
    const hint = cjs ? ` (${kind} modules are ES modules: name the file .mts, or add "type": "module" to the nearest package.json)` : '';
    throw new ConfigError(`${arg}: cannot load the ${kind} module: ${msg.split('\n')[0]}${hint}`);
  }
  const value = mod.default ?? mod[kind];
  if (value === undefined)
    throw new ConfigError(`${arg}: the module exports no ${kind} (export it as default, or as '${kind}'; it exports ${Object.keys(mod).join(', ') || 'nothing'})`);
  return value;
}

/**
 * What a profile file holds, loaded synchronously, for the places that resolve a profile
 * while a spec is being set up (`check --driver ./mine.ts`, `--kernel ./k.ts`), where
 * nothing can be awaited. A .json file is parsed; a module is compiled with esbuild into one
 * CommonJS function and run: its own relative imports are bundled in, `migcheck` and
 * `migcheck/model` are answered with this package's already loaded modules (a profile
 * spreads the very `reference` the registry holds), other packages come from node_modules.
 */
export function loadProfileValueSync(arg: string, kind: string, cwd = process.cwd()): unknown {
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
  let code: string;
  try {
    const out = buildSync({
      entryPoints: [path], bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node20',
      packages: 'external', logLevel: 'silent',
    });
    code = out.outputFiles[0].text;
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new ConfigError(`${arg}: cannot compile the ${kind} module: ${first?.text ?? (e as Error).message}${where}`);
  }
  const nodeRequire = createRequire(path);
  const req = (id: string): unknown => {
    if (id === 'migcheck' || id === 'migcheck/model') {
      const m = self[id];
      if (!m) throw new Error(`'${id}' is not loaded yet`);
      return m;
    }
    return nodeRequire(id);
  };
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  try {
    new Function('require', 'module', 'exports', '__filename', '__dirname', code)(req, mod, mod.exports, path, dirname(path));
  } catch (e) {
    throw new ConfigError(`${arg}: the ${kind} module failed while loading: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
  }
  const value = mod.exports.default ?? mod.exports[kind];
  if (value === undefined)
    throw new ConfigError(`${arg}: the module exports no ${kind} (export it as default, or as '${kind}'; it exports ${Object.keys(mod.exports).join(', ') || 'nothing'})`);
  return value;
}
