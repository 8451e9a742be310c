/**
 * Lists of VF indexes and addresses as a person reads them: a count change can touch 256 VFs,
 * and a dialog that names each one is a wall nobody reads.
 */

/** "0–3, 7, 9–12": consecutive runs collapse to their ends. */
export function indexRanges(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const runs: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const from = sorted[i]!;
    const to = sorted[j]!;
    runs.push(from === to ? String(from) : to === from + 1 ? `${from}, ${to}` : `${from}–${to}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** Up to `max` names in full, then "and N more". */
export function listSome(items: readonly string[], max = 4): string {
  if (items.length <= max) return joinWords(items);
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** "a", "a and b", "a, b and c". */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The first and last of an ordered list of addresses: "0000:18:01.0 … 0000:18:02.7". */
export function addressSpan(addresses: readonly string[]): string {
  if (addresses.length <= 2) return addresses.join(', ');
  return `${addresses[0]} … ${addresses.at(-1)}`;
}
