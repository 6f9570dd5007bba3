import type { SettingField, SettingGroup, SettingSource } from '../../src-shared/contract/settings';
import {
  loadSettings,
  SECRET_KEYS,
  SETTING_HELP,
  SETTING_TITLE,
  settingsSchema,
  type Settings,
} from '../config';

/** Every setting the schema knows, in its order. */
export const SETTING_KEYS: readonly string[] = Object.keys(settingsSchema.shape);

/**
 * The screen's group of a setting, from its name; null: not on the screen (the data folder
 * holds the settings file, so it can only be moved from the environment).
 */
export function settingGroup(key: string): SettingGroup | null {
  if (/^(DATABASE_|SQLITE_|SYNC_)/.test(key)) return 'Team store';
  if (key.startsWith('JWT_')) return 'Identity';
  if (key === 'GOOGLE_MAPS_API_KEY' || key.startsWith('PLACES_')) return 'Places API';
  if (key.startsWith('DEEP_SCAN_')) return 'Deep scans';
  if (key.startsWith('LOG_')) return 'Logs';
  return null;
}

/** The settings a settings file may hold: every one on the screen. */
export function isFileSetting(key: string): boolean {
  return SETTING_KEYS.includes(key) && settingGroup(key) !== null;
}

export const isSecretSetting = (key: string): boolean => SECRET_KEYS.has(key);

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

export interface EffectiveSettings {
  settings: Settings;
  /** Where each setting's value comes from. */
  sources: Record<string, SettingSource>;
  /** The raw (string) value of every setting that is set, environment over file. */
  raw: Record<string, string>;
}

/**
 * The settings in force: the environment wins, then the settings file, then the schema's
 * defaults; validated by the one settings schema (a SettingsError names the setting).
 */
export function effectiveSettings(
  env: Record<string, string | undefined>,
  file: Record<string, string>,
): EffectiveSettings {
  const merged: Record<string, string | undefined> = { ...env };
  const sources: Record<string, SettingSource> = {};
  const raw: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    if (isSet(env[key])) {
      sources[key] = 'environment';
      raw[key] = env[key];
    } else if (isFileSetting(key) && isSet(file[key])) {
      sources[key] = 'settings file';
      raw[key] = file[key];
      merged[key] = file[key];
    } else {
      sources[key] = 'default';
    }
  }
  return { settings: loadSettings(merged), sources, raw };
}

/** The schema's defaults as the screen shows them (DATABASE_POOL_SIZE's is derived: none). */
function defaultValues(): Record<string, unknown> {
  return settingsSchema.parse({});
}

/** The screen's fields: values and sources, secrets reduced to "set" or "not set". */
export function settingFields(effective: EffectiveSettings): SettingField[] {
  const defaults = defaultValues();
  const fields: SettingField[] = [];
  for (const key of SETTING_KEYS) {
    const group = settingGroup(key);
    if (!group) continue;
    const secret = isSecretSetting(key);
    const source = effective.sources[key]!;
    const given = effective.raw[key];
    const fallback = defaults[key];
    const value =
      given ??
      (fallback === undefined
        ? null
        : Array.isArray(fallback)
          ? fallback.join(';')
          : String(fallback));
    fields.push({
      key,
      group,
      title: SETTING_TITLE[key as keyof typeof SETTING_TITLE],
      help: SETTING_HELP[key as keyof typeof SETTING_HELP],
      secret,
      source,
      value: secret ? null : value,
      set: given !== undefined || (!secret && value !== null),
    });
  }
  return fields;
}
