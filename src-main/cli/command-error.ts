/** A command failed for a reason the user can act on: printed as is (one sentence, no stack). */
export class CommandError extends Error {
  override name = 'CommandError';
}
