// Overlay views: a view that replaces some fields of a state by constant values, and leaves
// the rest as it is (`view: { overlay: (s) => ({ dst: IDLE_DST }) }`, or undefined for "the
// state itself"). It means the same as the view `{ state: <the state's schema>, of: (s) =>
// s with the overlay's fields }` (applyOverlay is that reference meaning), but costs no
// object and no second packing per state: the first time the search meets an overlay object
// it packs it once into a mask and the bits under it (OverlayMasks), and from then on the
// view of a packed state is `(word & ~mask) | bits`, one word at a time.
//
// An overlay is a partial state: a record field given as a plain object is itself partial
// (its other fields kept); any other value (a number, an array, a set, a whole record given
// where the schema has no record) replaces the field whole. Overlay objects are read once,
// when first met, and matched by identity afterwards: return the same few constant objects,
// and do not change them.

import type { Schema } from '../schema.js';
import type { Layout } from './layout.js';

/** The state with the overlay's fields put in (a fresh object along the changed paths); `s` itself for no overlay. */
export function applyOverlay(s: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return s;
  if (!isPlainRecord(overlay) || !isPlainRecord(s)) return overlay;
  const out: Record<string, unknown> = { ...s };
  for (const k of Object.keys(overlay)) out[k] = isPlainRecord(overlay[k]) && isPlainRecord(s[k]) ? applyOverlay(s[k], overlay[k]) : overlay[k];
  return out;
}

function isPlainRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The paths an overlay replaces, in the layout's spelling (`dst.units`), or a message naming
 * a field the schema does not have.
 */
export function overlayPaths(schema: Schema, overlay: unknown): { paths: string[] } | { error: string } {
  const paths: string[] = [];
  const walk = (s: Schema, o: unknown, path: string): string | undefined => {
    if (s.kind !== 'record' || !isPlainRecord(o)) {
      paths.push(path);
      return undefined;
    }
    for (const k of Object.keys(o)) {
      const at = path === '' ? k : `${path}.${k}`;
      if (!(k in s.fields)) return `the overlay names ${at}, which is not a field of the state`;
      const e = walk(s.fields[k], o[k], at);
      if (e !== undefined) return e;
    }
    return undefined;
  };
  const error = walk(schema, overlay, '');
  return error === undefined ? { paths } : { error };
}

/** One overlay object packed: the view of packed words w is `(w & ~mask) | bits`. */
export interface PackedOverlay {
  readonly overlay: object;
  readonly keep: Uint32Array;
  readonly bits: Uint32Array;
}

/**
 * The packed overlays of one run, found by the identity of the overlay object (a linear
 * search over the few a view returns; no Map on the hot path).
 */
export class OverlayMasks<S> {
  private readonly known: PackedOverlay[] = [];
  private last: PackedOverlay | undefined;
  /** The view of the last `apply`, packed. */
  readonly out: Uint32Array;

  constructor(private readonly schema: Schema, private readonly layout: Layout<S>) {
    this.out = new Uint32Array(layout.words);
  }

  /**
   * The packed overlay of `overlay`, packed on first use with `s` (any state of the schema)
   * for the fields it leaves alone. Returns a message when the overlay is outside the schema.
   */
  packed(overlay: object, s: S): PackedOverlay | string {
    if (this.last !== undefined && this.last.overlay === overlay) return this.last;
    for (const p of this.known)
      if (p.overlay === overlay) {
        this.last = p;
        return p;
      }
    const where = overlayPaths(this.schema, overlay);
    if ('error' in where) return where.error;
    const W = this.layout.words;
    const mask = this.layout.fieldMask(where.paths);
    const full = new Uint32Array(W);
    if (!this.layout.encode(applyOverlay(s, overlay) as S, full, 0)) return 'the overlay puts a value outside the state\'s schema';
    const keep = new Uint32Array(W);
    const bits = new Uint32Array(W);
    for (let k = 0; k < W; k++) {
      keep[k] = ~mask[k] >>> 0;
      bits[k] = (full[k] & mask[k]) >>> 0;
    }
    const p = { overlay, keep, bits };
    this.known.push(p);
    this.last = p;
    return p;
  }

  /** The view of packed words w[o..] under a packed overlay, into `out`. */
  apply(p: PackedOverlay, w: Uint32Array, o: number): Uint32Array {
    const { keep, bits } = p;
    const out = this.out;
    for (let k = 0; k < out.length; k++) out[k] = ((w[o + k] & keep[k]) | bits[k]) >>> 0;
    return out;
  }
}
