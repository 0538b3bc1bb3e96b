// PortOne's REST error bodies: `{ type, message, ...extra }` with the status code the OpenAPI
// schema assigns to each `type` (reference §1.2/§1.4). The server SDK turns them into typed errors.

/** Every error `type` the sandbox answers with, and its HTTP status. */
export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_PAYMENT_TOKEN: 400,
  MAX_WEBHOOK_RETRY_COUNT_REACHED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYMENT_NOT_FOUND: 404,
  BILLING_KEY_NOT_FOUND: 404,
  BILLING_KEY_NOT_ISSUED: 404,
  CHANNEL_NOT_FOUND: 404,
  PAYMENT_SCHEDULE_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  IDENTITY_VERIFICATION_NOT_FOUND: 404,
  ALREADY_PAID: 409,
  ALREADY_PAID_OR_WAITING: 409,
  BILLING_KEY_ALREADY_DELETED: 409,
  BILLING_KEY_ALREADY_ISSUED: 409,
  INFORMATION_MISMATCH: 409,
  PAYMENT_NOT_PAID: 409,
  PAYMENT_ALREADY_CANCELLED: 409,
  PAYMENT_NOT_WAITING_FOR_DEPOSIT: 409,
  PAYMENT_SCHEDULE_ALREADY_EXISTS: 409,
  PAYMENT_SCHEDULE_ALREADY_PROCESSED: 409,
  PAYMENT_SCHEDULE_ALREADY_REVOKED: 409,
  CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN: 409,
  CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT: 409,
  CANCEL_TAX_AMOUNT_EXCEEDS_CANCELLABLE_TAX_AMOUNT: 409,
  CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT: 409,
  SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT: 409,
  SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT: 409,
  PG_PROVIDER: 502,
} as const;

export type ApiErrorType = keyof typeof ERROR_STATUS;

/** A REST failure: `status` and `body()` are exactly what goes on the wire. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: ApiErrorType,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[type];
  }

  body(): { type: ApiErrorType; message: string } & Record<string, unknown> {
    return { type: this.type, message: this.message, ...this.extra };
  }
}

/** `PG_PROVIDER` (502) carries the PG's own code and message, as KG Inicis reports them. */
export function pgProviderError(pgCode: string, pgMessage: string): ApiError {
  return new ApiError('PG_PROVIDER', `[${pgCode}] ${pgMessage}`, { pgCode, pgMessage });
}

const USAGE = Symbol('portone-sandbox usage error');

/**
 * Marks an error thrown because a sandbox control or helper was called wrongly (a bad argument, a
 * payment in the wrong state): its class and message stay as the JavaScript API documents them,
 * and the HTTP controls answer it 400 instead of taking it for a sandbox failure.
 */
export function usageError<E extends Error>(error: E): E {
  Object.defineProperty(error, USAGE, { value: true });
  return error;
}

export const isUsageError = (error: unknown): error is Error => error instanceof Error && USAGE in error;
