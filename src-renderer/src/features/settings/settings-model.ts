import {
  SETTING_GROUPS,
  type SettingField,
  type SettingGroup,
  type SettingsView,
} from '../../../../src-shared/contract/settings';
import type { AppError } from '../../../../src-shared/errors';

/**
 * What the user typed: a value, or null to remove a saved one. A setting not in the draft is
 * untouched (a secret's field stays empty until the user types a new one).
 */
export type SettingsDraft = Readonly<Record<string, string | null>>;

export interface FieldGroup {
  group: SettingGroup;
  fields: SettingField[];
}

/** The fields in the screen's groups, in their order; empty groups left out. */
export function groupFields(fields: readonly SettingField[]): FieldGroup[] {
  return SETTING_GROUPS.map((group) => ({
    group,
    fields: fields.filter((f) => f.group === group),
  })).filter((g) => g.fields.length > 0);
}

/** Where a value comes from, as the screen says it. */
export function sourceText(field: SettingField): string {
  if (field.source === 'environment') return 'set by the environment';
  if (field.source === 'settings file') return 'saved in the settings file';
  if (field.secret || field.value === null) return 'not set';
  return 'default';
}

/** A setting the screen can't change: the environment's (it wins), or all when read-only. */
export function isReadOnly(field: SettingField, view: Pick<SettingsView, 'can_change'>): boolean {
  return !view.can_change || field.source === 'environment';
}

/** What the field's input shows: the saved or environment value; a default is a placeholder. */
export function shownValue(field: SettingField, draft: SettingsDraft): string {
  if (field.key in draft) return draft[field.key] ?? '';
  if (field.secret) return '';
  return field.source === 'default' ? '' : (field.value ?? '');
}

export function placeholderFor(field: SettingField): string {
  if (field.secret) return field.set ? 'set (type to change)' : 'not set';
  return field.source === 'default' && field.value !== null ? field.value : '';
}

/** The changes to send: only what differs from what is saved. */
export function changesToSave(
  fields: readonly SettingField[],
  draft: SettingsDraft,
): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const field of fields) {
    if (!(field.key in draft) || field.source === 'environment') continue;
    const typed = draft[field.key];
    const value = typed === null ? null : typed!.trim();
    if (field.secret) {
      if (value === null) {
        if (field.source === 'settings file') changes[field.key] = null;
      } else if (value !== '') changes[field.key] = value;
      continue;
    }
    const saved = field.source === 'settings file' ? field.value : null;
    const next = value === '' ? null : value;
    if (next !== saved) changes[field.key] = next;
  }
  return changes;
}

/** A save's refusal, beside the fields it names; the rest as one sentence above the buttons. */
export function errorsByField(error: AppError): {
  byField: Record<string, string>;
  general: string | null;
} {
  const byField: Record<string, string> = {};
  for (const issue of error.issues ?? []) {
    const key = issue.path.replace(/^values\./, '');
    byField[key] ??= issue.message;
  }
  return { byField, general: Object.keys(byField).length ? null : error.detail };
}
