// The disk stores of a search beyond memory (checker/store/spill.ts, parents.ts): the sorted
// fingerprint file answers membership as a set would, the parent file gives back every
// record, a full disk is a DiskFull naming the file, and the temporary directory goes away.

import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskFull, SortedKeyFile, SpillDir, spillIO, sortKeys, sortedRuns } from '../../checker/store/spill.js';
import { FingerprintSet, WordSet } from '../../checker/store/fpset.js';
import { ShardedSet } from '../../checker/store/sharded.js';
import { ParentStore } from '../../checker/store/parents.js';

const realWrite = spillIO.writeSync;
let parent: string | undefined;
afterEach(() => {
  spillIO.writeSync = realWrite;
  if (parent) rmSync(parent, { recursive: true, force: true });
  parent = undefined;
});
function dir(): SpillDir {
  parent = mkdtempSync(join(tmpdir(), 'spill-test-'));
  return new SpillDir(parent);
}

/** A deterministic stream of 32-bit words. */
function words(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

/** A full disk, as the system reports it. */
function enospc(): never {
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

describe('SortedKeyFile', () => {
  for (const w of [1, 2] as const) {
    it(`answers membership of ${w}-word keys as a set does, after several merges (one key at a time and in sorted batches)`, () => {
      const file = new SortedKeyFile(dir(), w);
      const next = words(w * 7);
      // Few distinct values, so that merges meet keys already in the file.
      const key = () => [(next() % 3000) + 1, next() % 5];
      const ref = new Set<string>();
      const table = w === 1 ? new WordSet(16) : new FingerprintSet(16);
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 2500; i++) {
          const [a, b] = key();
          const hi = w === 1 ? 0 : b + 1;
          const lo = a;
          table.put(hi, lo);
          ref.add(w === 1 ? `${lo}` : `${hi},${lo}`);
        }
        file.merge(table.drainSorted());
        table.clear();
        expect(file.size).toBe(ref.size);
      }
      // Every key of the file is in order and in the reference.
      const keys = file.keys();
      for (let i = 1; i < file.size; i++) {
        const prev = w === 1 ? keys[i - 1] : keys[2 * i - 1] * 2 ** 32 + keys[2 * i - 2];
        const cur = w === 1 ? keys[i] : keys[2 * i + 1] * 2 ** 32 + keys[2 * i];
        expect(cur).toBeGreaterThan(prev);
      }
      // Queries, half present and half not, one at a time and as a sorted batch.
      const n = 4000;
      const q = new Uint32Array(n * w);
      const expected: boolean[] = [];
      for (let i = 0; i < n; i++) {
        const [a, b] = key();
        const lo = i % 2 === 0 ? a : a + 5000;
        const hi = b + 1;
        table.key(hi, lo, q, i);
        expected.push(ref.has(w === 1 ? `${lo}` : `${hi},${lo}`));
      }
      for (let i = 0; i < n; i++) expect(file.has(q, i)).toBe(expected[i]);
      const sorted = q.slice();
      sortKeys(sorted, n, w);
      const found = new Uint8Array(n);
      const hits = file.lookupSorted(sorted, n, found);
      const want = new Uint8Array(n);
      for (let i = 0; i < n; i++) want[i] = file.has(sorted, i) ? 1 : 0;
      expect(Array.from(found)).toEqual(Array.from(want));
      expect(hits).toBe(expected.filter(Boolean).length);
      file.close();
    });
  }

  it('merges the shards of a sharded table into one file', () => {
    const file = new SortedKeyFile(dir(), 2);
    const set = new ShardedSet(4, false, 16);
    const next = words(3);
    const ref = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const hi = (next() | 1) >>> 0;
      const lo = next();
      set.put(hi, lo);
      ref.add(`${hi},${lo}`);
    }
    file.merge(set.drainSorted());
    set.clear();
    expect(set.size).toBe(0);
    expect(file.size).toBe(ref.size);
    const q = new Uint32Array(2);
    for (const k of [...ref].slice(0, 200)) {
      const [hi, lo] = k.split(',').map(Number);
      set.key(hi, lo, q, 0);
      expect(file.has(q, 0)).toBe(true);
    }
    file.close();
  });

  it('turns a full disk into DiskFull naming the file, and keeps the previous file', () => {
    const d = dir();
    const file = new SortedKeyFile(d, 1);
    const t = new WordSet(16);
    for (let i = 0; i < 100; i++) t.put(0, i);
    file.merge(t.drainSorted());
    t.clear();
    for (let i = 100; i < 200; i++) t.put(0, i);
    spillIO.writeSync = enospc;
    let err: unknown;
    try {
      file.merge(t.drainSorted());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DiskFull);
    expect((err as DiskFull).message).toMatch(/no space left on the device \(ENOSPC\) writing .*fingerprints/);
    expect((err as DiskFull).path.startsWith(d.path)).toBe(true);
    // The file before the failed merge still answers.
    expect(file.size).toBe(100);
    const q = new Uint32Array([51]);
    expect(file.has(q, 0)).toBe(true);
    file.close();
  });
});

describe('sortedRuns', () => {
  for (const w of [1, 2] as const) {
    it(`sorts ${w}-word keys in shared memory block by block, and the merge of the blocks is the sorted set`, () => {
      const n = 10_000;
      const next = words(11 * w);
      const shared = new Uint32Array(new SharedArrayBuffer(n * w * 4));
      for (let i = 0; i < n * w; i++) shared[i] = (next() % 50_000) + 1;
      const plain = shared.slice();
      const runs = sortedRuns(shared, n, w, 4096);
      expect(runs.length).toBe(Math.ceil((n * w * 4) / 4096));
      expect(runs.reduce((a, r) => a + r.n, 0)).toBe(n);
      const d = dir();
      const file = new SortedKeyFile(d, w, 'blocks');
      file.merge(runs);
      // Unshared keys are sorted in place, as one run.
      const one = sortedRuns(plain, n, w, 4096);
      expect(one.length).toBe(1);
      const expected = new SortedKeyFile(d, w, 'whole');
      expected.merge(one);
      expect(file.size).toBe(expected.size);
      expect([...file.keys()]).toEqual([...expected.keys()]);
    });
  }
});

describe('SpillDir', () => {
  it('is made under the given directory and removed with its files', () => {
    const d = dir();
    expect(d.path.startsWith(join(parent!, 'migcheck-'))).toBe(true);
    const f = new SortedKeyFile(d, 1);
    const t = new WordSet(16);
    t.put(0, 5);
    f.merge(t.drainSorted());
    f.close();
    expect(readdirSync(d.path).length).toBe(1);
    d.remove();
    expect(existsSync(d.path)).toBe(false);
    expect(readdirSync(parent!)).toEqual([]);
  });
});

describe('ParentStore on disk', () => {
  for (const maxChoice of [200, 60000, 100000]) {
    it(`gives back every record written to its file (choices below ${maxChoice + 1})`, () => {
      const d = dir();
      const p = new ParentStore(maxChoice);
      const n = 3 * 65536 + 123;
      const next = words(maxChoice);
      const ref: [number, number][] = [];
      p.spillTo(d.file('parents'));
      for (let i = 0; i < n; i++) {
        const par = i === 0 ? -1 : next() % i;
        const ch = next() % (maxChoice + 1);
        p.add(par, ch);
        ref.push([par, ch]);
        if (i % 100000 === 99999) p.spill();
      }
      const before = p.bytes;
      p.spill();
      expect(p.onDisk).toBe(3 * 65536);
      expect(p.bytes).toBeLessThan(before);
      for (const i of [0, 1, 65535, 65536, 100000, 3 * 65536 - 1, 3 * 65536, n - 1]) {
        expect(p.parent(i)).toBe(ref[i][0]);
        expect(p.choice(i)).toBe(ref[i][1]);
      }
      let at = 0;
      p.forEach((par, ch) => {
        if (par !== ref[at][0] || ch !== ref[at][1]) throw new Error(`record ${at} differs`);
        at++;
      });
      expect(at).toBe(n);
      const path = p.path(n - 1);
      expect(path.length).toBeGreaterThan(1);
      p.close();
    });
  }

  it('turns a full disk into DiskFull naming the parents file', () => {
    const d = dir();
    const p = new ParentStore(10);
    p.spillTo(d.file('parents'));
    for (let i = 0; i < 70000; i++) p.add(i - 1, 1);
    spillIO.writeSync = enospc;
    expect(() => p.spill()).toThrow(DiskFull);
    expect(() => p.spill()).toThrow(/writing .*parents/);
    // Nothing was dropped: the records are still in memory.
    expect(p.parent(69999)).toBe(69998);
    p.close();
  });
});
