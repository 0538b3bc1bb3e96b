// What a REST handler receives, how it reads a list endpoint's `requestBody`, and how input
// failures become 400 INVALID_REQUEST.
import type { Auth } from '../auth.js';
import type { SandboxCore } from '../core/core.js';
import { ApiError } from '../errors.js';
import * as input from '../input.js';

export interface RestContext {
  core: SandboxCore;
  auth: Auth;
  /** Decoded path parameters, in order. */
  params: string[];
  query: URLSearchParams;
  /** The parsed JSON body (POST), `{}` when empty. */
  body: input.Json;
}

/** A pre-serialized JSON answer (the hot path sends cached text). */
export class RawJson {
  constructor(readonly text: string | Buffer) {}
}

export type Handler = (ctx: RestContext) => unknown;

/** The JSON in a list endpoint's `requestBody` query parameter (`{}` when absent). */
export function requestBody(ctx: RestContext): input.Json {
  const text = ctx.query.get('requestBody');
  if (text === null || text === '') return {};
  return input.object(input.parseJson(text, 'the `requestBody` query parameter'), 'requestBody');
}

/** Runs input readers, turning their failures into 400 INVALID_REQUEST. */
export function read<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof input.InputError) throw new ApiError('INVALID_REQUEST', error.message);
    throw error;
  }
}
