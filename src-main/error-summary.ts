/** Drizzle wraps driver errors; the innermost cause says what went wrong. */
function innermost(error: unknown): unknown {
  let current: unknown = error;
  while (
    current instanceof Error &&
    current.cause instanceof Error &&
    /^Failed query/.test(current.message)
  ) {
    current = current.cause;
  }
  return current;
}

/**
 * A short, safe description of an unexpected error for logs and the terminal: the driver's own
 * message and code, never Drizzle's "Failed query" text, which repeats every bound parameter.
 */
export function errorSummary(error: unknown): { message: string; code?: string } {
  const err = innermost(error) as { message?: unknown; code?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(err);
  return {
    message: message.length > 500 ? `${message.slice(0, 500)}…` : message,
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
  };
}

/** Stack frames kept in a log line: where it happened, not the whole of node_modules. */
const MAX_STACK_FRAMES = 15;

/**
 * Where an unexpected error came from, for the log only: the frames of the same error
 * `errorSummary` describes (its message is already in the summary), or undefined.
 */
export function errorStack(error: unknown): string | undefined {
  const err = innermost(error);
  if (!(err instanceof Error) || typeof err.stack !== 'string') return undefined;
  const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length ? frames.slice(0, MAX_STACK_FRAMES).join('\n') : undefined;
}
