// Seeded randomness for property tests: every run checks the same cases, and a failure names
// the seed that reproduces it.
import { domainValues, type Schema } from '../../checker/index.js';

/** Small seeded PRNG (mulberry32) so that failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A random value of the schema: set members in random order with duplicates, as recipes leave them. */
export function randomValue(s: Schema, r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  switch (s.kind) {
    case 'enum': return pick(s.values);
    case 'int': return s.min + Math.floor(r() * (s.max - s.min + 1));
    case 'bool': return r() < 0.5;
    case 'record': return Object.fromEntries(Object.entries(s.fields).map(([k, f]) => [k, randomValue(f, r)]));
    case 'array': return Array.from({ length: s.length }, () => randomValue(s.element, r));
    case 'tuple': return s.elements.map((e) => randomValue(e, r));
    case 'seq': return Array.from({ length: Math.floor(r() * (s.maxLen + 1)) }, () => randomValue(s.element, r));
    case 'set': return Array.from({ length: Math.floor(r() * 6) }, () => randomValue(s.element, r));
    case 'variant': {
      const tag = pick(Object.keys(s.cases));
      return { [s.tag]: tag, ...Object.fromEntries(Object.entries(s.cases[tag]).map(([k, f]) => [k, randomValue(f, r)])) };
    }
    case 'fn': {
      return Object.fromEntries(domainValues(s.domain).map((d) => [String(d), randomValue(s.range, r)]));
    }
  }
}
