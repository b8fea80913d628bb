// The driver profiles by name: the values of the DRIVER constant (`--driver mlx5-like`).

import { ConfigError, suggest } from '../../checker/index.js';
import type { DriverProfile } from './profile.js';
import { profileProblem } from './profile.js';
import { reference } from './reference.js';
import { mlx5Like } from './mlx5-like.js';
import { staticHeaderLike } from './static-header-like.js';
import { noPrecopy } from './no-precopy.js';
import { vgpuFramebuffer } from './vgpu-framebuffer.js';
import { virtio } from './virtio.js';
import { pds } from './pds.js';
import { xe } from './xe.js';
import { hisiAcc } from './hisi-acc.js';
import { qat } from './qat.js';
import {
  brokenForgetsInitial, brokenEnomsgInStopCopy, brokenInfoInStopCopy, brokenMissesP2pDirty, brokenInitialGrows, brokenSaveHangs,
} from './broken.js';

export type {
  DriverProfile, EmptyRead, PrecopyInfoAnswer, PrivateField, ResetEffect, StaleRead, StaleInfo, ResumeCheck, ArcFailure, DriverEvent,
} from './profile.js';
export { profileProblem, KERNEL_RESET, staleInfoStateFirst, resumeCheckOf, initialPrivate } from './profile.js';
// The bug-history twins (specs/vfio/history/); not in the registry.
export * from './history.js';
export {
  reference, mlx5Like, staticHeaderLike, noPrecopy, vgpuFramebuffer, virtio, pds, xe, hisiAcc, qat,
  brokenForgetsInitial, brokenEnomsgInStopCopy, brokenInfoInStopCopy, brokenMissesP2pDirty, brokenInitialGrows, brokenSaveHangs,
};

/** Every built-in profile, conforming ones first. */
export const DRIVERS: readonly DriverProfile[] = [
  reference, mlx5Like, staticHeaderLike, noPrecopy, vgpuFramebuffer, virtio, pds, xe, hisiAcc, qat,
  brokenForgetsInitial, brokenEnomsgInStopCopy, brokenInfoInStopCopy, brokenMissesP2pDirty, brokenInitialGrows,
];

/** The names `--driver` accepts. */
export const DRIVER_NAMES: readonly string[] = DRIVERS.map((d) => d.name);

/** A profile by name, or a profile object checked for shape; a ConfigError lists the known names. */
export function driverProfile(d: string | DriverProfile): DriverProfile {
  if (typeof d !== 'string') {
    const bad = profileProblem(d);
    if (bad) throw new ConfigError(bad);
    return d;
  }
  const hit = DRIVERS.find((x) => x.name === d.trim());
  if (!hit) throw new ConfigError(`unknown driver '${d}'; known drivers: ${DRIVER_NAMES.join(', ')}, or a .ts/.js/.json file exporting a driver profile${suggest(d.trim(), DRIVER_NAMES)}`);
  return hit;
}
