import { describe, expect, test } from 'vitest';
import {
  formatCategories,
  formatCategory,
  formatDateTime,
  formatPriceLevel,
  formatRating,
  formatWholeNumber,
} from './values';

describe('the values the grid and the detail panel show', () => {
  test('a rating has one decimal', () => {
    expect(formatRating(4)).toBe('4.0');
    expect(formatRating(4.56)).toBe('4.6');
    expect(formatRating(null)).toBeNull();
    expect(formatRating(Number.NaN)).toBeNull();
  });

  test('review counts have thousands separators', () => {
    expect(formatWholeNumber(2377)).toBe('2,377');
    expect(formatWholeNumber(1_234_567)).toBe('1,234,567');
    expect(formatWholeNumber(0)).toBe('0');
    expect(formatWholeNumber(null)).toBeNull();
  });

  test('a price level reads as dollar signs, 0 as Free', () => {
    expect(formatPriceLevel(0)).toBe('Free');
    expect(formatPriceLevel(1)).toBe('$');
    expect(formatPriceLevel(2)).toBe('$$');
    expect(formatPriceLevel(4)).toBe('$$$$');
    expect(formatPriceLevel(null)).toBeNull();
    expect(formatPriceLevel(-1)).toBeNull();
    expect(formatPriceLevel(1.5)).toBeNull();
  });

  test('a category reads as words, not a code', () => {
    expect(formatCategory('hair_care')).toBe('Hair care');
    expect(formatCategory('grocery_or_supermarket')).toBe('Grocery or supermarket');
    expect(formatCategory('bakery')).toBe('Bakery');
    expect(formatCategory('Hair salon')).toBe('Hair salon');
    expect(formatCategory('  ')).toBeNull();
    expect(formatCategory(null)).toBeNull();
    expect(formatCategories(['hair_care', 'point_of_interest', 'hair_care'])).toBe(
      'Hair care, Point of interest',
    );
    expect(formatCategories([])).toBeNull();
  });

  test('a time is shown in the local format; text that is no time as it is', () => {
    expect(formatDateTime('2026-01-02T03:04:05.000Z')).toMatch(/2026/);
    expect(formatDateTime('not a time')).toBe('not a time');
    expect(formatDateTime(null)).toBeNull();
  });
});
