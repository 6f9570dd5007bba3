import type { Page } from '@playwright/test';

export interface HeldRequest {
  /** Lets the held request go on to the server. */
  release(): void;
  /** Requests matching the pattern so far (the held one included). */
  count(): number;
}

/**
 * Holds the `nth` request matching `url` in the browser (the real one, unchanged) until the test
 * releases it, so a test can look at the page while a long import or export is part way. Every
 * other matching request goes straight on.
 */
export async function holdRequest(
  page: Page,
  url: string | RegExp,
  nth: number,
): Promise<HeldRequest> {
  let requests = 0;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    if (++requests === nth) await released;
    await route.continue();
  });
  return { release: () => release(), count: () => requests };
}
