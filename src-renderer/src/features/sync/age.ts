const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `fromIso` was, as a reviewer reads it: "under 1 min", "12 min", "3 h", "2 days".
 * `now` is injected (milliseconds since the epoch) so the wording is testable; a time in the
 * future (another computer's clock running ahead) reads as "under 1 min", never negative.
 */
export function formatAge(fromIso: string, now: number): string {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return 'an unknown time';
  const elapsed = Math.max(0, now - from);
  if (elapsed < MINUTE) return 'under 1 min';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min`;
  if (elapsed < DAY) {
    const hours = Math.floor(elapsed / HOUR);
    const minutes = Math.floor((elapsed % HOUR) / MINUTE);
    return hours < 6 && minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.floor(elapsed / DAY);
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

/** "12 min ago", or "just now" within the first minute. */
export function formatAgo(fromIso: string, now: number): string {
  const age = formatAge(fromIso, now);
  return age === 'under 1 min' ? 'just now' : `${age} ago`;
}
