// store/reclaim.ts: the collection that gives large shared buffers back once a thread let go of them.
import { describe, expect, it } from 'vitest';
import { Reclaimer } from '../../checker/store/reclaim.js';

describe('Reclaimer', () => {
  it('collects once the bytes let go of reach the threshold, then counts again from zero', () => {
    const r = new Reclaimer(1000);
    r.drop(600);
    expect(r.collections).toBe(0);
    r.drop(400);
    expect(r.collections).toBe(1);
    r.drop(999);
    expect(r.collections).toBe(1);
    r.drop(1);
    expect(r.collections).toBe(2);
  });

  it('a collection frees a shared buffer nothing refers to any more', async () => {
    const rss = () => process.memoryUsage().rss;
    const bytes = 256 << 20;
    let b: SharedArrayBuffer | null = new SharedArrayBuffer(bytes);
    new Uint8Array(b).fill(1);
    const held = rss();
    b = null;
    new Reclaimer(1).drop(bytes);
    await new Promise((r) => setTimeout(r, 50));
    expect(held - rss()).toBeGreaterThan(bytes / 2);
  });
});

describe('ShardedSet growth and the memory it lets go of', () => {
  it('reports each table its growth replaces (onDrop), and bytesFor counts them beside the grown ones', async () => {
    const { ShardedSet } = await import('../../checker/store/sharded.js');
    const set = new ShardedSet(2, false, 16);
    const start = set.bytes;
    const peak = set.bytesFor(20000);
    const dropped: number[] = [];
    set.onDrop = (b) => dropped.push(b);
    for (let i = 1; i <= 20000; i++) expect(set.put(i, Math.imul(i, 2654435761) >>> 0)).toBe(1);
    // Each shard doubled from 16 slots (two words, 128 bytes) several times; every table it
    // left behind was reported: the first ones and each doubling but the last.
    expect(dropped.length).toBeGreaterThan(4);
    for (const b of dropped) expect(b >= start / 2 && (b & (b - 1)) === 0).toBe(true);
    const total = dropped.reduce((a, b) => a + b, 0);
    // Doubling: what was grown away adds up to just under what is alive now, less the start.
    expect(total).toBe(set.bytes - start);
    // The budget's estimate, made before, covers both.
    expect(peak).toBeGreaterThanOrEqual(set.bytes + total);
  });
});
