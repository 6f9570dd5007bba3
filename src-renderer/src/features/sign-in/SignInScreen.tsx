import { useState, type FormEvent } from 'react';
import { NO_TOKEN_SENTENCE, signInCopy, type SignInMode } from './sign-in-flow';

interface SignInScreenProps {
  expired: boolean;
  onSignIn(token: string): Promise<string | null>;
  /** Defaults to this window's: the desktop app when the preload bridge is there. */
  mode?: SignInMode;
}

/**
 * Paste a token. Browser mode: or open the one-time link that `staging-editor serve` prints.
 * The desktop app: the token goes to main (see use-auth.ts), which keeps it encrypted.
 */
export function SignInScreen({ expired, onSignIn, mode = currentMode() }: SignInScreenProps) {
  const copy = signInCopy(mode, expired);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setError(NO_TOKEN_SENTENCE);
      return;
    }
    setBusy(true);
    try {
      setError(await onSignIn(token));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      className="sign-in-backdrop"
      role="dialog"
      aria-modal="true"
      aria-labelledby="sign-in-title"
    >
      <form className="sign-in" onSubmit={submit} noValidate>
        <h1 id="sign-in-title">{copy.heading}</h1>
        <p>{copy.explanation}</p>
        <label htmlFor="token-input">Access token</label>
        <textarea
          id="token-input"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          autoFocus
          aria-invalid={error !== null}
          aria-describedby={error ? 'sign-in-error' : undefined}
        />
        {error ? (
          <p id="sign-in-error" className="inline-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          Sign in
        </button>
      </form>
    </div>
  );
}

function currentMode(): SignInMode {
  return typeof window !== 'undefined' && window.stagingEditor ? 'desktop' : 'browser';
}
