// The migcheck command line. Declarations live here; each command's procedure returns an
// exit code; only `run` touches process.exitCode. Commands contributed by the package
// (package.json "migcheck.commands") are registered at start-up, so checker/ stays
// independent of any particular model.

import { Command, CommanderError, Option } from 'commander';
import { Chalk, type ChalkInstance } from 'chalk';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { EXIT } from './exit.js';
import { OutputError, writeFd } from './output.js';
import { cut } from './kit.js';
import { packageConfig, packageModule, packageVersion } from './load.js';
import { ConfigError, SpecError, UsageError } from '../errors.js';
import { SchemaError } from '../schema.js';
import { checkCommand, listCommand, type CheckCliOptions } from './commands.js';
import { formats } from '../report/formats.js';
import { editDistance } from '../names.js';
import { DEFAULT_DEPTH } from '../explore/simulate.js';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Whether stdout is a terminal (colour, progress line). */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress line). */
  errIsTTY: boolean;
  /** stderr's width in columns when it is a terminal (the progress line is cut to fit). */
  errColumns?: number;
  colorLevel: 0 | 1 | 2 | 3;
  cwd: string;
  writeFile(path: string, data: string): void;
}

/** What plugin commands get to work with. */
export interface CliContext {
  io: Io;
  chalk(enabled: boolean): ChalkInstance;
  /** Records the exit code of the command that ran. */
  setExit(code: number): void;
}

function defaultIo(): Io {
  const level = (process.env.NO_COLOR ? 0 : process.stdout.isTTY ? Math.min(3, Math.max(1, process.stdout.getColorDepth?.() === 24 ? 3 : 2)) : 0) as 0 | 1 | 2 | 3;
  return {
    out: (s) => writeFd(1, s),
    err: (s) => {
      // A closed or full stderr has nowhere to complain to; the exit code still tells.
      try {
        writeFd(2, s, 'standard error');
      } catch {
        /* nothing left to report through */
      }
    },
    isTTY: Boolean(process.stdout.isTTY),
    errIsTTY: Boolean(process.stderr.isTTY),
    get errColumns() {
      return process.stderr.columns;
    },
    colorLevel: process.env.FORCE_COLOR ? 1 : level,
    cwd: process.cwd(),
    writeFile: (p, d) => writeFileSync(p, d),
  };
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('migcheck')
    .description('Explicit-state model checker with a formal model of the Linux VFIO migration uAPI')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      // Commander's own errors (unknown command, bad choice, missing value) as one line.
      // A long value it quotes (a 5 KB --format, an unknown command) is cut as in our own messages.
      outputError: (s, write) => write(`migcheck: ${s.trim().replace(/^error: /, '').replace(/'([^'\n]{81,})'/g, (_m, v: string) => `'${cut(v)}'`)} (see migcheck --help)\n`),
    });

  program
    .command('check')
    .description('explore every reachable state of a spec and check its invariants and properties')
    .argument('[spec]', 'spec file (.ts/.js); default: the built-in default spec')
    .option('--invariant <name>', 'check only this invariant, action property or temporal property (repeatable)', collect)
    .option('--const <NAME=VALUE>', 'override a constant (repeatable)', collect)
    .option('--no-deadlock', 'do not report states without successors')
    .option('--max-states <n>', 'stop (incomplete) rather than store more distinct states')
    .option('--max-depth <n>', 'do not explore beyond this depth (initial states are depth 1)')
    .option('--memory <size>', 'budget for the state store, e.g. 512M, 4G (default 80% of memory); see --spill')
    .addOption(new Option('--spill <mode>', 'beyond --memory: auto (parent pointers, then fingerprints, to disk), always (to disk from the start), never (stop as incomplete)').choices(['auto', 'always', 'never']).default('auto'))
    .option('--spill-dir <dir>', 'directory for the spilled stores (default the system temporary directory); removed at the end')
    .addOption(new Option('--format <format>', 'output format').choices([...formats.keys()]).default('text'))
    .option('--out <file>', 'write the report to a file instead of standard output')
    .option('--full', 'show whole states in traces, not only what changed')
    .option('--no-color', 'no colour in text output')
    .addOption(new Option('--engine <engine>', 'action semantics').choices(['fast', 'immer']).default('fast'))
    .option('--workers <n>', 'worker threads sharing the search (same counts and counterexample at any number)')
    .option('--allow-incomplete', 'exit 0 even when a bound stopped the search')
    .option('--time-limit <duration>', 'stop (incomplete, exit 15) after this long, e.g. 90s, 5m, 1h30m')
    .option('--checkpoint <dir>', 'keep a checkpoint of the search in DIR (at level boundaries, and when stopped)')
    .option('--checkpoint-every <duration>', 'time between checkpoints (default 5m)')
    .option('--resume <dir>', 'go on from the checkpoint in DIR (same spec, constants and options)')
    .addOption(new Option('--enabledness <mode>', "when a fairness condition is enabled: 'action' (as TLC, the default) or 'explored' (only by successors inside the constraint)").choices(['action', 'explored']))
    .option('--no-typecheck', 'do not type-check a TypeScript spec before running it')
    .option('--simulate', 'random walks instead of exhaustive search (finds bugs in models too large to exhaust; proves nothing)')
    .option('--seed <n>', 'with --simulate: seed of the first walk (walk k uses seed+k; default 0)')
    .option('--depth <n>', `with --simulate: states per walk at most (default ${DEFAULT_DEPTH})`)
    .option('--runs <n>', 'with --simulate: number of walks (default 1000 unless --time is given)')
    .option('--time <duration>', 'with --simulate: stop after this long, e.g. 30s, 2m')
    .option('--coverage', 'report per action and parameter how often it was enabled, fired and found a new state, and per property how often it was evaluated')
    .option('--dump <format-and-file...>', 'write the explored state graph: --dump dot FILE or --dump json FILE (instances up to 10,000 states)')
    .option('--check-symmetry', "instead of the search, check that the spec's symmetry holds: every permutation of each reachable orbit (up to --max-states, default 20,000) has the same verdicts and successor orbits (exit 0), or show where not (exit 150)")
    .addHelpText('after', '\nAny other --name VALUE option sets the spec constant NAME (e.g. --driver mlx5-like sets DRIVER).')
    .action(async (spec: string | undefined, opts: Partial<Pick<CheckCliOptions, 'invariant' | 'const'>> & Omit<CheckCliOptions, 'invariant' | 'const'>) => {
      // Repeatable options have no declared default (commander would print `(default: [])`).
      ctx.setExit(await checkCommand(ctx, spec, { ...opts, invariant: opts.invariant ?? [], const: opts.const ?? [] }));
    });

  program
    .command('list')
    .description('list a spec\'s constants (with defaults), actions, invariants and properties')
    .argument('[spec]', 'spec file; default: the built-in default spec')
    .option('--const <NAME=VALUE>', 'override a constant (repeatable)', collect)
    .option('--no-typecheck', 'do not type-check a TypeScript spec before loading it')
    .action(async (spec: string | undefined, opts: { const?: string[]; typecheck: boolean }) => {
      ctx.setExit(await listCommand(ctx, spec, { const: opts.const ?? [], typecheck: opts.typecheck }));
    });
  return program;
}


/** Runs the CLI in-process and returns the exit code. */
export async function main(argv: readonly string[], io: Partial<Io> = {}): Promise<number> {
  const fullIo: Io = { ...defaultIo(), ...io };
  let exit: number = EXIT.OK;
  const ctx: CliContext = {
    io: fullIo,
    chalk: (enabled) => new Chalk({ level: enabled ? (fullIo.colorLevel || 0) : 0 }),
    setExit: (c) => (exit = c),
  };
  const program = buildProgram(ctx);
  try {
    for (const mod of packageConfig().commands ?? []) {
      const m = (await import(pathToFileURL(packageModule(mod)).href)) as { register?: (p: Command, c: CliContext) => void };
      m.register?.(program, ctx);
    }
    checkHelpTopic(program, argv);
    await program.parseAsync(['node', 'migcheck', ...constantAliases(program, argv)]);
    return exit;
  } catch (e) {
    return reportError(e, fullIo);
  }
}

/** Longest message line; values inside messages are cut shorter where they are quoted (kit.ts cut). */
const MESSAGE_MAX = 400;

/** User errors get one clear line and their documented exit code; anything else is a bug. */
export function reportError(e: unknown, io: Io): number {
  if (e instanceof CommanderError) {
    // `migcheck` alone prints the help on standard error as commander's error case (exitCode 1): nothing was asked, so a usage error.
    if (e.code === 'commander.help' && e.exitCode !== 0) return EXIT.USAGE;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
    return EXIT.USAGE;
  }
  // A value echoed in a message (a 100 KB --const, a long path) is cut, so the line stays a line.
  const line = (m: string) => `migcheck: ${cut(m, MESSAGE_MAX)}\n`;
  if (e instanceof OutputError) {
    io.err(line(e.message));
    return EXIT.IO_ERROR;
  }
  if (e instanceof UsageError) {
    io.err(line(e.message));
    return EXIT.USAGE;
  }
  if (e instanceof ConfigError || e instanceof SpecError || e instanceof SchemaError) {
    io.err(line(e.message));
    return EXIT.BAD_SPEC;
  }
  const err = e as Error;
  io.err(`migcheck: internal error: ${err?.message ?? String(e)}\n${err?.stack ?? ''}\nPlease report this as a bug.\n`);
  return 1;
}

/** Entry point for the bin script. */
export async function run(argv: readonly string[]): Promise<void> {
  process.exitCode = await main(argv);
}

/**
 * Rewrites options a command does not declare (`--driver mlx5-like`, `--units=3`) into
 * `--const @driver=mlx5-like`; the command resolves `@name` against the spec's constants
 * (case-insensitive, '-' same as '_') and reports an unknown option if none matches.
 */
export function constantAliases(program: Command, argv: readonly string[]): string[] {
  const sub = program.commands.find((c) => c.name() === argv[0]);
  if (!sub || !sub.options.some((o) => o.long === '--const')) return [...argv];
  const known = new Set(sub.options.flatMap((o) => [o.long, o.short].filter(Boolean) as string[]));
  known.add('--help').add('-h');
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([A-Za-z][\w-]*)(?:=(.*))?$/.exec(a);
    if (i > 0 && m && !known.has(`--${m[1]}`) && !(m[1].startsWith('no-') && known.has(`--${m[1].slice(3)}`))) {
      const near = [...known].find((k) => k.startsWith('--') && k.length > 4 && editDistance(k, `--${m[1]}`) === 1);
      if (near) throw new UsageError(`unknown option '--${m[1]}'; did you mean '${near}'?`);
      let value = m[2];
      if (value === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
      // Without a value it can only be a mistake; the command says which kind once it knows the spec.
      out.push('--const', value === undefined ? `@${m[1]}` : `@${m[1]}=${value}`);
    } else out.push(a);
  }
  return out;
}

/** `migcheck help NAME` for a command that does not exist is an error (commander would print the general help and exit 0). */
function checkHelpTopic(program: Command, argv: readonly string[]): void {
  if (argv[0] !== 'help' || argv[1] === undefined || argv[1].startsWith('-')) return;
  const names = program.commands.map((c) => c.name()).filter((n) => n !== 'help');
  if (names.includes(argv[1])) return;
  const near = names.filter((n) => editDistance(n, argv[1]) <= 2);
  throw new UsageError(`help: no command '${cut(argv[1])}'${near.length ? `; did you mean '${near[0]}'?` : ''} (commands: ${names.join(', ')})`);
}
