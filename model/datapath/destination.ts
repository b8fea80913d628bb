// The destination device of a migration: it is brought to RESUMING, receives the records
// the user read from the source, in order, through write() on its resuming fd, and loads
// them on RESUMING->STOP.
//
// Modelled: STOP->RESUMING opens a resuming session with a new data_fd (SAVE-1) and
// prepares the device for loading: its units become blank, so data that never arrives is
// visible (DATA-3); write() applies each record to the unit it names (the stream is opaque to
// the user and kept in order, SET-6; how it is cut into write() calls does not matter,
// SET-7, so one record is one write); RESUMING->STOP ends the session and validates: a
// destination whose driver detects incomplete streams fails the SET when the end record
// never arrived (DATA-4, DATA-5) and the device stays in RESUMING (COMB-5); closing the fd
// does not abort the session, only RESET does (DATA-6); write() on an ended session's fd
// fails with ENODEV (SAVE-4).
//
// Abstracted: inconsistent (as opposed to incomplete) streams, which only a user breaking
// DATA-2 could produce; the destination device's own running after the migration (it does
// not change its units: what it does as the new VM's device is outside the migration).

import { t, type Infer } from '../../checker/index.js';
import { STATES, type MigState } from '../states.js';
import { sessionEffect, type ArcResult } from '../kernel/fsm.js';
import { NONE, unitType, type StreamBounds, type StreamRecord } from './stream.js';
import type { ResumeCheck } from '../drivers/profile.js';

/** The destination device as the model keeps it, for some bounds. The field order is the packed layout. */
export function destinationSchema(b: StreamBounds) {
  return t.record({
    /** device_state after the last arc. */
    state: t.enum(STATES),
    /** Per unit, the version loaded from the stream, or NONE (blank) since RESUMING began. */
    units: t.array(t.int(NONE, b.maxVersion), unitType(b)),
    /** The latest (resuming) session is valid. */
    live: t.bool(),
    /** The user holds an fd of this device (a session was opened; not closed). */
    held: t.bool(),
    /** The end record arrived in this resuming session. */
    complete: t.bool(),
  });
}

/** The destination device (see destinationSchema, its one declaration). */
export type DestinationDevice = Infer<ReturnType<typeof destinationSchema>>;

/** A running device that holds nothing of the source. */
export function initialDestination(b: StreamBounds): DestinationDevice {
  return {
    state: 'RUNNING',
    units: Array.from({ length: b.units }, () => NONE),
    live: false,
    held: false,
    complete: false,
  };
}

/** The destination's data_fd is always 4 (the source's is 3): the user closes an old fd before it gets a new one. */
export const destinationFd = (_dev?: unknown): number => 4;

/**
 * Whether RESUMING->STOP accepts what was written (DATA-5): with the driver's check
 * (`nothing`, the `end` record, the `length`: every unit arrived, or `header-or-whole`:
 * every unit or none), or `true`/`false` for
 * `end`/`nothing`.
 */
export function streamAccepted(dev: Readonly<DestinationDevice>, check: boolean | ResumeCheck): boolean {
  const c = check === true ? 'end' : check === false ? 'nothing' : check;
  if (c === 'nothing') return true;
  if (c === 'end') return dev.complete;
  let arrived = 0;
  for (const v of dev.units) if (v !== NONE) arrived++;
  return arrived === dev.units.length || (c === 'header-or-whole' && arrived === 0);
}

/** What one arc does to the destination's session and units. */
export function destinationArc(dev: DestinationDevice, from: MigState, to: MigState, effect: ArcResult = sessionEffect(from, to)): ArcResult {
  const { opens, ends } = effect;
  if (ends) dev.live = false;
  if (opens) {
    dev.live = true;
    dev.held = true;
    if (opens === 'resume') {
      for (let u = 0; u < dev.units.length; u++) dev.units[u] = NONE;
      dev.complete = false;
    }
  }
  dev.state = to;
  return effect;
}

/** VFIO_DEVICE_RESET: RUNNING, a resuming session aborted (DATA-6, ERR-6). */
export function resetDestination(dev: DestinationDevice): void {
  dev.live = false;
  dev.state = 'RUNNING';
}

export type WriteResult = 'ok' | 'ENODEV';

/** What write() on the user's fd returns (pure). */
export function writeResult(dev: Readonly<DestinationDevice>): WriteResult {
  return dev.live && dev.state === 'RESUMING' ? 'ok' : 'ENODEV';
}

/** Loads one record. */
export function applyWrite(dev: DestinationDevice, r: StreamRecord): void {
  if (r.kind === 'end') dev.complete = true;
  else if (r.kind !== 'header') dev.units[r.unit] = r.version;
}
