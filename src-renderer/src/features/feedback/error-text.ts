import type { AppError } from '../../../../src-shared/errors';

/** An error as a sentence a reviewer can act on. */
export function plainErrorText(error: AppError, doing: string): string {
  switch (error.type) {
    case 'unauthorized':
      return `Your session has expired, so ${doing} did not happen. Sign in again, then retry.`;
    case 'unavailable':
      return `${error.detail} (${doing} did not happen.)`;
    case 'validation_error':
    case 'bad_request':
    case 'payload_too_large': {
      const issues = error.issues?.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return `The server refused ${doing}: ${error.detail}${issues ? ` (${issues})` : ''}`;
    }
    default:
      return `Could not finish ${doing}: ${error.detail}`;
  }
}
