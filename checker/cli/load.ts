// Loading spec files given on the command line (TypeScript or JavaScript modules whose
// default export is a spec).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSpec, type Spec } from '../spec.js';
import { ConfigError, SpecError } from '../errors.js';

import { packageJson, packageRoot, packageVersion, type PackageConfig } from './root.js';
import { typecheckSpec } from './typecheck.js';

export { packageRoot, packageVersion };

export function packageConfig(): PackageConfig {
  return packageJson().migcheck ?? {};
}

/** What bin/migcheck.js set up (bin/loaders.js): whether the CLI runs from dist/, whether the loaders are registered. */
interface LoaderState {
  dist: boolean;
  registered: boolean;
}
const LOADERS = Symbol.for('migcheck.loaders');
const loaderState = (): LoaderState | undefined => (globalThis as { [LOADERS]?: LoaderState })[LOADERS];

/**
 * Called before importing a user's module (spec, wording): registers the loaders that
 * bin/migcheck.js deferred, so that runs that load none (--version, help, fsm) do without
 * them. In-process callers (tests) set nothing up, and nothing is registered.
 */
export async function prepareUserImport(): Promise<void> {
  const st = loaderState();
  if (!st || st.registered) return;
  const m = (await import(new URL('../../bin/loaders.js', import.meta.url).href)) as { ensureLoaders(): void };
  m.ensureLoaders();
}

/**
 * The built copy of one of this package's own specs (dist/specs/…, bin/build.js), when the
 * CLI runs from its build and every spec file is as it was built (bin/fresh.js,
 * distSpecsAreFresh): importing it needs no TypeScript loader, whose thread costs about
 * 70 ms of a run's start-up. Undefined for any other file, or when a spec was edited since.
 */
async function builtSpec(path: string): Promise<string | undefined> {
  if (!loaderState()?.dist) return undefined;
  const rel = relative(packageRoot, path).split(sep).join('/');
  if (!/^specs\/.+\.ts$/.test(rel)) return undefined;
  const out = packageModule(rel);
  if (!existsSync(out)) return undefined;
  const m = (await import(new URL('../../bin/fresh.js', import.meta.url).href)) as { distSpecsAreFresh(): boolean };
  return m.distSpecsAreFresh() ? out : undefined;
}

/** A module of this package to import at run time (package.json "migcheck.commands"): from dist/ when the CLI runs from its build. */
export function packageModule(rel: string): string {
  return loaderState()?.dist ? resolve(packageRoot, 'dist', rel.replace(/\.ts$/, '.js')) : resolve(packageRoot, rel);
}

/** The built-in default spec's path. */
export function defaultSpecPath(): string {
  const p = packageConfig().defaultSpec;
  if (!p) throw new ConfigError('no spec given and the package declares no default spec');
  return resolve(packageRoot, p);
}

export interface LoadedSpec {
  spec: Spec;
  /** Absolute path. */
  path: string;
  /** Path as shown to the user (relative to the working directory when shorter). */
  display: string;
}

export interface LoadOptions {
  /** Type-check a TypeScript spec before importing it (typecheck.ts); off with --no-typecheck or MIGCHECK_NO_TYPECHECK=1. */
  typecheck?: boolean;
  /** Called (with the path shown) before a type-check that the cache cannot answer, which takes seconds. */
  onTypecheck?: (display: string) => void;
}

/** Whether specs are type-checked: the option, unless MIGCHECK_NO_TYPECHECK=1 turns it off for the whole process. */
export function typecheckWanted(option: boolean | undefined): boolean {
  return option !== false && process.env.MIGCHECK_NO_TYPECHECK !== '1';
}

export async function loadSpec(file: string | undefined, cwd = process.cwd(), opts: LoadOptions = {}): Promise<LoadedSpec> {
  const path = file === undefined ? defaultSpecPath() : isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(cwd, path);
  const display = rel && !rel.startsWith('..') && rel.length < path.length ? rel : path;
  if (!existsSync(path)) throw new ConfigError(`spec file not found: ${display}`);
  if (!statSync(path).isFile()) throw new ConfigError(`not a file: ${display}`);
  if (opts.typecheck) typecheckSpec(path, cwd, () => opts.onTypecheck?.(display));
  let mod: Record<string, unknown>;
  const built = await builtSpec(path);
  if (built === undefined) await prepareUserImport();
  // Node's own warning about an ES module taken for CommonJS would come before the one-line
  // message below, which says the same with the fix.
  const printers = process.listeners('warning');
  const filter = (w: Error) => {
    if (!String(w?.message).startsWith('To load an ES module')) for (const p of printers) p(w);
  };
  process.removeAllListeners('warning').on('warning', filter);
  try {
    mod = (await import(pathToFileURL(built ?? path).href)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SpecError || e instanceof ConfigError) throw e;
    const msg = (e as Error)?.message ?? String(e);
    const cjs = /require\(\) ES Module|Cannot use import statement|ERR_REQUIRE_ESM/.test(msg);
    const hint = cjs ? ` (spec files are ES modules: name the file .${/\.[cm]?ts$/.test(path) ? 'mts' : 'mjs'}, or add "type": "module" to the nearest package.json)` : '';
    throw new SpecError(`cannot load the spec: ${loadErrorLine(e, msg)}${hint}`, display);
  } finally {
    // After the warnings the import queued (process.nextTick) have been delivered.
    await new Promise((r) => setImmediate(r));
    process.off('warning', filter);
    for (const p of printers) process.on('warning', p);
  }
  const spec = mod.default ?? mod.spec;
  if (!isSpec(spec)) throw new SpecError('does not export a spec (make the default export the value of defineSpec({...}))', display);
  return { spec, path, display };
}

/** The line of a load failure that says what is wrong: for a syntax error, its position and text. */
export function loadErrorLine(e: unknown, msg: string): string {
  // esbuild (the TypeScript loader) puts the real error after a 'Transform failed' line.
  const first = (e as { errors?: { text?: string; location?: { line?: number; column?: number } | null }[] })?.errors?.[0];
  if (first?.text) return `${first.location ? `line ${first.location.line}:${first.location.column}: ` : ''}${first.text}`;
  const lines = msg.split('\n').filter((l) => l.trim() !== '');
  if (/^Transform failed/.test(lines[0] ?? '') && lines[1]) return lines[1].replace(/^.*?:(\d+:\d+): ERROR: /, 'line $1: ');
  return lines[0] ?? msg;
}
