import type { AppError } from '../../../../src-shared/errors';

/**
 * An error as plain sentences a reviewer can act on: what went wrong, then what did not happen
 * (`doing` is a phrase such as "the change to Maybe").
 */
export function plainErrorText(error: AppError, doing: string): string {
  switch (error.type) {
    case 'unauthorized':
      return `Your session has expired, so ${doing} did not happen. Sign in again, then retry.`;
    case 'unavailable':
      return `${asSentence(error.detail)} ${capitalise(doing)} did not happen.`;
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

function capitalise(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** Text as a sentence: capitalised, ending with a full stop (a server's detail may lack one). */
export function asSentence(detail: string): string {
  const text = capitalise(detail.trim());
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
