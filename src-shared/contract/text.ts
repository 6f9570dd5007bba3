import { z } from 'zod';

/**
 * The one rule for every id and free-text input. PostgreSQL text can't hold U+0000 (it fails the
 * whole statement), so a NUL is refused at the boundary, naming the field, on both stores alike.
 */
export const NUL_MESSAGE = 'must not contain NUL characters (\\u0000)';

export function containsNul(text: string): boolean {
  return text.includes('\u0000');
}

/** An identifier: a non-empty string of at most `max` characters, without NUL. */
export function idSchema(max = 255, typeMessage = 'must be a string') {
  return z
    .string({ error: typeMessage })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !containsNul(s), NUL_MESSAGE);
}

/** Free text (a search): at most `max` characters, without NUL; may be empty. */
export function freeTextSchema(max: number) {
  return z
    .string({ error: 'must be a string' })
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !containsNul(s), NUL_MESSAGE);
}
