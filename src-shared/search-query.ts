import { foldSearchText } from './search-fold';

/**
 * The one definition of what a free-text search (`q`) means; both stores' query builders
 * (src-main/places/queries.ts) turn its terms into SQL, and docs/behaviour.md ("Search") says
 * the same in words.
 *
 * - The search is folded exactly as the database folds a place's `search_text` (./search-fold.ts:
 *   case and accents folded, typographic quotes and Unicode spaces made plain).
 * - It is then split into **terms**: words separated by spaces or commas, and phrases in double
 *   quotes (`"blue oak"`: the text between the quotes, spaces included; a quote left open runs to
 *   the end of the search). The quotes themselves are never searched for.
 * - A place matches when **every** term occurs somewhere in its search text (name, address,
 *   category, search location), in any order: `blue oak chicago` finds "Blue Oak Bakery" in
 *   Chicago. A term matches inside a word (`oak` finds "Oakland"), and every other character is
 *   literal: `%`, `_` and `\` are not wildcards, `&` finds "Pipe & Drain".
 * - A search with no terms (empty, only spaces, commas or quotes) filters nothing.
 */

/** Separates words outside quotes (after folding: every Unicode space is a plain space by then). */
const WORD_SEPARATOR = /[ ,]+/;

/**
 * The folded terms every one of which a place's search text must contain, longest first. Terms
 * inside another term are dropped (a place holding the longer one holds them too), so the list is
 * the smallest that means the same.
 */
export function searchTerms(q: string): string[] {
  const folded = foldSearchText(q);
  const terms: string[] = [];
  // Even parts are outside quotes, odd parts inside: `a "b c" d` -> ['a ', 'b c', ' d'].
  folded.split('"').forEach((part, i) => {
    if (i % 2 === 1) terms.push(part.trim());
    else terms.push(...part.split(WORD_SEPARATOR));
  });
  const distinct = [...new Set(terms.filter((term) => term !== ''))].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  return distinct.filter(
    (term, i) => !distinct.slice(0, i).some((longer) => longer.includes(term)),
  );
}

/**
 * Whether a trigram index can find the term: it has 3 characters or more (a trigram index knows
 * nothing shorter). Shorter terms are checked by their LIKE alone.
 */
export function trigramIndexable(term: string): boolean {
  return [...term].length >= 3;
}

/** A `LIKE ... ESCAPE '\'` pattern that finds the term anywhere, its wildcards taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * What a place's search text must satisfy, in the same words, for the page: whether `text`
 * (already folded, as `search_text` is) matches the search `q`.
 */
export function searchTextMatches(text: string, q: string): boolean {
  return searchTerms(q).every((term) => text.includes(term));
}
