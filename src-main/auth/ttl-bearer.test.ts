import { describe, expect, it } from 'vitest';
import { bearerToken, parseTtl } from './index';

describe('parseTtl', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604_800],
    ['3600', 3600],
    ['1', 1],
    [' 2H ', 7200],
  ])('%j -> %i seconds', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each([
    '',
    '0',
    '0s',
    '-5',
    '-1h',
    '1.5h',
    '1w',
    'h',
    '1 h',
    '10x',
    'abc',
    '1e3',
    '99999999999999999999d',
  ])('refuses %j with a clear message', (text) => {
    expect(() => parseTtl(text)).toThrow(/^Invalid token lifetime .*: use a positive number/);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc.def.ghi', 'abc.def.ghi'],
    ['Bearer   abc  ', 'abc'],
  ])('%j -> %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'abc',
    'Bearer a b',
    'Bearerabc',
  ])('%j -> undefined', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
