import { describe, expect, it } from 'vitest';
import type { SettingField } from '../../../../src-shared/contract/settings';
import { AppError } from '../../../../src-shared/errors';
import {
  changesToSave,
  errorsByField,
  groupFields,
  isReadOnly,
  placeholderFor,
  shownValue,
  sourceText,
} from './settings-model';

const field = (over: Partial<SettingField> & { key: string }): SettingField => ({
  group: 'Deep scans',
  title: 'What it is called',
  help: 'What it does.',
  secret: false,
  source: 'default',
  value: null,
  set: false,
  ...over,
});

const batch = field({ key: 'DEEP_SCAN_BATCH_SIZE', value: '20', set: true });
const issuer = field({
  key: 'JWT_ISSUER',
  group: 'Identity',
  source: 'settings file',
  value: 'https://id',
  set: true,
});
const envAudience = field({
  key: 'JWT_AUDIENCE',
  group: 'Identity',
  source: 'environment',
  value: 'eds',
  set: true,
});
const dbUrl = field({ key: 'DATABASE_URL', group: 'Team store', secret: true });
const apiKey = field({
  key: 'GOOGLE_MAPS_API_KEY',
  group: 'Places API',
  secret: true,
  source: 'settings file',
  set: true,
});
const all = [dbUrl, issuer, envAudience, apiKey, batch];

describe('the settings screen', () => {
  it('groups fields in the screen order', () => {
    expect(groupFields(all).map((g) => [g.group, g.fields.map((f) => f.key)])).toEqual([
      ['Team store', ['DATABASE_URL']],
      ['Identity', ['JWT_ISSUER', 'JWT_AUDIENCE']],
      ['Places API', ['GOOGLE_MAPS_API_KEY']],
      ['Deep scans', ['DEEP_SCAN_BATCH_SIZE']],
    ]);
  });

  it('says where each value comes from, and makes the environment read-only', () => {
    expect(all.map(sourceText)).toEqual([
      'not set',
      'saved in the settings file',
      'set by the environment',
      'saved in the settings file',
      'default',
    ]);
    expect(isReadOnly(envAudience, { can_change: true })).toBe(true);
    expect(isReadOnly(issuer, { can_change: true })).toBe(false);
    expect(isReadOnly(issuer, { can_change: false })).toBe(true);
  });

  it('shows defaults as placeholders and secrets as set or not set, never a value', () => {
    expect([shownValue(batch, {}), placeholderFor(batch)]).toEqual(['', '20']);
    expect([shownValue(issuer, {}), shownValue(envAudience, {})]).toEqual(['https://id', 'eds']);
    expect([shownValue(apiKey, {}), placeholderFor(apiKey), placeholderFor(dbUrl)]).toEqual([
      '',
      'set (type to change)',
      'not set',
    ]);
    expect(shownValue(batch, { DEEP_SCAN_BATCH_SIZE: '30' })).toBe('30');
  });

  it('sends only what changed: typed secrets, cleared values, never the environment', () => {
    expect(changesToSave(all, {})).toEqual({});
    expect(
      changesToSave(all, {
        DEEP_SCAN_BATCH_SIZE: ' 30 ',
        JWT_ISSUER: '',
        JWT_AUDIENCE: 'other',
        GOOGLE_MAPS_API_KEY: '',
        DATABASE_URL: 'postgres://db/x',
      }),
    ).toEqual({ DEEP_SCAN_BATCH_SIZE: '30', JWT_ISSUER: null, DATABASE_URL: 'postgres://db/x' });
    expect(
      changesToSave(all, {
        JWT_ISSUER: 'https://id',
        GOOGLE_MAPS_API_KEY: null,
        DATABASE_URL: null,
      }),
    ).toEqual({
      GOOGLE_MAPS_API_KEY: null,
    });
  });

  it('puts a refusal beside the field it names', () => {
    const sentence = 'Setting DEEP_SCAN_BATCH_SIZE is invalid: Too small.';
    expect(
      errorsByField(
        new AppError('validation_error', sentence, [
          { path: 'DEEP_SCAN_BATCH_SIZE', message: sentence },
        ]),
      ),
    ).toEqual({ byField: { DEEP_SCAN_BATCH_SIZE: sentence }, general: null });
    expect(
      errorsByField(
        new AppError('validation_error', 'Invalid request', [
          { path: 'values.lower', message: 'must be a setting name' },
        ]),
      ),
    ).toEqual({ byField: { lower: 'must be a setting name' }, general: null });
    expect(errorsByField(new AppError('forbidden', 'Read-only.'))).toEqual({
      byField: {},
      general: 'Read-only.',
    });
  });
});
