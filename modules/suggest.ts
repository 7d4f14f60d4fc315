/** "Did you mean" suggestions for misspelt names: config fields, account names, regions, rule ids, repository names. */

/** Levenshtein distance; inputs are short names, so the table stays small. */
export function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[right.length];
}

/** The candidate closest to `value` when it is close enough to be a likely typo, else undefined. */
export function closestMatch(value: string, candidates: Iterable<string>): string | undefined {
  if (value.length > 100) return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(value.length / 3)) ? best.candidate : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const match = closestMatch(value, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
