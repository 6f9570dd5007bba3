import { useState, type FormEvent } from 'react';

interface SignInScreenProps {
  expired: boolean;
  onSignIn(token: string): Promise<string | null>;
}

/** Browser mode: paste a token, or open the one-time link that `staging-editor serve` prints. */
export function SignInScreen({ expired, onSignIn }: SignInScreenProps) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setError('Paste a token first.');
      return;
    }
    setBusy(true);
    setError(await onSignIn(token));
    setBusy(false);
  };

  return (
    <div
      className="sign-in-backdrop"
      role="dialog"
      aria-modal="true"
      aria-labelledby="sign-in-title"
    >
      <form className="sign-in" onSubmit={submit} noValidate>
        <h1 id="sign-in-title">
          {expired ? 'Your session has expired' : 'Sign in to Staging Editor'}
        </h1>
        <p>
          {expired
            ? 'Sign in again to carry on. Your filters, sort and selection are kept.'
            : 'Open the one-time link printed by "staging-editor serve", or paste an access token (from "staging-editor token") below.'}
        </p>
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
