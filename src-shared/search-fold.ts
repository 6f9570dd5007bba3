/**
 * The one definition of how free-text search folds text, shared by the app's query side
 * (`normaliseSearchText`, applied to `q`) and the database, which keeps `places_staging.search_text`
 * itself with a trigger: sql/pg/0004 and sql/sqlite/0004 are generated from this map by
 * src-main/db/search-fold-sql.ts, and test/db/search-text.test.ts checks that the committed
 * scripts match it and that both engines fold every character exactly as this module does.
 *
 * The fold is a plain character map, then runs of spaces collapsed and the ends trimmed. It does
 * not depend on a locale, on Unicode tables of the engine (PostgreSQL's lower() follows the
 * database's LC_CTYPE; SQLite's folds only ASCII) or on an extension (unaccent), so it gives the
 * same text on PostgreSQL, SQLite and in JavaScript:
 * - ASCII letters to lower case; Latin letters with diacritics (Latin-1, Latin Extended-A and -B,
 *   Latin Extended Additional, e.g. Vietnamese) to their base letters in lower case; letters with
 *   no decomposition spelled out (ß and ẞ -> ss, æ -> ae, œ -> oe, ø -> o, ł -> l, đ and ð -> d,
 *   þ -> th, ı -> i, ...); the f-ligatures spelled out;
 * - Greek to lower case without tonos or dialytika (ς -> σ); Cyrillic to lower case (ё and й are
 *   kept: they are letters of their own);
 * - combining marks U+0300–U+036F removed (text in decomposed form folds like composed text);
 * - typographic quotes and dashes to ' " and -; control characters and Unicode spaces to a space;
 *   zero-width characters and the soft hyphen removed.
 * Everything else (other scripts: Armenian, Georgian, Hebrew, Arabic, CJK, emoji; fullwidth forms)
 * passes through unchanged: it is found by exactly the text stored, case included.
 */

/** The columns whose text is searched, joined by one space in this order. */
export const SEARCH_TEXT_SOURCE_COLUMNS = [
  'name',
  'formatted_address',
  'business_type',
  'search_location',
] as const;

const range = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let cp = from; cp <= to; cp++) out.push(String.fromCodePoint(cp));
  return out;
};

/** Letters that do not decompose into a base letter and marks, spelled out. */
const SPELLED_OUT: Record<string, string> = {
  Æ: 'ae',
  æ: 'ae',
  Ð: 'd',
  ð: 'd',
  Ø: 'o',
  ø: 'o',
  Þ: 'th',
  þ: 'th',
  ß: 'ss',
  ẞ: 'ss',
  Đ: 'd',
  đ: 'd',
  Ħ: 'h',
  ħ: 'h',
  ı: 'i',
  Ĳ: 'ij',
  ĳ: 'ij',
  ĸ: 'k',
  Ŀ: 'l',
  ŀ: 'l',
  Ł: 'l',
  ł: 'l',
  ŉ: "'n",
  Ŋ: 'n',
  ŋ: 'n',
  Œ: 'oe',
  œ: 'oe',
  Ŧ: 't',
  ŧ: 't',
  ſ: 's',
  ƀ: 'b',
  Ɓ: 'b',
  Ƈ: 'c',
  ƈ: 'c',
  Ɗ: 'd',
  Ƌ: 'd',
  ƌ: 'd',
  Ǝ: 'e',
  ǝ: 'e',
  Ə: 'e',
  ə: 'e',
  Ƒ: 'f',
  ƒ: 'f',
  Ɠ: 'g',
  Ɨ: 'i',
  Ƙ: 'k',
  ƙ: 'k',
  ƚ: 'l',
  Ɲ: 'n',
  ƞ: 'n',
  Ɵ: 'o',
  Ƥ: 'p',
  ƥ: 'p',
  ƫ: 't',
  Ƭ: 't',
  ƭ: 't',
  Ʈ: 't',
  Ʋ: 'v',
  Ƴ: 'y',
  ƴ: 'y',
  Ƶ: 'z',
  ƶ: 'z',
  Ǆ: 'dz',
  ǅ: 'dz',
  ǆ: 'dz',
  Ǉ: 'lj',
  ǈ: 'lj',
  ǉ: 'lj',
  Ǌ: 'nj',
  ǋ: 'nj',
  ǌ: 'nj',
  Ǥ: 'g',
  ǥ: 'g',
  Ǳ: 'dz',
  ǲ: 'dz',
  ǳ: 'dz',
  ȡ: 'd',
  Ȥ: 'z',
  ȥ: 'z',
  ȴ: 'l',
  ȵ: 'n',
  ȶ: 't',
  ȷ: 'j',
  Ⱥ: 'a',
  Ȼ: 'c',
  ȼ: 'c',
  Ƚ: 'l',
  Ⱦ: 't',
  ȿ: 's',
  ɀ: 'z',
  Ƀ: 'b',
  Ʉ: 'u',
  Ɇ: 'e',
  ɇ: 'e',
  Ɉ: 'j',
  ɉ: 'j',
  Ɍ: 'r',
  ɍ: 'r',
  Ɏ: 'y',
  ɏ: 'y',
  ẚ: 'a',
  ẜ: 's',
  ẝ: 's',
  ﬀ: 'ff',
  ﬁ: 'fi',
  ﬂ: 'fl',
  ﬃ: 'ffi',
  ﬄ: 'ffl',
  ﬅ: 'st',
  ﬆ: 'st',
};

/** Typographic punctuation that users type in its ASCII form. */
const PUNCTUATION: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u02bc': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
};

const SPACES = [
  ...range(0x01, 0x1f),
  '\u007f',
  ...range(0x80, 0x9f),
  '\u00a0',
  '\u1680',
  ...range(0x2000, 0x200a),
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
];
const REMOVED = [
  ...range(0x0300, 0x036f),
  '\u00ad',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
];

function buildMap(): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const ch of range(0x41, 0x5a)) map.set(ch, ch.toLowerCase());
  for (const ch of SPACES) map.set(ch, ' ');
  for (const ch of REMOVED) map.set(ch, '');
  for (const [ch, to] of Object.entries(PUNCTUATION)) map.set(ch, to);
  // Latin: the base letters of the canonical decomposition, lower case; the rest spelled out.
  for (const ch of [...range(0x00c0, 0x024f), ...range(0x1e00, 0x1eff)]) {
    const base = [...ch.normalize('NFD').replace(/\p{M}+/gu, '')]
      .map((c) => SPELLED_OUT[c] ?? c)
      .join('');
    if (/^[A-Za-z']+$/.test(base)) map.set(ch, base.toLowerCase());
  }
  for (const [ch, to] of Object.entries(SPELLED_OUT)) map.set(ch, to);
  // Greek: lower case without accents (final sigma as sigma).
  for (const ch of range(0x0386, 0x03ce)) {
    const folded = ch
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace('ς', 'σ');
    if (folded !== ch && /^\p{Script=Greek}$/u.test(folded)) map.set(ch, folded);
  }
  // Cyrillic: lower case only.
  for (const ch of range(0x0400, 0x04ff)) {
    const lower = ch.toLowerCase();
    if (lower !== ch && [...lower].length === 1) map.set(ch, lower);
  }
  return map;
}

/** Every character the fold changes, and what it becomes ('' = removed). */
export const SEARCH_FOLD_MAP: ReadonlyMap<string, string> = buildMap();

/** Folds text for free-text search; the database computes the same for `search_text`. */
export function foldSearchText(text: string): string {
  let out = '';
  for (const ch of text) out += SEARCH_FOLD_MAP.get(ch) ?? ch;
  return out.replace(/ {2,}/g, ' ').replace(/^ | $/g, '');
}

/** The `search_text` the database stores for a place: its source columns joined and folded. */
export function placeSearchText(
  row: Partial<Record<(typeof SEARCH_TEXT_SOURCE_COLUMNS)[number], string | null>>,
): string {
  return foldSearchText(SEARCH_TEXT_SOURCE_COLUMNS.map((c) => row[c] ?? '').join(' '));
}
