// store/candidates.ts: a worker's candidate lists give back what a wide chunk made them grow
// to once their budget shrinks (the fingerprint table grew back after a merge to disk).
import { describe, expect, it } from 'vitest';
import { Candidates } from '../../checker/store/candidates.js';

describe('Candidates.fit', () => {
  it('shrinks empty lists to their budget, keeps them when within it, and they still take candidates', () => {
    const c = new Candidates(2, true, 2, 1, Number.POSITIVE_INFINITY, 16);
    const src = new Uint32Array([7, 9]);
    for (let i = 0; i < 5000; i++) expect(c.push(src, 0, i, 0, i + 1, i * 3 + 1, i & 1)).toBe(true);
    const grown = c.bytes;
    c.clear();
    c.maxBytes = grown * 4;
    expect(c.fit()).toBe(0);
    expect(c.bytes).toBe(grown);
    c.maxBytes = 4096;
    const freed = c.fit();
    expect(freed).toBeGreaterThan(grown - 4096);
    expect(c.bytes).toBeLessThanOrEqual(4096);
    // Within the smaller budget the lists work as before, and refuse beyond it.
    let taken = 0;
    while (c.push(src, 0, taken, 0, taken + 1, taken * 3 + 1, taken & 1)) taken++;
    expect(taken).toBeGreaterThan(0);
    expect(c.bytes).toBeLessThanOrEqual(4096);
    expect(c.count).toBe(taken);
  });
});
