// The user (VMM) models by name: the values of the USER constant (`--user qemu-like`).

import { ConfigError } from '../../checker/index.js';
import type { UserModel } from './profile.js';
import { adversarial } from './adversarial.js';
import { qemuLike } from './qemu-like.js';

export type { UserModel, UserAction, UapiCall } from './profile.js';
export { action } from './profile.js';
export { adversarial, qemuLike };

/** Every built-in user model; the first is the default. */
export const USERS: readonly UserModel[] = [adversarial, qemuLike];

export const userNames = (): string[] => USERS.map((u) => u.name);

/** A user model by name, or the given object; a ConfigError lists the known names. */
export function userModel(u: string | UserModel): UserModel {
  if (typeof u !== 'string') {
    if (typeof u !== 'object' || u === null || typeof u.name !== 'string' || typeof u.actions !== 'function')
      throw new ConfigError('a user model needs a name and an actions(cfg) function');
    return u;
  }
  const hit = USERS.find((x) => x.name === u.trim());
  if (!hit) throw new ConfigError(`unknown user '${u}'; known users: ${userNames().join(', ')}`);
  return hit;
}
