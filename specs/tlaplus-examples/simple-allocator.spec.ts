// SimpleAllocator, after SimpleAllocator.tla in the tlaplus Examples (allocator, Merz): a
// resource allocator. A client with nothing outstanding requests a set of resources; the
// allocator grants any part of a client's request that is available; a client returns any
// part of what it holds.
//
// Modelled as in the original: unsat and alloc are functions from Clients to sets of
// resources; `\E c \in Clients, S \in SUBSET Resources` is the parameter (c, S) of Request,
// Allocate and Return. The fairness conditions are SimpleAllocator.tla's, on action formulas:
// - \A c : WF_vars(Return(c, alloc[c])), "c eventually returns everything": WF of the step
//   predicate "a Return step of c whose S is alloc[c]" (S depends on the state, so it is a
//   `step` atom rather than a parameter filter), one condition per client;
// - \A c : SF_vars(\E S \in SUBSET Resources : Allocate(c, S)), "c is allocated something":
//   SF of the Allocate steps whose parameter has client c, one condition per client.
//
// Checked, as SimpleAllocator.cfg: TypeInvariant (the schema), ResourceMutex, and the
// temporal properties ClientsWillReturn, ClientsWillObtain and InfOftenSatisfied (one entry
// per client, or per client and resource). The cfg has no SYMMETRY ("does not work for
// liveness"). With Clients = {c1, c2, c3}, Resources = {r1, r2} the Examples manifest records
// 400 distinct states, 1,633 generated and depth 6.

import { action, defineSpec, each, model, sf, step, t, wf, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'SimpleAllocator',
  doc: 'A resource allocator: clients request, are granted and return sets of resources.',
  constants: {
    ALLOCATE_FAIRNESS: { default: 'strong', values: ['strong', 'weak'], doc: "the spec's SF of each client's Allocate, or only WF" },
  },
  setup: ({ ALLOCATE_FAIRNESS }) => {
    const Clients = ['c1', 'c2', 'c3'] as const;
    const Resources = ['r1', 'r2'] as const;
    type C = (typeof Clients)[number];
    type R = (typeof Resources)[number];
    const CT = t.enum(Clients);
    const RT = t.enum(Resources);
    const State = t.record({
      unsat: t.fn(CT, t.set(RT)), // unsat[c]: the resources c has asked for and not yet been granted
      alloc: t.fn(CT, t.set(RT)), // alloc[c]: the resources c holds
    });
    type S = Infer<typeof State>;
    // SUBSET Resources without {}: the empty set enables no action.
    const subsets: R[][] = [['r1'], ['r2'], ['r1', 'r2']];
    const subsetOf = (x: readonly R[], y: readonly R[]) => x.every((r) => y.includes(r));
    const available = (s: S) => Resources.filter((r) => !Clients.some((c) => s.alloc[c].includes(r)));
    const show = (x: readonly R[]) => `{${x.join(', ')}}`;
    const cs = Clients.flatMap((c) => subsets.map((x) => ({ c, x })));
    type Pick = (typeof cs)[number];
    return model({
      state: State,
      init: { unsat: { c1: [], c2: [], c3: [] }, alloc: { c1: [], c2: [], c3: [] } },
      actions: {
        // Request(c, S): a client with nothing outstanding asks for S.
        Request: {
          params: cs,
          enabled: (s, { c }) => s.unsat[c].length === 0 && s.alloc[c].length === 0,
          next: (s, { c, x }) => { s.unsat[c] = [...x]; },
          label: ({ c, x }) => `Request(${c}, ${show(x)})`,
        },
        // Allocate(c, S): the allocator grants c the available part S of its request.
        Allocate: {
          params: cs,
          enabled: (s, { c, x }) => subsetOf(x, available(s)) && subsetOf(x, s.unsat[c]),
          next: (s, { c, x }) => {
            s.alloc[c] = Resources.filter((r) => s.alloc[c].includes(r) || x.includes(r));
            s.unsat[c] = s.unsat[c].filter((r) => !x.includes(r));
          },
          label: ({ c, x }) => `Allocate(${c}, ${show(x)})`,
        },
        // Return(c, S): c returns part S of what it holds.
        Return: {
          params: cs,
          enabled: (s, { c, x }) => subsetOf(x, s.alloc[c]),
          next: (s, { c, x }) => { s.alloc[c] = s.alloc[c].filter((r) => !x.includes(r)); },
          label: ({ c, x }) => `Return(${c}, ${show(x)})`,
        },
      },
      invariants: {
        ResourceMutex: { check: (s) => Clients.every((c1) => Clients.every((c2) => c1 === c2 || !s.alloc[c1].some((r) => s.alloc[c2].includes(r)))), doc: 'no resource is allocated to two clients' },
      },
      temporal: {
        ...Object.fromEntries(Clients.map((c) => [`ClientsWillReturn_${c}`, { leadsTo: [(s: S) => s.unsat[c].length === 0, (s: S) => s.alloc[c].length === 0], doc: `${c}, once satisfied, returns everything` }])),
        ...Object.fromEntries(Clients.flatMap((c) => Resources.map((r) => [`ClientsWillObtain_${c}_${r}`, { leadsTo: [(s: S) => s.unsat[c].includes(r), (s: S) => s.alloc[c].includes(r)], doc: `${c} obtains ${r} once it asks for it` }]))),
        ...Object.fromEntries(Clients.map((c) => [`InfOftenSatisfied_${c}`, { alwaysEventually: (s: S) => s.unsat[c].length === 0, doc: `${c} has no outstanding request infinitely often` }])),
      },
      fairness: [
        // \A c \in Clients : WF_vars(Return(c, alloc[c]))
        ...each(Clients, (c) => wf<S>(step<S>(`Return(${c}, alloc[${c}])`, (before, _after, st) =>
          st.action === 'Return' && (st.param as Pick).c === c && subsetOf(before.alloc[c], (st.param as Pick).x)))),
        // \A c \in Clients : SF_vars(\E S \in SUBSET Resources : Allocate(c, S)), or WF with ALLOCATE_FAIRNESS = weak
        ...each(Clients, (c) => (ALLOCATE_FAIRNESS === 'strong' ? sf<S> : wf<S>)(action('Allocate', (p: Pick) => p.c === c))),
      ],
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 400,
      generated: 1633,
      depth: 6,
      note: 'TLC on SimpleAllocator.cfg (Clients = {c1, c2, c3}, Resources = {r1, r2}), tlaplus/Examples manifest: 400 distinct, 1,633 generated, depth 6',
    },
    {
      constants: { ALLOCATE_FAIRNESS: 'weak' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'ClientsWillObtain_c1_r1' },
      trace: ['Init', 'Request(c1, {r1})', 'Request(c2, {r1})', 'Allocate(c2, {r1})', 'Return(c2, {r1})', 'Request(c2, {r1})'],
      note: 'with only weak fairness, c2 can take r1 again and again while c1 waits: why the spec asks for SF',
    },
  ],
});
