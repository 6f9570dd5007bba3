import { describe, expect, it } from 'vitest';
import { createTokenStore, tokenFromHash } from './token-store';

describe('browser sign-in token', () => {
  it('the one-time link carries the token in the hash', () => {
    expect(tokenFromHash('#token=eyJ.abc.def')).toBe('eyJ.abc.def');
    expect(tokenFromHash('#other=1&token=t')).toBe('t');
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
  });

  it('the store keeps the token and tells listeners', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    const store = createTokenStore(storage);
    let calls = 0;
    store.subscribe(() => calls++);
    store.set('abc');
    expect(store.get()).toBe('abc');
    store.set(null);
    expect(store.get()).toBeNull();
    expect(calls).toBe(2);
  });
});
