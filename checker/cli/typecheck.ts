// Type-checking a spec file before it runs, against migcheck's own types, so that a
// misspelt field (`s.count` on a state without `count`) is an error naming the file, line
// and field rather than a silent `undefined`. TypeScript's checker is slow to start (a
// second or two), so results are cached per spec file with the content hash of every
// source file the check read (the spec, what it imports, migcheck's sources); an unchanged
// spec costs a few milliseconds of hashing and never loads TypeScript.
//
// Only the user's files are reported: problems inside migcheck's sources are its own tests'
// business. Missing Node.js type definitions (a project without @types/node) are not the
// spec's fault either, and are not reported.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { SpecError } from '../errors.js';
import { packageRoot } from './root.js';
import { cut } from './kit.js';
import type * as TS from 'typescript';

/** Diagnostics about missing Node.js typings ('process', 'Buffer', 'node:fs' without @types/node). */
const NOT_THE_SPECS_FAULT = new Set([2580, 2591, 2592, 2593, 7016]);

interface CacheEntry {
  /** Absolute path → sha1 of every file the check read (outside node_modules). */
  files: Record<string, string>;
  /** The problems found, as printed (empty: the spec type-checks). */
  problems: string[];
}

const sha = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');

function cacheFile(path: string, versions: string): string | undefined {
  try {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
    const dir = join(tmpdir(), `migcheck-${uid}`, 'typecheck');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return join(dir, `${sha(`${path}\0${versions}\0${packageRoot}`).slice(0, 32)}.json`);
  } catch {
    return undefined;
  }
}

function readCache(file: string | undefined): CacheEntry | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
    for (const [p, h] of Object.entries(e.files)) if (!existsSync(p) || sha(readFileSync(p)) !== h) return undefined;
    return e;
  } catch {
    return undefined;
  }
}

/** Throws a SpecError (exit 150) naming file:line:column and TypeScript's message when the spec does not type-check. */
export function typecheckSpec(path: string, cwd: string, onMiss?: () => void): void {
  if (!/\.[mc]?ts$/.test(path)) return;
  const req = createRequire(join(packageRoot, 'package.json'));
  let tsVersion: string;
  try {
    tsVersion = (req('typescript/package.json') as { version: string }).version;
  } catch {
    throw new SpecError('cannot type-check the spec: the typescript package is not installed (reinstall migcheck, or pass --no-typecheck)', path);
  }
  const cache = cacheFile(path, `${tsVersion}\0${process.version}`);
  const hit = readCache(cache);
  if (!hit) onMiss?.();
  const problems = hit ? hit.problems : check(req('typescript') as typeof TS, path, cwd, cache);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more type error${problems.length === 2 ? '' : 's'}; --no-typecheck runs it anyway)` : ' (--no-typecheck runs it anyway)';
    throw new SpecError(`${problems[0]}${more}`);
  }
}

function check(ts: typeof TS, path: string, cwd: string, cache: string | undefined): string[] {
  const types = existsSync(join(packageRoot, 'node_modules', '@types', 'node')) ? ['node'] : [];
  const options: TS.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    types,
    typeRoots: [join(packageRoot, 'node_modules', '@types')],
    paths: { migcheck: [join(packageRoot, 'checker', 'index.ts')], 'migcheck/model': [join(packageRoot, 'model', 'index.ts')] },
  };
  const program = ts.createProgram([path], options);
  const own = (f: string) => {
    const r = relative(packageRoot, f);
    return !r.startsWith('..') && (r.startsWith(`checker${sep}`) || r.startsWith(`model${sep}`) || r.startsWith('node_modules'));
  };
  const problems: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.category !== ts.DiagnosticCategory.Error || NOT_THE_SPECS_FAULT.has(d.code)) continue;
    if (d.file && (own(resolve(d.file.fileName)) || d.file.isDeclarationFile)) continue;
    const text = cut(ts.flattenDiagnosticMessageText(d.messageText, ' '), 300);
    if (!d.file || d.start === undefined) {
      problems.push(`type error: ${text}`);
      continue;
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const rel = relative(cwd, d.file.fileName);
    const shown = rel && !rel.startsWith('..') ? rel : d.file.fileName;
    problems.push(`${shown}:${line + 1}:${character + 1}: type error: ${text}`);
  }
  if (cache) {
    const files: Record<string, string> = {};
    for (const sf of program.getSourceFiles()) {
      const f = resolve(sf.fileName);
      if (f.includes(`${sep}node_modules${sep}`)) continue;
      try {
        if (statSync(f).isFile()) files[f] = sha(readFileSync(f));
      } catch {
        /* a file TypeScript made up */
      }
    }
    try {
      const tmp = `${cache}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify({ files, problems } satisfies CacheEntry));
      renameSync(tmp, cache);
    } catch {
      /* no cache: the next run checks again */
    }
  }
  return problems;
}
