import { useEffect, useState, type FormEvent } from 'react';
import type {
  SettingField,
  SettingsView,
  TestConnectionResult,
} from '../../../../src-shared/contract/settings';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { plainErrorText } from '../feedback/error-text';
import { ModalDialog } from '../feedback/ModalDialog';
import {
  changesToSave,
  errorsByField,
  groupFields,
  isReadOnly,
  placeholderFor,
  shownValue,
  sourceText,
  type SettingsDraft,
} from './settings-model';

interface SettingsDialogProps {
  open: boolean;
  onClose(): void;
  /** After a save: the backend restarted, perhaps on another store. */
  onSaved(): void;
}

/** The settings screen: the settings file under the environment, grouped as the schema says. */
export function SettingsDialog({ open, onClose, onSaved }: SettingsDialogProps) {
  return (
    <ModalDialog
      open={open}
      onClose={onClose}
      labelledBy="settings-title"
      className="settings-dialog"
    >
      <SettingsBody onClose={onClose} onSaved={onSaved} />
    </ModalDialog>
  );
}

const TEST_TARGETS = { 'Team store': 'store', 'Places API': 'places' } as const;

function SettingsBody({ onClose, onSaved }: Omit<SettingsDialogProps, 'open'>) {
  const client = useClient();
  const [view, setView] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<SettingsDraft>({});
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; general: string | null }>(
    {
      byField: {},
      general: null,
    },
  );
  const [message, setMessage] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<string, TestConnectionResult | 'testing'>>({});

  useEffect(() => {
    client
      .call('getSettings', {})
      .then(setView, (thrown: unknown) =>
        setLoadError(plainErrorText(toAppError(thrown), 'reading the settings')),
      );
  }, [client]);

  if (loadError) {
    return (
      <>
        <h2 id="settings-title">Settings</h2>
        <p className="inline-error" role="alert">
          {loadError}
        </p>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </>
    );
  }
  if (!view) {
    return (
      <>
        <h2 id="settings-title">Settings</h2>
        <p className="muted">Reading…</p>
      </>
    );
  }

  const edit = (key: string, value: string | null) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setMessage(null);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({ byField: {}, general: null });
    try {
      const saved = await client.call('saveSettings', {
        values: changesToSave(view.fields, draft),
      });
      setView(saved);
      setDraft({});
      setMessage(saved.message);
      onSaved();
    } catch (thrown) {
      setErrors(errorsByField(toAppError(thrown)));
    } finally {
      setBusy(false);
    }
  };

  const test = async (target: 'store' | 'places') => {
    setTests((t) => ({ ...t, [target]: 'testing' }));
    try {
      const values = view.can_change ? changesToSave(view.fields, draft) : {};
      const result = await client.call('testConnection', { target, values });
      setTests((t) => ({ ...t, [target]: result }));
    } catch (thrown) {
      const text = plainErrorText(toAppError(thrown), 'the connection test');
      setTests((t) => ({ ...t, [target]: { ok: false, message: text } }));
    }
  };

  return (
    <form className="settings-form" onSubmit={(e) => void save(e)} noValidate>
      <h2 id="settings-title">Settings</h2>
      <p className="muted">
        Saved in <code>{view.file}</code>. Environment variables win over this file.
        {view.secrets_can_be_saved
          ? ' Secrets are encrypted by the system keychain.'
          : ' This system cannot encrypt secrets: set them in the environment.'}
      </p>
      {view.read_only_reason ? <p className="notice">{view.read_only_reason}</p> : null}
      {groupFields(view.fields).map(({ group, fields }) => {
        const target = TEST_TARGETS[group as keyof typeof TEST_TARGETS];
        const result = target ? tests[target] : undefined;
        return (
          <fieldset key={group} className="settings-group">
            <legend>{group}</legend>
            {fields.map((field) => (
              <SettingInput
                key={field.key}
                field={field}
                readOnly={isReadOnly(field, view)}
                draft={draft}
                error={errors.byField[field.key]}
                onEdit={edit}
              />
            ))}
            {target ? (
              <div className="settings-test">
                <button
                  type="button"
                  onClick={() => void test(target)}
                  disabled={result === 'testing'}
                >
                  Test connection
                </button>
                <span
                  role="status"
                  className={result && result !== 'testing' && !result.ok ? 'inline-error' : ''}
                >
                  {result === 'testing' ? 'Testing…' : (result?.message ?? '')}
                </span>
              </div>
            ) : null}
          </fieldset>
        );
      })}
      {errors.general ? (
        <p className="inline-error" role="alert">
          {errors.general}
        </p>
      ) : null}
      {Object.keys(errors.byField).length ? (
        <p className="inline-error" role="alert">
          Nothing was saved: {Object.values(errors.byField)[0]}
        </p>
      ) : null}
      <p role="status" className="settings-message">
        {message ?? ''}
      </p>
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          Close
        </button>
        {view.can_change ? (
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function SettingInput(props: {
  field: SettingField;
  readOnly: boolean;
  draft: SettingsDraft;
  error: string | undefined;
  onEdit(key: string, value: string | null): void;
}) {
  const { field, readOnly, draft, error, onEdit } = props;
  const id = `setting-${field.key}`;
  const removing = field.secret && draft[field.key] === null;
  return (
    <div className="settings-field" data-source={field.source}>
      <label htmlFor={id}>
        {field.title} <code className="setting-key">{field.key}</code>
      </label>
      <input
        id={id}
        name={field.key}
        type={field.secret ? 'password' : 'text'}
        autoComplete={field.secret ? 'new-password' : 'off'}
        spellCheck={false}
        readOnly={readOnly}
        value={shownValue(field, draft)}
        placeholder={removing ? 'will be removed' : placeholderFor(field)}
        aria-invalid={error ? true : undefined}
        // As shown: where the value comes from, the error if any, then what the setting does.
        aria-describedby={`${id}-source${error ? ` ${id}-error` : ''} ${id}-help`}
        onChange={(e) => onEdit(field.key, e.target.value)}
      />
      <span id={`${id}-source`} className="muted settings-source">
        {sourceText(field)}
      </span>
      {field.secret && field.source === 'settings file' && !readOnly ? (
        <button type="button" className="link-button" onClick={() => onEdit(field.key, null)}>
          Remove
        </button>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="inline-error field-error">
          {error}
        </span>
      ) : null}
      <span id={`${id}-help`} className="settings-help">
        {field.help}
      </span>
    </div>
  );
}
