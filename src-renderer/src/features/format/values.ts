import { formatCount } from '../../../../src-shared/messages';

/**
 * How a place's values read, wherever they are shown (the grid's cells, the detail panel, the
 * filters): one function per kind of value, so the grid and the panel can't say the same thing two
 * ways. Each answers null for "no value"; the caller draws that its own way (an empty cell, a dash).
 */

/** A rating, always with one decimal: 4 -> "4.0". */
export function formatRating(rating: number | null | undefined): string | null {
  return typeof rating === 'number' && Number.isFinite(rating) ? rating.toFixed(1) : null;
}

/** A whole number with thousands separators: 2377 -> "2,377" (the messages' format). */
export function formatWholeNumber(n: number | null | undefined): string | null {
  return typeof n === 'number' && Number.isFinite(n) ? formatCount(n) : null;
}

export { formatPriceLevel } from '../../../../src-shared/price';

/**
 * A category as words: Google's type codes ("hair_care") read "Hair care"; a category that is
 * already words keeps them, with a capital first letter.
 */
export function formatCategory(category: string | null | undefined): string | null {
  const words = (category ?? '').replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1) : null;
}

/** Several categories as words, in their order, without repeats. */
export function formatCategories(categories: readonly string[] | null | undefined): string | null {
  const words = [...new Set((categories ?? []).map(formatCategory).filter((c) => c !== null))];
  return words.length ? words.join(', ') : null;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO time in the reviewer's time zone and locale; text that is not a time as it is. */
export function formatDateTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}
