import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config';
import { relaunchReason } from './change-effects';

const base = { STAGING_EDITOR_DATA_DIR: '/tmp/se-change-effects' };
const settings = (extra: Record<string, string> = {}) => loadSettings({ ...base, ...extra });
const SECRET = 'a-jwt-secret-that-is-32-bytes-long!!';

describe('relaunchReason', () => {
  it('asks for nothing when only the backend or the log level changed', () => {
    expect(relaunchReason(settings(), settings())).toBeNull();
    expect(
      relaunchReason(
        settings(),
        settings({
          DATABASE_URL: 'postgres://postgres@127.0.0.1/team',
          DEEP_SCAN_BATCH_SIZE: '50',
          LOG_LEVEL: 'debug',
        }),
      ),
    ).toBeNull();
    // A new secret in the same mode: the saved sign-in is refused and the window signs in again.
    expect(
      relaunchReason(settings({ JWT_SECRET: SECRET }), settings({ JWT_SECRET: `${SECRET}2` })),
    ).toBeNull();
  });

  it('asks for a restart when single-user mode is switched on or off', () => {
    expect(relaunchReason(settings(), settings({ JWT_SECRET: SECRET }))).toMatch(
      /^Restart Staging Editor to use the sign-in settings you saved/,
    );
    // Between two signed-in modes the sign-in screen answers a refused token: no restart.
    expect(
      relaunchReason(
        settings({ JWT_SECRET: SECRET }),
        settings({ JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json' }),
      ),
    ).toBeNull();
    expect(relaunchReason(settings({ JWT_SECRET: SECRET }), settings())).toMatch(
      /the sign-in settings/,
    );
  });

  it('asks for a restart when the log folder moves, naming both reasons at once', () => {
    expect(relaunchReason(settings(), settings({ LOG_DIR: '/tmp/se-other-logs' }))).toMatch(
      /use the log folder you saved/,
    );
    expect(
      relaunchReason(settings(), settings({ LOG_DIR: '/tmp/se-other-logs', JWT_SECRET: SECRET })),
    ).toMatch(/the sign-in settings and the log folder/);
  });
});
