import { z } from 'zod';

/**
 * The settings screen's view of the settings. The fields themselves come from the backend's one
 * settings schema (src-main/config.ts); only their shape is written here.
 */
export const SETTING_GROUPS = [
  'Team store',
  'Identity',
  'Places API',
  'Deep scans',
  'Logs',
] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

export const SETTING_SOURCES = ['environment', 'settings file', 'default'] as const;
export type SettingSource = (typeof SETTING_SOURCES)[number];

export const settingFieldSchema = z.object({
  /** The environment name (DEEP_SCAN_BATCH_SIZE): what the README, logs and errors call it. */
  key: z.string(),
  /** Its name for people, the field's label (the backend's SETTING_TITLE). */
  title: z.string(),
  group: z.enum(SETTING_GROUPS),
  /** What the setting does, in a sentence (the backend's SETTING_HELP). */
  help: z.string(),
  /** A secret's value never leaves the backend: only whether it is set, and where from. */
  secret: z.boolean(),
  source: z.enum(SETTING_SOURCES),
  /** The value as written (environment, file or default); null for secrets and unset values. */
  value: z.string().nullable(),
  set: z.boolean(),
});
export type SettingField = z.infer<typeof settingFieldSchema>;

export const settingsViewSchema = z.object({
  fields: z.array(settingFieldSchema),
  /** Where the settings file is (shown on the screen). */
  file: z.string(),
  /** False: the screen is read-only, for `read_only_reason`. */
  can_change: z.boolean(),
  read_only_reason: z.string().nullable(),
  /** False: this system can't encrypt secrets, so they can only come from the environment. */
  secrets_can_be_saved: z.boolean(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

const settingKey = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a setting name');

export const saveSettingsInput = z.strictObject({
  /**
   * The settings to change: a value, or null (or '') to remove it from the file. A setting left
   * out is unchanged; so a secret's field sends nothing unless the user typed a new one.
   */
  values: z.record(settingKey, z.string().max(20_000).nullable()),
});

export const saveSettingsOutput = settingsViewSchema.extend({ message: z.string() });

export const testConnectionInput = z.strictObject({
  target: z.enum(['store', 'places']),
  /** Unsaved values from the form to test with (over the saved ones); secrets typed but unsaved. */
  values: z.record(settingKey, z.string().max(20_000).nullable()).default({}),
});

export const testConnectionOutput = z.object({ ok: z.boolean(), message: z.string() });
export type TestConnectionResult = z.infer<typeof testConnectionOutput>;

/** Handled by the settings service beside the backend (they outlive a backend restart). */
export const SETTINGS_OPERATION_NAMES = ['getSettings', 'saveSettings', 'testConnection'] as const;
export type SettingsOperationName = (typeof SETTINGS_OPERATION_NAMES)[number];
