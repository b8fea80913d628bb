import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../checker/index.js';

/** Distinct non-zero 64-bit fingerprints from a counter (a bijective mix, so no repeats). */
function fpOf(i: number): [number, number] {
  let h = Math.imul(i ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  h ^= h >>> 15;
  return [(h | 1) >>> 0, i >>> 0];
}

describe('FingerprintSet', () => {
  it('reports a new fingerprint once and a repeated one as present', () => {
    const s = new FingerprintSet(16);
    expect(s.put(1, 2)).toBe(1);
    expect(s.put(1, 2)).toBe(0);
    expect(s.put(2, 1)).toBe(1);
    expect(s.size).toBe(2);
    expect(s.has(1, 2)).toBe(true);
    expect(s.has(2, 2)).toBe(false);
  });

  it('tells apart fingerprints that share a half', () => {
    const s = new FingerprintSet(16);
    expect(s.put(7, 0)).toBe(1);
    expect(s.put(0, 7)).toBe(1);
    expect(s.put(7, 7)).toBe(1);
    expect(s.has(7, 0) && s.has(0, 7) && s.has(7, 7)).toBe(true);
    expect(s.size).toBe(3);
  });

  it('rounds its capacity up to a power of two', () => {
    expect(new FingerprintSet(100).capacity).toBe(128);
    expect(new FingerprintSet(1).capacity).toBe(16);
  });

  it('grows past three-quarters full and keeps every entry', () => {
    const s = new FingerprintSet(16);
    for (let i = 0; i < 12; i++) s.put(...fpOf(i));
    expect(s.capacity).toBe(16);
    s.put(...fpOf(12)); // the 13th entry does not fit under 3/4 of 16
    expect(s.capacity).toBe(32);
    for (let i = 0; i <= 12; i++) expect(s.has(...fpOf(i))).toBe(true);
  });

  it('holds many entries (beyond what one doubling step sees) with no false answers', () => {
    const s = new FingerprintSet(16);
    const n = 300_000;
    let added = 0;
    for (let i = 0; i < n; i++) added += s.put(...fpOf(i));
    expect(added).toBe(n);
    expect(s.size).toBe(n);
    expect(s.capacity).toBe(524_288); // the smallest power of two with n <= 3/4 of it
    let present = 0;
    let absent = 0;
    for (let i = 0; i < n; i++) if (s.put(...fpOf(i)) === 0) present++;
    for (let i = n; i < n + 10_000; i++) if (!s.has(...fpOf(i))) absent++;
    expect(present).toBe(n);
    expect(absent).toBe(10_000);
  });

  it('stores exact fingerprints that differ only in low bits (sequential packed states)', () => {
    const s = new FingerprintSet(16);
    let added = 0;
    let again = 0;
    for (let i = 0; i < 50_000; i++) added += s.put(0x80000000, i);
    for (let i = 0; i < 50_000; i++) again += s.put(0x80000000, i);
    expect(added).toBe(50_000);
    expect(again).toBe(0);
  });

  it('returns -1 instead of growing beyond its byte budget, and keeps working for lookups', () => {
    // 64 slots = 512 bytes; doubling would need 1024 more while the old table is alive.
    const s = new FingerprintSet(64, 1500);
    let i = 0;
    let r: number;
    while ((r = s.put(...fpOf(i))) === 1) i++;
    expect(r).toBe(-1);
    expect(i).toBe(48); // 3/4 of 64
    expect(s.size).toBe(48);
    expect(s.bytes).toBe(512);
    for (let k = 0; k < 48; k++) expect(s.has(...fpOf(k))).toBe(true);
    expect(s.has(...fpOf(48))).toBe(false);
  });

  it('reports its bytes and the bytes of its next growth', () => {
    const s = new FingerprintSet(1024);
    expect(s.bytes).toBe(1024 * 8);
    expect(s.nextBytes).toBe(2048 * 8);
  });
});

describe('a full table under its budget', () => {
  it('still recognises fingerprints it holds and refuses only new ones', () => {
    // 16 slots (256 bytes) and a budget that forbids any growth: 12 entries fit.
    const set = new FingerprintSet(16, 256);
    for (let i = 1; i <= 12; i++) expect(set.put(7, i)).toBe(1);
    expect(set.put(7, 5)).toBe(0);
    expect(set.put(7, 99)).toBe(-1);
    expect(set.size).toBe(12);
  });
});
