/** How tokens are checked, from the settings (see `authModeOf`). */
export type AuthMode = 'hs256' | 'public-key' | 'jwks' | 'local';

/** What the router passes down to services: the token's `sub`, nothing else. */
export interface VerifiedUser {
  userId: string;
}

/** A verified token's user and when the token expires, for what outlives one request. */
export interface VerifiedToken extends VerifiedUser {
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
}

export interface TokenVerifier {
  readonly mode: AuthMode;
  /**
   * The user the token names. Throws AppError('unauthorized', <plain sentence>) for a missing,
   * malformed, expired, not-yet-valid, badly signed or otherwise unacceptable token, and
   * AppError('unavailable', ...) when the identity provider's keys can't be had at all.
   */
  verify(token: string | undefined): Promise<VerifiedUser>;
  /** The same checks as `verify`, also giving the token's expiry (the event stream ends then). */
  verifyWithExpiry(token: string | undefined): Promise<VerifiedToken>;
}
