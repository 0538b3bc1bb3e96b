// Readers for untrusted JSON that fail with a message naming the field, what was expected and
// what arrived. REST handlers turn an InputError into 400 INVALID_REQUEST, the checkout server
// into the browser SDK's `BadRequest`.

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A short, safe rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `an ${typeof value}`;
}

const fail = (field: string, expected: string, got: unknown): never => {
  throw new InputError(`\`${field}\`: expected ${expected}, got ${describe(got)}`);
};

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, field: string): Json {
  return isObject(value) ? value : fail(field, 'an object', value);
}

export function optObject(value: unknown, field: string): Json | undefined {
  return value === undefined || value === null ? undefined : object(value, field);
}

export function string(value: unknown, field: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fail(field, 'a non-empty string', value);
}

export function optString(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : string(value, field);
}

export function integer(value: unknown, field: string, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const kind = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : 'an integer';
    return fail(field, max < Number.MAX_SAFE_INTEGER ? `${kind} up to ${max}` : kind, value);
  }
  return value;
}

export function optInteger(value: unknown, field: string, options?: { min?: number; max?: number }): number | undefined {
  return value === undefined || value === null ? undefined : integer(value, field, options);
}

export function optBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'boolean' ? value : fail(field, 'true or false', value);
}

export function oneOf<const T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fail(field, `one of ${allowed.join(', ')}`, value);
}

export function optOneOf<const T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
  return value === undefined || value === null ? undefined : oneOf(value, field, allowed);
}

export function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) return fail(field, 'an array of strings', value);
  value.forEach((item, i) => string(item, `${field}[${i}]`));
  return value as string[];
}

export function optStringArray(value: unknown, field: string): string[] | undefined {
  return value === undefined || value === null ? undefined : stringArray(value, field);
}

/** The last moment the sandbox represents (RFC 3339 has four-digit years): its clock and deadlines stop there. */
export const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/** A virtual account's `validHours` is at most a century (any more would pass the last representable date). */
export const MAX_VALID_HOURS = 24 * 365 * 100;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date-time, returned as ms since epoch. PortOne rejects `2023-01-01 00:00:00`. */
export function dateTime(value: unknown, field: string): number {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    return fail(field, 'an RFC 3339 date-time such as 2024-04-25T10:00:00+09:00', value);
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? fail(field, 'a valid date-time', value) : ms;
}

export function optDateTime(value: unknown, field: string): number | undefined {
  return value === undefined || value === null ? undefined : dateTime(value, field);
}

export function httpUrl(value: unknown, field: string): string {
  const text = string(value, field);
  if (!/^https?:\/\//i.test(text)) return fail(field, 'an http:// or https:// URL', value);
  try {
    new URL(text);
  } catch {
    return fail(field, 'a valid URL', value);
  }
  return text;
}

export function optHttpUrls(value: unknown, field: string): string[] | undefined {
  const urls = optStringArray(value, field);
  urls?.forEach((url, i) => httpUrl(url, `${field}[${i}]`));
  return urls;
}

/** JSON text from a request body or a `requestBody` query parameter. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${where} is not valid JSON (${(error as Error).message})`);
  }
}
