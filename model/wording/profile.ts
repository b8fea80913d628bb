// What a wording profile is: a named reading of the uAPI text, as the set of clauses it
// contains and the level it gives each (model/wording/clauses.ts). Profiles are data: a few lines
// that pick clauses from the catalogue by key and give them a level, optionally starting
// from another profile (`extends`) and dropping clauses (`null`). A TypeScript profile may
// also define a clause of its own, with its own check; a JSON profile can only use the
// catalogue. See docs/wording-lab.md.

import { ConfigError, suggest } from '../../checker/index.js';
import {
  CLAUSE_CATALOGUE, CLAUSE_LEVELS, PARTIES, clauseText,
  type Clause, type ClauseDef, type ClauseLevel, type ClauseProperty, type Party,
} from './clauses.js';

/** How a profile lists one clause: its level, or the level with its own statement, or (TypeScript only) a whole new clause. */
export type WordingEntry =
  | ClauseLevel
  | null
  | {
      readonly level: ClauseLevel;
      /** This wording's statement (replaces the catalogue's). */
      readonly statement?: string;
      /** For a clause with readings (PRECOPY-4): the one this wording means (its statement and check). */
      readonly reading?: string;
      // A clause that is not in the catalogue needs all of these:
      readonly id?: string;
      readonly party?: Party;
      readonly behaviour?: string;
      readonly permission?: string;
      readonly property?: ClauseProperty;
    };

export interface WordingProfile {
  /** The name `--wording` takes. */
  readonly name: string;
  /** What text this is, in a sentence or two. */
  readonly doc: string;
  /** Where the text comes from (patch, commit, thread). */
  readonly source?: string;
  /** A profile this one starts from: a registered name or a profile object. */
  readonly extends?: string | WordingProfile;
  /** Clause key -> level (or null to drop a clause inherited from `extends`). */
  readonly clauses: Readonly<Record<string, WordingEntry>>;
}

/** A profile with its inheritance applied and every clause resolved. */
export interface Wording {
  readonly name: string;
  readonly doc: string;
  readonly source?: string;
  /** Where it was loaded from, for user profiles. */
  readonly file?: string;
  readonly clauses: readonly Clause[];
}

/** Declares a profile (identity; gives the object its type). */
export function defineWording(p: WordingProfile): WordingProfile {
  return p;
}

const isLevel = (x: unknown): x is ClauseLevel => typeof x === 'string' && (CLAUSE_LEVELS as readonly string[]).includes(x);

function propertyProblem(p: unknown): string | null {
  if (typeof p !== 'object' || p === null) return 'must be an object';
  const o = p as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name === '') return 'needs a name';
  const kinds = ['model', 'state', 'step', 'witnessState', 'witnessStep'].filter((k) => k in o);
  if (kinds.length !== 1) return 'needs exactly one of model, state, step, witnessState, witnessStep';
  const k = kinds[0];
  if (k === 'model' ? typeof o.model !== 'string' : typeof o[k] !== 'function') return `'${k}' has the wrong type`;
  return null;
}

const ENTRY_KEYS = ['level', 'statement', 'reading', 'id', 'party', 'behaviour', 'permission', 'property'] as const;

/** One entry as a clause, or a message saying what is wrong with it. */
function entryClause(profile: string, key: string, e: Exclude<WordingEntry, null>): Clause {
  const where = `wording ${profile}: clause ${key}`;
  const level = typeof e === 'string' ? e : e.level;
  if (!isLevel(level)) throw new ConfigError(`${where}: level '${String(level)}' is not one of ${CLAUSE_LEVELS.join(', ')}`);
  const known = CLAUSE_CATALOGUE[key];
  if (typeof e === 'string') {
    if (!known) throw new ConfigError(`${where}: not in the clause catalogue (known: ${Object.keys(CLAUSE_CATALOGUE).join(', ')}); a new clause needs id, party, statement, behaviour and property`);
    return { ...known, key, level, text: clauseText(known, level) };
  }
  for (const k of Object.keys(e))
    if (!(ENTRY_KEYS as readonly string[]).includes(k)) throw new ConfigError(`${where}: unknown key '${k}'${suggest(k, ENTRY_KEYS)} (an entry has ${ENTRY_KEYS.join(', ')})`);
  if (e.statement !== undefined && (typeof e.statement !== 'string' || e.statement.trim() === '')) throw new ConfigError(`${where}: statement must be a non-empty string`);
  if (e.reading !== undefined) {
    const readings = Object.keys(known?.readings ?? {});
    if (!known || !known.readings) throw new ConfigError(`${where}: has no readings to choose from`);
    const r = known.readings[e.reading];
    if (!r) throw new ConfigError(`${where}: unknown reading '${e.reading}'${suggest(e.reading, readings)} (readings: ${readings.join(', ')})`);
    const def: ClauseDef = { ...known, statement: r.statement, permission: r.permission, behaviour: r.behaviour, property: r.property, reading: e.reading, ...(e.statement !== undefined ? { statement: e.statement, permission: e.statement } : {}) };
    return { ...def, key, level, text: clauseText(def, level) };
  }
  if (known) {
    for (const k of ['id', 'party', 'behaviour', 'property'] as const)
      if (e[k] !== undefined) throw new ConfigError(`${where}: '${k}' cannot be changed for a catalogue clause (give the new clause another key)`);
    const def: ClauseDef = { ...known, ...(e.statement !== undefined ? { statement: e.statement, permission: e.statement } : {}), ...(e.permission ? { permission: e.permission } : {}) };
    return { ...def, key, level, text: clauseText(def, level) };
  }
  const missing = (['id', 'party', 'statement', 'behaviour', 'property'] as const).filter((k) => e[k] === undefined);
  if (missing.length) throw new ConfigError(`${where}: not in the clause catalogue, so it needs ${missing.join(', ')}`);
  if (!(PARTIES as readonly string[]).includes(e.party!)) throw new ConfigError(`${where}: party must be one of ${PARTIES.join(', ')}`);
  const bad = propertyProblem(e.property);
  if (bad) throw new ConfigError(`${where}: property ${bad}`);
  const def: ClauseDef = { id: e.id!, party: e.party!, level, statement: e.statement!, permission: e.permission, behaviour: e.behaviour!, property: e.property! };
  return { ...def, key, text: clauseText(def, level) };
}

/**
 * Resolves a profile: its parent first (by name through `lookup`), then its own entries in
 * order (a key already present keeps its place). Unknown parents and cycles are ConfigErrors.
 */
export function resolveWording(p: WordingProfile, lookup: (name: string) => WordingProfile | undefined, file?: string, seen: readonly string[] = []): Wording {
  const problem = wordingProblem(p);
  if (problem) throw new ConfigError(`${file ? `${file}: ` : ''}${problem}`);
  if (seen.includes(p.name)) throw new ConfigError(`wording ${p.name}: 'extends' goes round in a circle (${[...seen, p.name].join(' -> ')})`);
  let clauses: Clause[] = [];
  if (p.extends !== undefined) {
    const parent = typeof p.extends === 'string' ? lookup(p.extends) : p.extends;
    if (!parent) throw new ConfigError(`wording ${p.name}: extends unknown wording '${String(p.extends)}'`);
    clauses = [...resolveWording(parent, lookup, undefined, [...seen, p.name]).clauses];
  }
  for (const [key, e] of Object.entries(p.clauses)) {
    const at = clauses.findIndex((c) => c.key === key);
    if (e === null) {
      if (at < 0) throw new ConfigError(`wording ${p.name}: drops clause ${key}, which ${p.extends ? `'${String(typeof p.extends === 'string' ? p.extends : p.extends.name)}' does not have` : 'no parent wording has'}`);
      clauses.splice(at, 1);
      continue;
    }
    const c = entryClause(p.name, key, e);
    if (at >= 0) clauses[at] = c;
    else clauses.push(c);
  }
  if (clauses.length === 0) throw new ConfigError(`wording ${p.name}: has no clauses`);
  return { name: p.name, doc: p.doc, source: p.source, file, clauses };
}

/** What is wrong with the shape of a profile, or null. */
export function wordingProblem(p: unknown): string | null {
  if (typeof p !== 'object' || p === null) return 'a wording profile must be an object with name, doc and clauses';
  const o = p as Record<string, unknown>;
  if (typeof o.name !== 'string' || !/^[\w.+-]+$/.test(o.name)) return `a wording profile needs a name made of letters, digits and . _ + - (got ${JSON.stringify(o.name)})`;
  if (typeof o.doc !== 'string' || o.doc.trim() === '') return `wording ${o.name}: needs a 'doc' sentence saying what text it is`;
  if (o.source !== undefined && typeof o.source !== 'string') return `wording ${o.name}: 'source' must be a string`;
  if (o.extends !== undefined && typeof o.extends !== 'string' && (typeof o.extends !== 'object' || o.extends === null)) return `wording ${o.name}: 'extends' must be a wording name`;
  if (typeof o.clauses !== 'object' || o.clauses === null || Array.isArray(o.clauses)) return `wording ${o.name}: 'clauses' must be an object mapping clause keys to levels`;
  for (const [k, v] of Object.entries(o.clauses as Record<string, unknown>)) {
    if (v === null || isLevel(v)) continue;
    if (typeof v === 'object' && isLevel((v as { level?: unknown }).level)) continue;
    return `wording ${o.name}: clause ${k}: expected one of ${CLAUSE_LEVELS.join(', ')}, null, or { level, statement }; got ${JSON.stringify(v)}`;
  }
  const extra = Object.keys(o).filter((k) => !['name', 'doc', 'source', 'extends', 'clauses', '$schema'].includes(k));
  if (extra.length) return `wording ${o.name}: unknown field${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (known: name, doc, source, extends, clauses)`;
  return null;
}
