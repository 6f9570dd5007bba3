import type { OperationName, OperationOutput, ParsedInput } from '../../src-shared/contract';

export interface HandlerContext {
  /** The token's `sub`; null only for operations without auth (health). */
  userId: string | null;
}

/** One handler per contract operation: the compiler rejects a missing or mistyped one. */
export type Handlers = {
  [N in OperationName]: (input: ParsedInput<N>, ctx: HandlerContext) => Promise<OperationOutput<N>>;
};
