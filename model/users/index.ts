// The user (VMM) models by name: the values of the USER constant (`--user qemu-like`).

import { ConfigError, suggest } from '../../checker/index.js';
import type { UserModel } from './profile.js';
import { adversarial } from './adversarial.js';
import { qemuLike } from './qemu-like.js';
import { control } from './control.js';

export type { UserModel, UserAction, UapiCall } from './profile.js';
export { action } from './profile.js';
export { adversarial, qemuLike, control };

/** Every built-in user model of a migration (the matrix, replay and symmetry cover these); the first is the default. */
export const USERS: readonly UserModel[] = [adversarial, qemuLike];

export const userNames = (): string[] => USERS.map((u) => u.name);

/**
 * Every user model a USER constant may name: the migration users and the control user,
 * which drives the source alone (specs/vfio/fsm*.spec.ts) and needs MAX_FDS.
 */
const NAMED: readonly UserModel[] = [...USERS, control];

const USER_KEYS = ['name', 'doc', 'state', 'init', 'actions', 'terminal', 'dataSteps'] as const;

/** What is wrong with a value offered as a user model (a module's export), or null. */
export function userProblem(u: unknown): string | null {
  if (typeof u !== 'object' || u === null) return `a user model must be an object, not ${u === null ? 'null' : typeof u}`;
  const m = u as Record<string, unknown>;
  if (typeof m.name !== 'string' || m.name === '') return 'a user model needs a name';
  for (const k of Object.keys(m))
    if (!(USER_KEYS as readonly string[]).includes(k)) return `user ${m.name}: unknown key '${k}'${suggest(k, USER_KEYS)} (a user model has ${USER_KEYS.join(', ')})`;
  if (typeof m.actions !== 'function') return `user ${m.name}: 'actions' must be a function (cfg) => { name: action, … }`;
  for (const k of ['state', 'init', 'terminal'])
    if (m[k] !== undefined && typeof m[k] !== 'function') return `user ${m.name}: '${k}' must be a function when given`;
  if (m.dataSteps !== undefined && typeof m.dataSteps !== 'boolean') return `user ${m.name}: 'dataSteps' must be true or false when given`;
  return null;
}

/** A user model by name, or the given object; a ConfigError lists the known names. */
export function userModel(u: string | UserModel): UserModel {
  if (typeof u !== 'string') {
    const bad = userProblem(u);
    if (bad) throw new ConfigError(bad);
    return u;
  }
  const hit = NAMED.find((x) => x.name === u.trim());
  const names = NAMED.map((x) => x.name);
  if (!hit) throw new ConfigError(`unknown user '${u}'; known users: ${names.join(', ')}, or a .ts/.js file exporting a user model${suggest(u.trim(), names)}`);
  return hit;
}
