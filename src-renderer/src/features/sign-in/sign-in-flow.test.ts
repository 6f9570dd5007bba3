import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-shared/errors';
import { toAppError } from '../../api/client';
import { desktopTokenSetter, signInFailureSentence } from '../../api/ipc-transport';
import { createTokenStore } from '../../api/token-store';
import {
  forgetRefusedToken,
  NO_TOKEN_SENTENCE,
  REFUSED_TOKEN_SENTENCE,
  signInCopy,
  signInTargetFor,
  submitToken,
  type SignInTarget,
} from './sign-in-flow';

function memoryTokens() {
  const data = new Map<string, string>();
  return createTokenStore({
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  });
}

/** A preload bridge's setToken as main answers it: resolves, or rejects with one sentence. */
function fakeBridge(refuse?: string) {
  const calls: string[] = [];
  return {
    calls,
    bridge: {
      setToken: async (token: string) => {
        calls.push(token);
        if (refuse) throw new Error(refuse);
      },
    },
  };
}

const accepted = async () => {};
const refused = async () => {
  throw new AppError('unauthorized', 'The token has expired.');
};

describe('where a pasted token goes', () => {
  it('browser mode: the token store', () => {
    const tokens = memoryTokens();
    expect(signInTargetFor(tokens, fakeBridge().bridge)).toEqual({ mode: 'browser', tokens });
  });

  it('the desktop app: the preload bridge', () => {
    expect(signInTargetFor(null, fakeBridge().bridge)?.mode).toBe('desktop');
  });

  it('nowhere when the preload has no setToken', () => {
    expect(signInTargetFor(null, {})).toBeNull();
    expect(signInTargetFor(null, undefined)).toBeNull();
  });
});

describe('signing in with a pasted token', () => {
  it('browser mode stores the trimmed token, then checks it', async () => {
    const tokens = memoryTokens();
    let seen: string | null = null;
    const error = await submitToken(
      { mode: 'browser', tokens },
      '  eyJ.a.b \n',
      async () => void (seen = tokens.get()),
      toAppError,
    );
    expect(error).toBeNull();
    expect(seen).toBe('eyJ.a.b');
  });

  it('the desktop app hands the trimmed token to main and never stores it itself', async () => {
    const { bridge, calls } = fakeBridge();
    const target = signInTargetFor(null, bridge);
    expect(await submitToken(target, ' eyJ.a.b ', accepted, toAppError)).toBeNull();
    expect(calls).toEqual(['eyJ.a.b']);
  });

  it("shows main's one sentence when it refuses the token, and checks nothing", async () => {
    const { bridge } = fakeBridge('The token could not be saved: this computer has no keyring.');
    let checked = false;
    const error = await submitToken(
      signInTargetFor(null, bridge),
      'eyJ.a.b',
      async () => void (checked = true),
      toAppError,
    );
    expect(error).toBe('The token could not be saved: this computer has no keyring.');
    expect(checked).toBe(false);
  });

  it('a token the server refuses: a plain sentence, and main forgets it', async () => {
    const { bridge, calls } = fakeBridge();
    const error = await submitToken(signInTargetFor(null, bridge), 'eyJ.a.b', refused, toAppError);
    expect(error).toBe(REFUSED_TOKEN_SENTENCE);
    expect(calls).toEqual(['eyJ.a.b', '']);
  });

  it('any other failure of the check says what it was', async () => {
    const error = await submitToken(
      { mode: 'browser', tokens: memoryTokens() },
      'eyJ.a.b',
      async () => {
        throw new AppError('unavailable', 'Cannot reach the Staging Editor server.');
      },
      toAppError,
    );
    expect(error).toBe('Could not check the token: Cannot reach the Staging Editor server.');
  });

  it('an empty paste asks for a token; no target says so', async () => {
    const target: SignInTarget = { mode: 'browser', tokens: memoryTokens() };
    expect(await submitToken(target, '   ', accepted, toAppError)).toBe(NO_TOKEN_SENTENCE);
    expect(await submitToken(null, 'eyJ.a.b', accepted, toAppError)).toMatch(/cannot sign in/);
  });
});

describe('a refused session', () => {
  it('browser mode forgets the stored token; the desktop app leaves main alone', () => {
    const tokens = memoryTokens();
    tokens.set('old');
    forgetRefusedToken({ mode: 'browser', tokens });
    expect(tokens.get()).toBeNull();

    const { bridge, calls } = fakeBridge();
    forgetRefusedToken(signInTargetFor(null, bridge));
    expect(calls).toEqual([]);
  });
});

describe("main's refusal as one sentence", () => {
  it("keeps setToken's message", () => {
    expect(signInFailureSentence(new Error('That is not a JWT.'))).toBe('That is not a JWT.');
  });

  it("drops Electron's remote-method prefix", () => {
    expect(
      signInFailureSentence(
        new Error(
          "Error invoking remote method 'staging-editor:set-token': Error: No keyring is available.",
        ),
      ),
    ).toBe('No keyring is available.');
  });

  it('never answers a blank', () => {
    expect(signInFailureSentence(new Error(''))).toMatch(/could not save the token/);
    expect(signInFailureSentence({})).toMatch(/could not save the token/);
  });

  it('the setter rejects with that sentence', async () => {
    const setter = desktopTokenSetter({
      setToken: () =>
        Promise.reject(new Error("Error invoking remote method 'x': Error: Not signed in.")),
    });
    await expect(setter?.('t')).rejects.toThrow(/^Not signed in\.$/);
  });
});

describe('the words on the sign-in screen', () => {
  it('browser mode: first visit and expired session differ', () => {
    expect(signInCopy('browser', false).heading).toBe('Sign in to Staging Editor');
    expect(signInCopy('browser', false).explanation).toMatch(/staging-editor serve/);
    expect(signInCopy('browser', true).heading).toBe('Your session has expired');
  });

  it('the desktop app never mentions serve or links', () => {
    for (const expired of [false, true]) {
      const copy = signInCopy('desktop', expired);
      expect(copy.heading).toBe('Sign in to Staging Editor');
      expect(copy.explanation).not.toMatch(/serve|link/);
      expect(copy.explanation).toMatch(/filters, sort and selection are kept/);
    }
  });
});
