const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A token lifetime such as `90s`, `15m`, `1h`, `7d` or plain seconds (`3600`), in seconds.
 * Throws a clear Error for anything else, for zero, and for absurdly large values.
 */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/i.exec(String(text).trim());
  const unit = match?.[2]?.toLowerCase() ?? '';
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[unit]! : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new Error(
      `Invalid token lifetime ${JSON.stringify(String(text).slice(0, 40))}: use a positive ` +
        'number of seconds or a number followed by s, m, h or d (for example 90s, 15m, 1h, 7d).',
    );
  }
  return seconds;
}
