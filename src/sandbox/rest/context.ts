// What a REST handler receives, and how input failures become 400 INVALID_REQUEST.
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
  /** The JSON body (POST) or a list endpoint's `requestBody`, checked against PortOne's schema; `{}` when absent. */
  body: input.Json;
}

/** A pre-serialized JSON answer (the hot path sends cached text). */
export class RawJson {
  constructor(readonly text: string | Buffer) {}
}

export type Handler = (ctx: RestContext) => unknown;

/** Runs input readers, turning their failures into 400 INVALID_REQUEST. */
export function read<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof input.InputError) throw new ApiError('INVALID_REQUEST', error.message);
    throw error;
  }
}
