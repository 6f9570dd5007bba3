/** The one error format, the same object over IPC and HTTP. */
export const ERROR_TYPES = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_error: 422,
  payload_too_large: 413,
  bad_request: 400,
  unavailable: 503,
  internal_error: 500,
} as const;
export type ErrorType = keyof typeof ERROR_TYPES;

export interface ErrorIssue {
  /** Dotted path of the offending field, such as `status` or `place_ids.3`. */
  path: string;
  message: string;
}

export interface ErrorBody {
  status: 'error';
  type: ErrorType;
  detail: string;
  issues?: ErrorIssue[];
  /** With `unavailable`: try again after this many seconds (HTTP also sends `Retry-After`). */
  retry_after_seconds?: number;
}

export class AppError extends Error {
  readonly type: ErrorType;
  readonly detail: string;
  readonly issues?: ErrorIssue[];
  readonly retryAfterSeconds?: number;

  constructor(
    type: ErrorType,
    detail: string,
    issues?: ErrorIssue[],
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.type = type;
    this.detail = detail;
    if (issues) this.issues = issues;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get httpStatus(): number {
    return ERROR_TYPES[this.type];
  }

  toBody(): ErrorBody {
    return {
      status: 'error',
      type: this.type,
      detail: this.detail,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.retryAfterSeconds !== undefined
        ? { retry_after_seconds: this.retryAfterSeconds }
        : {}),
    };
  }

  static fromBody(body: ErrorBody): AppError {
    return new AppError(body.type, body.detail, body.issues, {
      ...(typeof body.retry_after_seconds === 'number'
        ? { retryAfterSeconds: body.retry_after_seconds }
        : {}),
    });
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { status?: unknown }).status === 'error' &&
    typeof (value as { type?: unknown }).type === 'string' &&
    (value as { type: string }).type in ERROR_TYPES &&
    typeof (value as { detail?: unknown }).detail === 'string'
  );
}
