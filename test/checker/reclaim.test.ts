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
