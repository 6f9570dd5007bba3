import type { SecretEncryptor } from './settings-file';

/** Reversible, and visibly not the plain text. */
export const fakeEncryptor: SecretEncryptor = {
  encrypt: async (plain) => Buffer.from(`enc:${plain}`).toString('base64'),
  decrypt: async (encrypted) => {
    const text = Buffer.from(encrypted, 'base64').toString();
    if (!text.startsWith('enc:')) throw new Error('bad');
    return text.slice(4);
  },
};
