/** Google's price level 0-4 as reviewers read it: 0 -> "Free", 2 -> "$$" (the import reads it back). */
export function formatPriceLevel(level: number | null | undefined): string | null {
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0) return null;
  return level === 0 ? 'Free' : '$'.repeat(level);
}
