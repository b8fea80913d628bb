// formatCount (checker/report/text.ts) writes what toLocaleString('en-US') writes, without Intl.
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../checker/index.js';
import { rng } from '../helpers/random.js';

describe('formatCount', () => {
  it('groups digits as en-US does, at every length and sign', () => {
    const values = [0, 1, -1, 999, 1000, -1000, 999999, 1000000, 64838509, 16200000000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let d = 1; d <= 16; d++) values.push(10 ** d - 1, 10 ** d, -(10 ** d));
    const r = rng(15);
    for (let i = 0; i < 500; i++) values.push(Math.floor(r() * 2 ** 53) * (r() < 0.5 ? -1 : 1), Math.floor(r() * 10 ** Math.floor(r() * 12)));
    // -0 aside: Intl writes '-0', a count is '0'.
    for (const v of values) expect(formatCount(v), String(v)).toBe(Object.is(v, -0) ? '0' : v.toLocaleString('en-US'));
    expect(formatCount(-0)).toBe('0');
  });

  it('leaves what is not a safe integer to Intl', () => {
    for (const v of [1.5, 1234.5678, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) expect(formatCount(v)).toBe(v.toLocaleString('en-US'));
  });
});
