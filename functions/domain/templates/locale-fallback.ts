/**
 * Locale fallback: the customer's `fr-CA` looks for `fr-CA`, then `fr`, then the template's
 * default locale. Tags are compared in their canonical form, so `FR-ca` and `fr-CA` are one.
 */

/** The canonical form of a language tag, or undefined when it is not one. */
export function canonicalLocale(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The locales to try, most specific first, ending with the default; no duplicates. */
export function localeChain(preferred: string | undefined, defaultLocale: string): string[] {
  const chain: string[] = [];
  const canonical = preferred === undefined ? undefined : canonicalLocale(preferred);
  if (canonical !== undefined) {
    const subtags = canonical.split('-');
    for (let length = subtags.length; length > 0; length -= 1) {
      chain.push(subtags.slice(0, length).join('-'));
    }
  }
  const fallback = canonicalLocale(defaultLocale) ?? defaultLocale;
  if (!chain.includes(fallback)) chain.push(fallback);
  return chain;
}
