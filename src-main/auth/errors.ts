import { errors } from 'jose';
import { AppError } from '../../src-shared/errors';
import { JwksUnavailableError } from './jwks-cache';

/** Plain sentences only: never the token, a claim value or a key. */
const CLAIM_SENTENCES: Record<string, string> = {
  'exp:missing': 'The token has no expiry time (exp).',
  'sub:missing': 'The token names no user (sub).',
  'nbf:check_failed': 'The token is not valid yet.',
  'iss:missing': 'The token names no issuer (iss).',
  'iss:check_failed': 'The token was issued by an unexpected issuer.',
  'aud:missing': 'The token names no audience (aud).',
  'aud:check_failed': 'The token is meant for another audience.',
};
const KNOWN_CLAIMS = new Set(['exp', 'nbf', 'iat', 'iss', 'aud', 'sub', 'jti']);

export function unauthorized(detail: string): AppError {
  return new AppError('unauthorized', detail);
}

/** Any failure while verifying, as the one structured error the transports send back. */
export function toAuthError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof JwksUnavailableError) {
    return new AppError(
      'unavailable',
      "The identity provider's keys could not be fetched; try again when it can be reached.",
    );
  }
  if (error instanceof errors.JWTExpired) return unauthorized('The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const sentence = CLAIM_SENTENCES[`${error.claim}:${error.reason}`];
    if (sentence) return unauthorized(sentence);
    const claim = KNOWN_CLAIMS.has(error.claim) ? ` (${error.claim})` : '';
    return unauthorized(`The token has an invalid claim${claim}.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthorized("The token's signature is invalid.");
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return unauthorized("The token's signing algorithm is not accepted.");
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthorized('The token was signed with an unknown key.');
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return unauthorized("The token's signing key is ambiguous (no matching kid).");
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) {
    return unauthorized('The token is malformed.');
  }
  return unauthorized('The token could not be verified.');
}
