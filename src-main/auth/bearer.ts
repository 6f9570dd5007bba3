/**
 * The token from an `Authorization: Bearer <token>` header (the scheme is case-insensitive),
 * or undefined for a missing header, another scheme, or a header with no single token.
 */
export function bearerToken(authorizationHeader: string | undefined): string | undefined {
  if (typeof authorizationHeader !== 'string') return undefined;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(authorizationHeader.trim());
  return match?.[1];
}
