import { describe, expect, test } from 'vitest';
import { containsPattern, searchTerms, searchTextMatches } from './search-query';

describe('searchTerms', () => {
  test('splits on spaces and commas, folded like the search text', () => {
    expect(searchTerms('Blue  Oak,Chicago')).toEqual(['chicago', 'blue', 'oak']);
    expect(searchTerms('CAFÉ Zoë’s')).toEqual(["zoe's", 'cafe']);
    expect(searchTerms('\u00a0Łódź\u2003')).toEqual(['lodz']);
  });

  test('keeps a phrase in double quotes whole, typographic quotes too', () => {
    expect(searchTerms('"blue oak" chicago')).toEqual(['blue oak', 'chicago']);
    expect(searchTerms('“blue, oak” chicago')).toEqual(['blue, oak', 'chicago']);
    expect(searchTerms('chicago "blue oak')).toEqual(['blue oak', 'chicago']);
    expect(searchTerms('"  blue   oak  "')).toEqual(['blue oak']);
    expect(searchTerms('" , "')).toEqual([',']);
  });

  test('drops repeated terms and terms inside a longer one', () => {
    expect(searchTerms('oak OAK "blue oak" blue')).toEqual(['blue oak']);
    expect(searchTerms('a ab abc')).toEqual(['abc']);
  });

  test('nothing but separators and quotes is no term', () => {
    for (const q of ['', '   ', ',,,', '"', '""', '"  "', '\u200b']) {
      expect(searchTerms(q), JSON.stringify(q)).toEqual([]);
    }
  });

  test('keeps every other character literally', () => {
    expect(searchTerms('100% a_b \\ & -')).toEqual(['100%', 'a_b', '&', '-', '\\']);
  });
});

describe('containsPattern', () => {
  test('escapes the LIKE wildcards and the escape character', () => {
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
    expect(containsPattern('\\')).toBe('%\\\\%');
    expect(containsPattern("o'brien")).toBe("%o'brien%");
  });
});

describe('searchTextMatches', () => {
  const text = 'blue oak bakery 12 elm st, chicago, il 60601, usa bakery chicago, il';
  test('needs every term, in any order', () => {
    expect(searchTextMatches(text, 'chicago blue OAK')).toBe(true);
    expect(searchTextMatches(text, 'blue oak austin')).toBe(false);
    expect(searchTextMatches(text, '"oak bakery"')).toBe(true);
    expect(searchTextMatches(text, '"bakery oak"')).toBe(false);
    expect(searchTextMatches(text, '')).toBe(true);
  });
});
