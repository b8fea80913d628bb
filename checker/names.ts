// Name suggestions for "did you mean" hints: the one place that decides which known name a
// mistyped one was probably meant to be (CLI options, spec keys, invariants, constants).

/** Edit distance between two strings: insertions, deletions, substitutions and swaps of two neighbours each count 1. */
export function editDistance(a: string, b: string): number {
  // d[i][j]: distance between a[0..i) and b[0..j), three rows kept.
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The known name closest to `name`, if it is close enough to be a typo: at most a third of
 * the longer name's letters differ (at least one may), case ignored. Ties go to the first.
 */
export function nearest(name: string, known: Iterable<string>, maxDistance?: number): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  const low = name.toLowerCase();
  for (const k of known) {
    const d = editDistance(low, k.toLowerCase());
    const limit = maxDistance ?? Math.max(1, Math.floor(Math.max(name.length, k.length) / 3));
    if (d <= limit && d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** `; did you mean 'x'?` for the nearest known name (to end a message with), or '' when none is near. */
export function suggest(name: string, known: Iterable<string>): string {
  const n = nearest(name, known);
  return n === undefined ? '' : `; did you mean '${n}'?`;
}

/**
 * Throws `make(message)` for the first key of `obj` that is not in `allowed`, naming it with
 * a did-you-mean hint and the allowed keys. `where` names the object, e.g. `spec X: action 'A'`.
 */
export function rejectUnknownKeys(obj: object, allowed: readonly string[], where: string, make: (message: string) => Error): void {
  for (const k of Object.keys(obj))
    if (!allowed.includes(k)) throw make(`${where}: unknown key '${k}'; allowed: ${allowed.join(', ')}${suggest(k, allowed)}`);
}
