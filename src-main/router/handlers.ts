import type {
  OperationName,
  OperationOutput,
  ParsedInput,
  SettingsOperationName,
} from '../../src-shared/contract';

export interface HandlerContext {
  /** The token's `sub`; null only for operations without auth (health). */
  userId: string | null;
}

/**
 * One handler per contract operation: the compiler rejects a missing or mistyped one. The
 * settings operations are answered beside the backend (src-main/settings/service.ts).
 */
export type Handlers = {
  [N in Exclude<OperationName, SettingsOperationName>]: (
    input: ParsedInput<N>,
    ctx: HandlerContext,
  ) => Promise<OperationOutput<N>>;
};
