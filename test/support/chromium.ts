import { existsSync } from 'node:fs';

/** Where Debian (and the CI machine, `.ci/run`) installs Chromium. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumLookup {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  exists: (path: string) => boolean;
}

/**
 * The Chromium the e2e suite and bench:ui launch: `CHROMIUM_PATH` when set, else Debian's
 * Chromium where it is installed, else undefined, which makes Playwright use its own browser
 * (`npx playwright install chromium` once, on Windows and macOS).
 */
export function chromiumExecutablePath({
  env,
  platform,
  exists,
}: ChromiumLookup): string | undefined {
  const override = env.CHROMIUM_PATH?.trim();
  if (override) return override;
  if (platform === 'linux' && exists(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  return undefined;
}

/** Launch options for Playwright's chromium.launch / `use.launchOptions`, on this machine. */
export function chromiumLaunchOptions(
  lookup: ChromiumLookup = { env: process.env, platform: process.platform, exists: existsSync },
): { executablePath?: string; args: string[] } {
  const executablePath = chromiumExecutablePath(lookup);
  return {
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  };
}
