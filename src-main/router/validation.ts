import type { z } from 'zod';
import { AppError, type ErrorIssue } from '../../src-shared/errors';

/** A zod failure -> 422 naming each field and what it must be. */
export function validationError(error: z.ZodError): AppError {
  const issues: ErrorIssue[] = error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
  const first = issues[0]!;
  const more =
    issues.length > 1
      ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})`
      : '';
  const subject = first.path === '(body)' ? 'The request' : `"${first.path}"`;
  return new AppError(
    'validation_error',
    `Invalid request: ${subject} ${first.message}${more}.`,
    issues,
  );
}
