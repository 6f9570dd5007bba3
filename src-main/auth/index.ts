/** The JWT boundary: the router verifies tokens here and passes only the user id on. */
export type { AuthMode, TokenVerifier, VerifiedToken, VerifiedUser } from './types';
export { createTokenVerifier } from './verifier';
export { issueLocalToken } from './local-token';
export { parseTtl } from './ttl';
export { bearerToken } from './bearer';
