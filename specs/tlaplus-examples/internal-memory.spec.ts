// InternalMemory, after InternalMemory.tla and its TLC model MCInternalMemory in the tlaplus
// Examples (SpecifyingSystems/CachingMemory), chapter 5 of "Specifying Systems": a linearizable
// memory. Each processor puts a read or write request on the memory interface (Req), the
// memory performs it (Do), and the processor gets the answer back (Rsp).
//
// Modelled as in the original, with MCInternalMemory's choices: Send and Reply set memInt to
// <<p, d>>, and memInt starts as <<p1, NoVal>> (CHOOSE p \in Proc : TRUE is p1). buf[p] is a
// request, a value or NoVal (MReq \cup Val \cup {NoVal}): a variant with tag `op` whose cases
// Rd and Wr are the two kinds of request record ([op: {"Rd"}, adr] \cup [op: {"Wr"}, adr,
// val]) and whose cases Val and NoVal stand for a plain value and for NoVal. IInit's `mem \in
// [Adr -> Val]` is enumerated (8 initial states); Req's `\E req \in MReq` is a parameter.
// `internalMemoryStep` is INext as a relation, which write-through-cache.spec.ts uses to check
// that the cache implements this memory.
//
// MCInternalMemory.cfg checks TypeInvariant (the schema). With Proc = {p1, p2}, Adr = {a1,
// a2, a3}, Val = {v1, v2} the Examples manifest records 4,408 distinct states, 21,400
// generated and depth 10.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

/** The types of MemoryInterface.tla for the given constants. */
export function memoryTypes(Proc: readonly string[], Adr: readonly string[], Val: readonly string[]) {
  const P = t.enum(Proc);
  const A = t.enum(Adr);
  const V = t.enum(Val);
  // MReq \cup Val \cup {NoVal}
  const Buf = t.variant('op', { Rd: { adr: A }, Wr: { adr: A, val: V }, Val: { val: V }, NoVal: {} });
  const MReq: Infer<typeof Buf>[] = [...Adr.map((adr) => ({ op: 'Rd' as const, adr })), ...Adr.flatMap((adr) => Val.map((val) => ({ op: 'Wr' as const, adr, val })))];
  return { P, A, V, Buf, MReq, MemInt: t.tuple(P, Buf) };
}

export type BufValue = { op: 'Rd'; adr: string } | { op: 'Wr'; adr: string; val: string } | { op: 'Val'; val: string } | { op: 'NoVal' };
export type IMState = { memInt: [string, BufValue]; mem: Record<string, string>; ctl: Record<string, string>; buf: Record<string, BufValue> };

const sameBuf = (x: BufValue, y: BufValue) => JSON.stringify(x) === JSON.stringify(y);

/** INext as a relation: some processor takes a Req, Do or Rsp step from `a` to `b`. */
export function internalMemoryStep(Proc: readonly string[], Adr: readonly string[], MReq: readonly BufValue[], a: IMState, b: IMState): boolean {
  const sameExcept = (p: string) =>
    Proc.every((q) => q === p || (a.ctl[q] === b.ctl[q] && sameBuf(a.buf[q]!, b.buf[q]!)));
  const memSame = Adr.every((x) => a.mem[x] === b.mem[x]);
  const memIntSame = a.memInt[0] === b.memInt[0] && sameBuf(a.memInt[1], b.memInt[1]);
  return Proc.some((p) => {
    if (!sameExcept(p)) return false;
    const bp = a.buf[p]!;
    // Req(p)
    if (a.ctl[p] === 'rdy' && b.ctl[p] === 'busy' && memSame && MReq.some((req) => sameBuf(b.buf[p]!, req) && b.memInt[0] === p && sameBuf(b.memInt[1], req))) return true;
    // Do(p)
    if (a.ctl[p] === 'busy' && b.ctl[p] === 'done' && memIntSame && (bp.op === 'Rd' || bp.op === 'Wr')) {
      const memOk = Adr.every((x) => b.mem[x] === (bp.op === 'Wr' && x === bp.adr ? bp.val : a.mem[x]));
      const bufOk = bp.op === 'Wr' ? b.buf[p]!.op === 'NoVal' : sameBuf(b.buf[p]!, { op: 'Val', val: a.mem[bp.adr]! });
      if (memOk && bufOk) return true;
    }
    // Rsp(p)
    return a.ctl[p] === 'done' && b.ctl[p] === 'rdy' && memSame && sameBuf(a.buf[p]!, b.buf[p]!) && b.memInt[0] === p && sameBuf(b.memInt[1], a.buf[p]!);
  });
}

export default defineSpec({
  name: 'InternalMemory',
  doc: 'A linearizable memory: request, perform, respond (MCInternalMemory).',
  constants: {},
  setup: () => {
    const Proc = ['p1', 'p2'] as const;
    const Adr = ['a1', 'a2', 'a3'] as const;
    const Val = ['v1', 'v2'] as const;
    const { P, A, V, Buf, MReq, MemInt } = memoryTypes(Proc, Adr, Val);
    const State = t.record({
      memInt: MemInt, // the memory interface: <<p, d>>, the last thing sent or replied
      mem: t.fn(A, V), // mem[a]: the value at address a
      ctl: t.fn(P, t.enum('rdy', 'busy', 'done')), // ctl[p]: where processor p's current request is
      buf: t.fn(P, Buf), // buf[p]: p's request, or the answer to it
    });
    type S = Infer<typeof State>;
    type Pr = keyof S['ctl'];
    type Ad = keyof S['mem'];
    const mems = Adr.reduce<Record<string, string>[]>((acc, a) => acc.flatMap((m) => Val.map((v) => ({ ...m, [a]: v }))), [{}]);
    return model({
      state: State,
      init: mems.map((mem): S => ({
        memInt: ['p1', { op: 'NoVal' }],
        mem,
        ctl: { p1: 'rdy', p2: 'rdy' },
        buf: { p1: { op: 'NoVal' }, p2: { op: 'NoVal' } },
      })),
      actions: {
        // Req(p): processor p sends a request.
        Req: {
          params: Proc.flatMap((p) => MReq.map((req) => ({ p: p as Pr, req }))),
          enabled: (s, { p }) => s.ctl[p] === 'rdy',
          next: (s, { p, req }) => { s.memInt = [p, { ...req }]; s.buf[p] = { ...req }; s.ctl[p] = 'busy'; },
          label: ({ p, req }) => `Req(${p}, ${req.op === 'Wr' ? `Wr ${req.adr} ${req.val}` : req.op === 'Rd' ? `Rd ${req.adr}` : req.op})`,
        },
        // Do(p): the memory performs p's request.
        Do: {
          params: Proc as readonly Pr[],
          enabled: (s, p) => s.ctl[p] === 'busy',
          next: (s, p) => {
            const r = s.buf[p];
            if (r.op === 'Wr') { s.mem[r.adr as Ad] = r.val; s.buf[p] = { op: 'NoVal' }; }
            else if (r.op === 'Rd') s.buf[p] = { op: 'Val', val: s.mem[r.adr as Ad] };
            else throw new Error(`Do(${p}): buf[${p}] is not a request`);
            s.ctl[p] = 'done';
          },
          label: (p) => `Do(${p})`,
        },
        // Rsp(p): p gets the answer.
        Rsp: {
          params: Proc as readonly Pr[],
          enabled: (s, p) => s.ctl[p] === 'done',
          next: (s, p) => { s.memInt = [p, { ...s.buf[p] }]; s.ctl[p] = 'rdy'; },
          label: (p) => `Rsp(${p})`,
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 4408,
      generated: 21400,
      depth: 10,
      note: 'TLC on MCInternalMemory.cfg (Proc = {p1, p2}, Adr = {a1, a2, a3}, Val = {v1, v2}), tlaplus/Examples manifest: 4,408 distinct, 21,400 generated, depth 10',
    },
  ],
});
