import { describe, expect, it } from 'vitest';
import { LIVE_CONNECTION, LOST_CONNECTION, UNKNOWN_CONNECTION } from '../../api/transport';
import {
  BACKEND_FAILED_TEXT,
  BACKEND_RESTARTING_TEXT,
  bannerContent,
  OFFLINE_TEXT,
} from './banner-content';

const now = 1_000_000;

describe('the connection banner', () => {
  it('says nothing while live or before the first connection', () => {
    expect(bannerContent(LIVE_CONNECTION, true, now)).toBeNull();
    expect(bannerContent(UNKNOWN_CONNECTION, true, now)).toBeNull();
  });

  it('in a browser: offline, the seconds to the next try (rounded up), and Try now', () => {
    const lost = { ...LOST_CONNECTION, retryAt: now + 3_200 };
    expect(bannerContent(lost, true, now)).toEqual({
      tone: 'offline',
      message: OFFLINE_TEXT,
      countdown: 'Trying again in 4 s.',
      canRetry: true,
    });
    expect(bannerContent(lost, true, now + 3_000)?.countdown).toBe('Trying again in 1 s.');
    expect(bannerContent(lost, true, now + 3_200)?.countdown).toBe('Trying again now…');
    expect(bannerContent(LOST_CONNECTION, true, now)?.countdown).toBe('Trying again now…');
  });

  it('in the desktop app: what main said about its backend, without Try now', () => {
    const restarting = { state: 'reconnecting', retryAt: null, detail: 'Restarting.' } as const;
    expect(bannerContent(restarting, false, now)).toEqual({
      tone: 'offline',
      message: 'Restarting.',
      countdown: null,
      canRetry: false,
    });
    expect(bannerContent(LOST_CONNECTION, false, now)?.message).toBe(BACKEND_RESTARTING_TEXT);
    const failed = { state: 'failed', retryAt: null, detail: null } as const;
    expect(bannerContent(failed, false, now)).toEqual({
      tone: 'failed',
      message: BACKEND_FAILED_TEXT,
      countdown: null,
      canRetry: false,
    });
  });
});
