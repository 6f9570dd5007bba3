import type { z } from 'zod';
import {
  contract,
  SETTINGS_OPERATION_NAMES,
  type OperationName,
  type SettingsOperationName,
  type SettingsView,
  type TestConnectionResult,
} from '../../src-shared/contract';
import type { saveSettingsInput, testConnectionInput } from '../../src-shared/contract/settings';
import { AppError, type ErrorIssue } from '../../src-shared/errors';
import type { Backend } from '../backend';
import { SettingsError, type Settings } from '../config';
import { errorSummary } from '../error-summary';
import type { DispatchResult } from '../router/dispatch-result';
import { toAppError } from '../router/dispatcher';
import { validationError } from '../router/validation';
import { testPlacesKey, testPostgres } from './connection-test';
import { effectiveSettings, isFileSetting, isSecretSetting, settingFields } from './effective';
import {
  readSettingsFile,
  secretsRefusedSentence,
  SettingsFileError,
  writeSettingsFile,
  type SecretEncryptor,
} from './settings-file';

/**
 * Who may change the settings. The desktop app: its user (the settings are the machine's, and
 * the window is the only sender the bridge trusts). `serve`: nobody unless it was started with
 * `--allow-settings`, because a browser user must not rewrite the server's DATABASE_URL or its
 * token verification; reading them needs a valid token like every other operation.
 */
export interface SettingsPolicy {
  canChange: boolean;
  /** Shown on the screen when it is read-only. */
  readOnlyReason: string | null;
}

export const SERVE_READ_ONLY_REASON =
  "The server's settings are read-only in the browser: they change on the server, or start `serve --allow-settings` to allow it.";

export interface SettingsServiceOptions {
  env: Record<string, string | undefined>;
  filePath: string;
  encryptor: SecretEncryptor | null;
  policy: SettingsPolicy;
  /** Restarts the backend with the saved settings (see restartable-backend.ts). */
  apply(settings: Settings): Promise<void>;
  /** How long "Test connection" waits (default 5 s). */
  testTimeoutMs?: number;
}

type SaveInput = z.output<typeof saveSettingsInput>;
type TestInput = z.output<typeof testConnectionInput>;

export interface SettingsService {
  /** The settings in force at start-up: a SettingsError or SettingsFileError is one sentence. */
  load(): Promise<{ settings: Settings; problems: string[] }>;
  getSettings(): Promise<SettingsView>;
  saveSettings(input: SaveInput): Promise<SettingsView & { message: string }>;
  testConnection(input: TestInput): Promise<TestConnectionResult>;
}

const isSet = (value: string | null | undefined): value is string =>
  value !== undefined && value !== null && value !== '';

function invalid(sentence: string, keys: readonly string[]): AppError {
  const issues: ErrorIssue[] = keys.map((path) => ({ path, message: sentence }));
  return new AppError('validation_error', sentence, issues.length ? issues : undefined);
}

export function createSettingsService(options: SettingsServiceOptions): SettingsService {
  const { env, filePath, encryptor, policy } = options;
  const testTimeoutMs = options.testTimeoutMs ?? 5000;

  const readFileValues = async () => {
    try {
      return await readSettingsFile(filePath, encryptor);
    } catch (error) {
      if (error instanceof SettingsFileError) throw new AppError('internal_error', error.message);
      throw error;
    }
  };

  function view(values: Record<string, string>): SettingsView {
    // The settings in force came through validation at start (or at the last save).
    return {
      fields: settingFields(effectiveSettings(env, values)),
      file: filePath,
      can_change: policy.canChange,
      read_only_reason: policy.canChange ? null : policy.readOnlyReason,
      secrets_can_be_saved: encryptor !== null,
    };
  }

  /** The form's changes over the saved values; refused when the environment provides one. */
  function withChanges(saved: Record<string, string>, changes: Record<string, string | null>) {
    const next = { ...saved };
    for (const [key, value] of Object.entries(changes)) {
      if (!isFileSetting(key)) {
        throw invalid(`${key} is not a setting the settings screen can change.`, [key]);
      }
      if (isSet(env[key])) {
        throw invalid(`${key} is set by the environment, which wins: change it there.`, [key]);
      }
      if (isSet(value)) next[key] = value;
      else delete next[key];
    }
    return next;
  }

  function validated(values: Record<string, string>): Settings {
    try {
      return effectiveSettings(env, values).settings;
    } catch (error) {
      if (error instanceof SettingsError) throw invalid(error.message, error.keys);
      throw error;
    }
  }

  return {
    async load() {
      const { values, problems } = await readSettingsFile(filePath, encryptor);
      return { settings: effectiveSettings(env, values).settings, problems };
    },

    async getSettings() {
      return view((await readFileValues()).values);
    },

    async saveSettings(input) {
      if (!policy.canChange)
        throw new AppError('forbidden', policy.readOnlyReason ?? 'Settings are read-only here.');
      const saved = (await readFileValues()).values;
      const next = withChanges(saved, input.values);
      if (!encryptor) {
        const secret = Object.keys(input.values).find(
          (key) => isSecretSetting(key) && isSet(input.values[key]),
        );
        if (secret) throw invalid(secretsRefusedSentence(secret), [secret]);
      }
      const settings = validated(next);
      const changed =
        JSON.stringify(Object.entries(next).sort()) !==
        JSON.stringify(Object.entries(saved).sort());
      if (!changed) return { ...view(saved), message: 'Nothing changed.' };
      await writeSettingsFile(filePath, next, encryptor);
      try {
        await options.apply(settings);
      } catch (error) {
        // The backend is back on the previous settings: so is the file.
        await writeSettingsFile(filePath, saved, encryptor);
        throw new AppError(
          'bad_request',
          `The backend could not start with these settings (${errorSummary(error).message.replace(/\.$/, '')}); the previous settings are in use again.`,
        );
      }
      return { ...view(next), message: 'Saved: the backend restarted with the new settings.' };
    },

    async testConnection(input) {
      if (!policy.canChange && Object.keys(input.values).length > 0) {
        throw new AppError('forbidden', policy.readOnlyReason ?? 'Settings are read-only here.');
      }
      const saved = (await readFileValues()).values;
      let settings: Settings;
      try {
        settings = validated(withChanges(saved, input.values));
      } catch (error) {
        if (error instanceof AppError) return { ok: false, message: error.detail };
        throw error;
      }
      if (input.target === 'store') {
        if (!settings.DATABASE_URL) {
          return {
            ok: false,
            message: 'No team store is set (DATABASE_URL): this computer uses its own SQLite file.',
          };
        }
        return testPostgres(settings.DATABASE_URL, testTimeoutMs);
      }
      if (!settings.GOOGLE_MAPS_API_KEY) {
        return {
          ok: false,
          message: 'No Places API key is set (GOOGLE_MAPS_API_KEY): deep scans are off.',
        };
      }
      return testPlacesKey(
        settings.PLACES_API_BASE_URL,
        settings.GOOGLE_MAPS_API_KEY,
        testTimeoutMs,
      );
    },
  };
}

const settingsOperationNames = new Set<string>(SETTINGS_OPERATION_NAMES);
export function isSettingsOperationName(name: unknown): name is SettingsOperationName {
  return typeof name === 'string' && settingsOperationNames.has(name);
}

/**
 * The backend both transports hold, with the settings operations answered by the service (they
 * outlive the backend they restart). `requireToken`: `serve` checks the token as for every
 * operation; the desktop app's window is its user, who must be able to fix a broken sign-in.
 */
export function withSettingsOperations<
  B extends Pick<Backend, 'dispatch' | 'authenticate' | 'logger'>,
>(backend: B, service: SettingsService, options: { requireToken: boolean }): B {
  const dispatch = async <N extends OperationName>(
    name: N,
    rawInput: unknown,
    token: string | undefined,
  ): Promise<DispatchResult<N>> => {
    if (!isSettingsOperationName(name)) return backend.dispatch(name, rawInput, token);
    try {
      if (options.requireToken) {
        const auth = await backend.authenticate(token);
        if (!auth.ok) return { ok: false, error: auth.error };
      }
      const parsed = contract[name].input.safeParse(rawInput ?? {});
      if (!parsed.success) throw validationError(parsed.error);
      const handler = service[name] as (input: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value } as DispatchResult<N>;
    } catch (error) {
      return { ok: false, error: toAppError(error, name, backend.logger).toBody() };
    }
  };
  return Object.create(backend, { dispatch: { value: dispatch, enumerable: true } }) as B;
}
