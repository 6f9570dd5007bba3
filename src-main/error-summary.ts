/**
 * A short, safe description of an unexpected error for logs and the terminal: the driver's own
 * message and code, never Drizzle's "Failed query" text, which repeats every bound parameter.
 */
export function errorSummary(error: unknown): { message: string; code?: string } {
  let current: unknown = error;
  // Drizzle wraps driver errors; the innermost cause says what went wrong.
  while (
    current instanceof Error &&
    current.cause instanceof Error &&
    /^Failed query/.test(current.message)
  ) {
    current = current.cause;
  }
  const err = current as { message?: unknown; code?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(current);
  return {
    message: message.length > 500 ? `${message.slice(0, 500)}…` : message,
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
  };
}
