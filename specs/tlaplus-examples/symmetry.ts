// Helpers for the specs of this folder whose TLC models declare SYMMETRY: TLC then stores
// one state per orbit of the permutations. migcheck has no SYMMETRY declaration yet, so
// these specs reach the same counts with a canonicalising VIEW: the view of a state is the
// least of its images under every permutation (least by a string key), so two states in one
// orbit have the same view, and only the first state found of each orbit is explored, as
// TLC does. This is exact when the spec is symmetric in the permuted values (every image of
// a reachable state is reachable and has as many successors), which is what TLC's SYMMETRY
// assumes too.

/** Every permutation of `xs`, as arrays (the identity first). */
export function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  const out: T[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** Each permutation of `xs` as a map from a value to its image. */
export function permutationMaps<T>(xs: readonly T[]): Map<T, T>[] {
  return permutations(xs).map((p) => new Map(xs.map((x, i) => [x, p[i]!])));
}

/** The image of `s` (under `apply`) with the least `key`, over all `perms`. */
export function leastImage<S, P>(s: S, perms: readonly P[], apply: (s: S, p: P) => S, key: (s: S) => string): S {
  let best: S | undefined;
  let bestKey = '';
  for (const p of perms) {
    const img = apply(s, p);
    const k = key(img);
    if (best === undefined || k < bestKey) { best = img; bestKey = k; }
  }
  return best!;
}
