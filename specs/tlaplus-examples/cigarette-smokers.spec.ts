// CigaretteSmokers, after CigaretteSmokers.tla in the tlaplus Examples (Suhas Patil's 1971
// problem). Each smoker has an endless supply of one ingredient; the dealer puts two
// different ingredients on the table; the smoker who has the third takes them and smokes,
// then stops, and the dealer makes the next offer.
//
// Modelled as in the original: `smokers` is a function from the ingredient a smoker has to
// a record [smoking: BOOLEAN]; `dealer` is the set of ingredients on offer, or {} when the
// table is empty. stopSmoking's `dealer' \in Offers` is one parameter value per offer, so
// each offer is its own successor, as TLC generates them. Left out: FairSpec (the cfg
// checks Spec).
//
// With Ingredients = {matches, paper, tobacco} and the three two-element offers, the
// Examples manifest records 6 distinct states, 15 generated and depth 2 (CigaretteSmokers.cfg,
// which checks TypeOK, here the schema, and AtMostOne).

import { defineSpec, model, t } from '../../checker/index.js';

const Ingredients = ['matches', 'paper', 'tobacco'] as const;
type Ingredient = (typeof Ingredients)[number];
// Offers: every set of all ingredients but one.
const Offers: Ingredient[][] = Ingredients.map((missing) => Ingredients.filter((i) => i !== missing));

export default defineSpec({
  name: 'CigaretteSmokers',
  doc: 'Three smokers, one dealer: whoever holds the missing ingredient smokes.',
  constants: {},
  setup: () => {
    const Ingredient = t.enum(Ingredients);
    return model({
      state: t.record({
        smokers: t.fn(Ingredient, t.record({ smoking: t.bool() })), // smokers[r]: the smoker who has r, smoking or not
        dealer: t.set(Ingredient), // the ingredients on the table ({} when empty)
      }),
      // Init: nobody smokes, the dealer has made some offer.
      init: Offers.map((offer) => ({
        smokers: { matches: { smoking: false }, paper: { smoking: false }, tobacco: { smoking: false } },
        dealer: [...offer],
      })),
      actions: {
        // The smoker whose ingredient completes the offer takes it and smokes.
        startSmoking: {
          enabled: (s) => s.dealer.length > 0,
          next: (s) => {
            for (const r of Ingredients) s.smokers[r].smoking = Ingredients.every((i) => i === r || s.dealer.includes(i));
            s.dealer = [];
          },
        },
        // The smoker who smokes stops, and the dealer makes a new offer.
        stopSmoking: {
          params: Offers,
          enabled: (s) => s.dealer.length === 0,
          next: (s, offer) => {
            // ChooseOne(Ingredients, LAMBDA x : smokers[x].smoking): the one smoker smoking.
            const smoking = Ingredients.filter((r) => s.smokers[r].smoking);
            if (smoking.length !== 1) throw new Error(`ChooseOne: ${smoking.length} smokers smoke`);
            s.smokers[smoking[0]!].smoking = false;
            s.dealer = [...offer];
          },
          label: (offer) => `stopSmoking({${offer.join(', ')}})`,
        },
      },
      invariants: {
        AtMostOne: { check: (s) => Ingredients.filter((r) => s.smokers[r].smoking).length <= 1, doc: 'at most one smoker smokes at a time' },
        // The rest of TypeOK beyond the schema: dealer \in Offers \/ dealer = {}.
        DealerOffersTwo: { check: (s) => s.dealer.length === 0 || Offers.some((o) => o.length === s.dealer.length && o.every((i) => s.dealer.includes(i))), doc: 'the table is empty or holds one of the offers' },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 6,
      generated: 15,
      depth: 2,
      note: 'TLC on CigaretteSmokers.cfg, tlaplus/Examples manifest: 6 distinct, 15 generated, depth 2',
    },
  ],
});
