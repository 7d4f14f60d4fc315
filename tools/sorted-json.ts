/**
 * A JSON value with every object's keys in sorted order, so that two documents equal as data stringify the same
 * (and terraform-docs' Go encoder is reproduced). With `sortArrays`, array items are sorted too: for sets such
 * as a policy condition's values, where order carries no meaning.
 */
export function withSortedKeys(value: unknown, options: { readonly sortArrays?: boolean } = {}): unknown {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) {
      const items = item.map(sorted);
      return options.sortArrays ? items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : items;
    }
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((key) => [key, sorted((item as Record<string, unknown>)[key])]),
      );
    }
    return item;
  };
  return sorted(value);
}
