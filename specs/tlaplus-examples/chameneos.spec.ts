// Chameneos, after Chameneos.tla in the tlaplus Examples (Chameneos): the chameneos game
// (Kaiser and Pradat-Peyre). Creatures of three colours go to a meeting place; when two meet,
// both take the complement of their two colours (the colour itself if they are equal). After
// N meetings in all, a creature that finds the meeting place empty fades.
//
// Modelled as in the original: chameneoses[c] is a pair <<colour or Faded, meetings>>;
// meetingPlace is a creature id or MeetingPlaceEmpty, here 0 (ids are 1..M). Init's
// `chameneoses \in [ChameneosID -> Color \X {0}]` is enumerated (81 initial states for M = 4).
// Next's `\E c \in {x \in ChameneosID : chameneoses[x][1] /= Faded}` is the parameter c with
// the set's condition as a guard.
//
// Checked, as Chameneos.cfg (no deadlock check): TypeOK (the schema) and SumMet. With N = 4,
// M = 4 the Examples manifest records 34,534 distinct states, 104,697 generated and depth 13.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'Chameneos',
  doc: 'Creatures meet in pairs and change colour; after N meetings they fade.',
  constants: {
    N: { default: 4, min: 1, max: 6, doc: 'number of meetings after which creatures fade (TLC: N = 4)' },
    M: { default: 4, min: 2, max: 5, doc: 'number of creatures (TLC: M = 4)' },
  },
  setup: ({ N, M }) => {
    const Color = ['blue', 'red', 'yellow'] as const;
    type Colour = (typeof Color)[number];
    const Ids = Array.from({ length: M }, (_, i) => i + 1);
    const State = t.record({
      chameneoses: t.fn(t.int(1, M), t.tuple(t.enum(...Color, 'Faded'), t.int(0, N))), // chameneoses[c]: c's colour and how many meetings it has been in
      meetingPlace: t.int(0, M), // the creature waiting at the meeting place, 0 when it is empty
      numMeetings: t.int(0, N), // meetings so far
    });
    type S = Infer<typeof State>;
    const Complement = (c1: Colour, c2: Colour): Colour => (c1 === c2 ? c1 : Color.find((c) => c !== c1 && c !== c2)!);
    const colourings = Ids.reduce<Colour[][]>((acc) => acc.flatMap((v) => Color.map((c) => [...v, c])), [[]]);
    return model({
      state: State,
      init: colourings.map((cs): S => ({
        chameneoses: Object.fromEntries(Ids.map((id, i) => [id, [cs[i]!, 0]])) as S['chameneoses'],
        meetingPlace: 0,
        numMeetings: 0,
      })),
      actions: {
        // Meet(c): creature c, not faded, goes to the meeting place.
        Meet: {
          params: Ids,
          enabled: (s, c) => s.chameneoses[c]![0] !== 'Faded' && s.meetingPlace !== c,
          next: (s, c) => {
            if (s.meetingPlace === 0) {
              if (s.numMeetings < N) s.meetingPlace = c; // c waits there
              else s.chameneoses[c]![0] = 'Faded'; // enough meetings: c fades
            } else {
              const other = s.meetingPlace;
              const newColor = Complement(s.chameneoses[c]![0] as Colour, s.chameneoses[other]![0] as Colour);
              s.chameneoses[c] = [newColor, s.chameneoses[c]![1] + 1];
              s.chameneoses[other] = [newColor, s.chameneoses[other]![1] + 1];
              s.meetingPlace = 0;
              s.numMeetings += 1;
            }
          },
          label: (c) => `Meet(${c})`,
        },
      },
      invariants: {
        SumMet: {
          check: (s) => s.numMeetings !== N || Ids.reduce((sum, c) => sum + s.chameneoses[c]![1], 0) === 2 * N,
          doc: 'after N meetings, the creatures have been in 2N meetings between them',
        },
      },
    });
  },
  expect: [
    {
      options: { deadlock: false },
      status: 'ok',
      distinct: 34534,
      generated: 104697,
      depth: 13,
      note: 'TLC on Chameneos.cfg (N = 4, M = 4, no deadlock check), tlaplus/Examples manifest: 34,534 distinct, 104,697 generated, depth 13',
    },
  ],
});
