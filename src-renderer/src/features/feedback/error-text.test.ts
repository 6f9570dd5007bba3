import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-shared/errors';
import { plainErrorText } from './error-text';

describe('errors in plain sentences', () => {
  it('an unreachable server: why, then what did not happen, no brackets', () => {
    expect(
      plainErrorText(
        new AppError('unavailable', 'Cannot reach the Staging Editor server.'),
        'the change to Maybe',
      ),
    ).toBe('Cannot reach the Staging Editor server. The change to Maybe did not happen.');
  });

  it('a detail without a full stop still reads as a sentence', () => {
    expect(plainErrorText(new AppError('unavailable', 'the store is busy'), 'the undo')).toBe(
      'The store is busy. The undo did not happen.',
    );
  });
});
