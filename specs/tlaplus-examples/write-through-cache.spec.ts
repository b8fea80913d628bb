// WriteThroughCache, after WriteThroughCache.tla and its TLC model MCWriteThroughCache in the
// tlaplus Examples (SpecifyingSystems/CachingMemory), chapter 5 of "Specifying Systems": a
// write-through cache in front of the memory of internal-memory.spec.ts. Each processor has a
// cache; a read that misses queues a read of main memory (RdMiss), a write updates the
// writer's cache and every cache holding that address and queues a write (DoWr); the memory
// works off the queue memQ in order (MemQWr, MemQRd); a processor may evict any cache entry
// except the one it is waiting for.
//
// Modelled as in the original, with MCWriteThroughCache's constants and its MCSend, MCReply,
// MCInitMemInt (as in internal-memory.spec.ts). memQ is a sequence of <<p, request>> pairs,
// bounded by QLen (RdMiss and DoWr require Len(memQ) < QLen); an Evict step that finds the
// entry already empty is a successor that changes nothing, which TLC counts, and so does
// migcheck.
//
// Checked, as MCWriteThroughCache.cfg: TypeInvariant (the schema), Coherence,
// LM_Inner_TypeInvariant, and LM_Inner_ISpec: the cache implements InternalMemory under the
// refinement mapping omem == vmem (main memory with the queued writes applied), octl == ctl
// with "waiting" read as "busy", obuf == buf. [][LM_Inner_INext]_<<...>> is an action
// property (every step is an InternalMemory step of the mapped state, or leaves it
// unchanged); LM_Inner_IInit holds of the initial states by construction.
//
// With Proc = {p1, p2}, Adr = {a1}, Val = {v1, v2}, QLen = 1 the Examples manifest records
// 5,196 distinct states, 28,170 generated and depth 18.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';
import { internalMemoryStep, memoryTypes, type BufValue, type IMState } from './internal-memory.spec.js';

export default defineSpec({
  name: 'WriteThroughCache',
  doc: 'A write-through cache with a queue to main memory (MCWriteThroughCache).',
  constants: {
    QLEN: { default: 1, min: 1, max: 3, doc: 'QLen: the longest memory queue (TLC: QLen = 1)' },
  },
  setup: ({ QLEN }) => {
    const Proc = ['p1', 'p2'] as const;
    const Adr = ['a1'] as const;
    const Val = ['v1', 'v2'] as const;
    const { P, A, V, Buf, MReq, MemInt } = memoryTypes(Proc, Adr, Val);
    const Req = t.variant('op', { Rd: { adr: A }, Wr: { adr: A, val: V } }); // MReq
    const State = t.record({
      memInt: MemInt, // the memory interface, as in InternalMemory
      wmem: t.fn(A, V), // wmem[a]: main memory
      ctl: t.fn(P, t.enum('rdy', 'busy', 'waiting', 'done')), // ctl[p]: where p's request is ("waiting" for a read from memory)
      buf: t.fn(P, Buf), // buf[p]: p's request, or the answer to it
      cache: t.fn(P, t.fn(A, t.enum('NoVal', ...Val))), // cache[p][a]: p's cached value of a, or NoVal
      memQ: t.seq(t.tuple(P, Req), QLEN), // requests waiting for main memory, oldest first
    });
    type S = Infer<typeof State>;
    type Pr = keyof S['ctl'];
    type Ad = keyof S['wmem'];
    // vmem: main memory as it will be once the queued writes are done.
    const vmem = (s: S): Record<string, string> => {
      const m: Record<string, string> = { ...s.wmem };
      for (const [, r] of s.memQ) if (r.op === 'Wr') m[r.adr] = r.val;
      return m;
    };
    // The refinement mapping to InternalMemory.
    const lm = (s: S): IMState => ({
      memInt: s.memInt as IMState['memInt'],
      mem: vmem(s),
      ctl: Object.fromEntries(Proc.map((p) => [p, s.ctl[p] === 'waiting' ? 'busy' : s.ctl[p]])),
      buf: s.buf as Record<string, BufValue>,
    });
    const same = (x: IMState, y: IMState) => JSON.stringify(x) === JSON.stringify(y);
    const mems = Adr.reduce<Record<string, string>[]>((acc, a) => acc.flatMap((m) => Val.map((v) => ({ ...m, [a]: v }))), [{}]);
    return model({
      state: State,
      // Init == M!IInit /\ cache = [p |-> [a |-> NoVal]] /\ memQ = << >>
      init: mems.map((wmem): S => ({
        memInt: ['p1', { op: 'NoVal' }],
        wmem,
        ctl: { p1: 'rdy', p2: 'rdy' },
        buf: { p1: { op: 'NoVal' }, p2: { op: 'NoVal' } },
        cache: Object.fromEntries(Proc.map((p) => [p, Object.fromEntries(Adr.map((a) => [a, 'NoVal' as const]))])),
        memQ: [],
      })),
      actions: {
        // Req(p) == M!Req(p): p sends a request.
        Req: {
          params: Proc.flatMap((p) => MReq.map((req) => ({ p: p as Pr, req }))),
          enabled: (s, { p }) => s.ctl[p] === 'rdy',
          next: (s, { p, req }) => { s.memInt = [p, { ...req }]; s.buf[p] = { ...req }; s.ctl[p] = 'busy'; },
          label: ({ p, req }) => `Req(${p}, ${req.op === 'Wr' ? `Wr ${req.adr} ${req.val}` : req.op === 'Rd' ? `Rd ${req.adr}` : req.op})`,
        },
        // Rsp(p) == M!Rsp(p): p gets the answer.
        Rsp: {
          params: Proc as readonly Pr[],
          enabled: (s, p) => s.ctl[p] === 'done',
          next: (s, p) => { s.memInt = [p, { ...s.buf[p] }]; s.ctl[p] = 'rdy'; },
          label: (p) => `Rsp(${p})`,
        },
        // RdMiss(p): p's read misses its cache; it queues a read of main memory.
        RdMiss: {
          params: Proc as readonly Pr[],
          enabled: (s, p) => { const r = s.buf[p]; return s.ctl[p] === 'busy' && r.op === 'Rd' && s.cache[p][r.adr as Ad] === 'NoVal' && s.memQ.length < QLEN; },
          next: (s, p) => { const r = s.buf[p] as { op: 'Rd'; adr: Ad }; s.memQ.push([p, { op: 'Rd', adr: r.adr }]); s.ctl[p] = 'waiting'; },
          label: (p) => `RdMiss(${p})`,
        },
        // DoRd(p): p's read is answered from its cache.
        DoRd: {
          params: Proc as readonly Pr[],
          enabled: (s, p) => { const r = s.buf[p]; return (s.ctl[p] === 'busy' || s.ctl[p] === 'waiting') && r.op === 'Rd' && s.cache[p][r.adr as Ad] !== 'NoVal'; },
          next: (s, p) => { const r = s.buf[p] as { op: 'Rd'; adr: Ad }; s.buf[p] = { op: 'Val', val: s.cache[p][r.adr] as 'v1' }; s.ctl[p] = 'done'; },
          label: (p) => `DoRd(${p})`,
        },
        // DoWr(p): p's write updates the caches that hold the address and is queued.
        DoWr: {
          params: Proc as readonly Pr[],
          enabled: (s, p) => s.ctl[p] === 'busy' && s.buf[p].op === 'Wr' && s.memQ.length < QLEN,
          next: (s, p) => {
            const r = s.buf[p] as { op: 'Wr'; adr: Ad; val: 'v1' };
            for (const q of Proc) if (q === p || s.cache[q][r.adr] !== 'NoVal') s.cache[q][r.adr] = r.val;
            s.memQ.push([p, { op: 'Wr', adr: r.adr, val: r.val }]);
            s.buf[p] = { op: 'NoVal' };
            s.ctl[p] = 'done';
          },
          label: (p) => `DoWr(${p})`,
        },
        // Evict(p, a): p drops its cached value of a (not the one it is waiting for).
        Evict: {
          params: Proc.flatMap((p) => Adr.map((a) => ({ p: p as Pr, a: a as Ad }))),
          enabled: (s, { p, a }) => { const r = s.buf[p]; return s.ctl[p] !== 'waiting' || (r.op === 'Rd' || r.op === 'Wr' ? r.adr !== a : true); },
          next: (s, { p, a }) => { s.cache[p][a] = 'NoVal'; },
          label: ({ p, a }) => `Evict(${p}, ${a})`,
        },
        // MemQWr: main memory performs the write at the head of the queue.
        MemQWr: {
          enabled: (s) => s.memQ.length > 0 && s.memQ[0]![1].op === 'Wr',
          next: (s) => { const [, r] = s.memQ.shift()! as [Pr, { op: 'Wr'; adr: Ad; val: 'v1' }]; s.wmem[r.adr] = r.val; },
        },
        // MemQRd: main memory answers the read at the head of the queue into the reader's cache.
        MemQRd: {
          enabled: (s) => s.memQ.length > 0 && s.memQ[0]![1].op === 'Rd',
          next: (s) => {
            const v = vmem(s); // vmem of the state before the step
            const [p, r] = s.memQ.shift()!;
            s.cache[p as Pr][r.adr as Ad] = v[r.adr] as 'v1';
          },
        },
      },
      invariants: {
        Coherence: {
          check: (s) => Proc.every((p) => Proc.every((q) => Adr.every((a) => s.cache[p][a] === 'NoVal' || s.cache[q][a] === 'NoVal' || s.cache[p][a] === s.cache[q][a]))),
          doc: 'two caches that hold an address hold the same value for it',
        },
        LM_Inner_TypeInvariant: {
          check: (s) => { const m = lm(s); return Adr.every((a) => (Val as readonly string[]).includes(m.mem[a]!)) && Proc.every((p) => ['rdy', 'busy', 'done'].includes(m.ctl[p]!)); },
          doc: "the mapped state is of InternalMemory's types",
        },
      },
      properties: {
        LM_Inner_ISpec: {
          check: (x, y) => { const a = lm(x), b = lm(y); return same(a, b) || internalMemoryStep(Proc, Adr, MReq as BufValue[], a, b); },
          doc: 'every step is a step of InternalMemory under the refinement mapping, or leaves the mapped state unchanged',
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 5196,
      generated: 28170,
      depth: 18,
      note: 'TLC on MCWriteThroughCache.cfg (Proc = {p1, p2}, Adr = {a1}, Val = {v1, v2}, QLen = 1), tlaplus/Examples manifest: 5,196 distinct, 28,170 generated, depth 18',
    },
  ],
});
