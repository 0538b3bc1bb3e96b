// What PortOne's OpenAPI document says one REST operation's request holds, as the sandbox checks it.
import type { Schema } from './validate.js';

export interface OperationRequest {
  operationId: string;
  /** The JSON body (POST). */
  body?: { schema: Schema; required: boolean };
  /** List endpoints' JSON, taken from the `requestBody` query parameter or else from the body. */
  queryOrBody?: { schema: Schema; required: boolean };
  /** Plain query parameters (`storeId`, `reason`, …). */
  query: Record<string, { schema: Schema; required: boolean }>;
}
