/** A website from the scan as a link target, only if it is plain http(s); otherwise null. */
export function safeWebsiteHref(value: string | null | undefined): string | null {
  if (!value) return null;
  const candidate = /^[a-z][a-z0-9+-]*:/i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The most digits a tel: link may have; the desktop app's main process refuses longer ones. */
const MAX_TEL_DIGITS = 32;

/**
 * A phone number as a tel: link target (digits and a leading +), or null. In the desktop app the
 * system's phone handler opens it (main allows exactly this shape: src-main/electron/external-links.ts).
 */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  const count = digits.replace('+', '').length;
  return count >= 3 && count <= MAX_TEL_DIGITS ? `tel:${digits}` : null;
}
