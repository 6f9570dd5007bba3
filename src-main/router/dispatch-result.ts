import type { OperationName, OperationOutput } from '../../src-shared/contract';
import type { ErrorBody } from '../../src-shared/errors';

/** What every transport gets back from the dispatcher: a value or the one error format. */
export type DispatchResult<N extends OperationName = OperationName> =
  { ok: true; value: OperationOutput<N> } | { ok: false; error: ErrorBody };
