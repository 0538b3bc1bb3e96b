// What every HTTP surface of the sandbox shares: writing answers, reading bounded JSON bodies,
// decoding path segments once and safely, and the security headers of the HTML pages it serves.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors.js';
import * as input from '../input.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeper JSON is refused before anything walks it (Jackson, PortOne's JSON library, also stops at 1,000). */
export const MAX_JSON_DEPTH = 1000;
export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
export const JS_TYPE = 'text/javascript; charset=utf-8';

export const noop = (): void => {};

export function send(res: ServerResponse, status: number, text: string | Buffer, type = JSON_TYPE, extra?: Record<string, string>): void {
  res.writeHead(status, { 'content-type': type, 'content-length': typeof text === 'string' ? Buffer.byteLength(text) : text.length, ...extra });
  res.end(text);
}

export const sendError = (res: ServerResponse, error: ApiError, extra?: Record<string, string>): void =>
  send(res, error.status, JSON.stringify(error.body()), JSON_TYPE, extra);

/**
 * One path segment, percent-decoded; `undefined` for a malformed encoding (`%E0%A4%A`, `%zz`), so
 * every surface answers that with its own 400 instead of a thrown `URIError`.
 */
export function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // An oversized body is read to its end (so the client gets the answer) but not kept.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new input.InputError(`The request body exceeds ${MAX_BODY_BYTES} bytes (got ${size}).`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** How deeply `text` (JSON) nests arrays and objects, counted without parsing (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** JSON text parsed with the depth bound; failures are `InputError`s naming `where`. */
export function parseBoundedJson(text: string, where: string): unknown {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new input.InputError(`${where} nests ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`);
  return input.parseJson(text, where);
}

/**
 * The body's JSON whatever the content type (the server SDK sends text/plain); `undefined` when
 * empty. `sent.text` keeps the text as it arrived (for `onRestExchange`).
 */
export async function readJson(req: IncomingMessage, sent?: { text?: string }): Promise<unknown> {
  const text = await readBody(req);
  if (sent && text !== '') sent.text = text;
  return text.trim() === '' ? undefined : parseBoundedJson(text, 'The request body');
}

/**
 * The body as a JSON object, `{}` when empty. Failures are `InputError`s, which each surface
 * answers in its own shape.
 */
export async function jsonBody(req: IncomingMessage): Promise<input.Json> {
  const parsed = await readJson(req);
  if (parsed === undefined) return {};
  if (!input.isObject(parsed)) throw new input.InputError(`The request body must be a JSON object, got ${input.describe(parsed)}.`);
  return parsed;
}

/** A fresh CSP nonce for one HTML answer. */
export const newNonce = (): string => randomBytes(16).toString('base64');

export interface PagePolicy {
  /** Inline `<script>` and `<style>` elements carry this nonce; nothing else inline runs. */
  nonce?: string;
  /** Scripts the page loads from the sandbox itself (`'self'`), besides nonced inline ones. */
  selfScripts?: boolean;
  /** Images from anywhere (the shop's logos in the payment window), besides the sandbox's own. */
  anyImages?: boolean;
  /** `frame-ancestors` sources: `'none'` for pages nobody should frame. */
  frameAncestors: string;
}

/**
 * Headers of every HTML page: a Content-Security-Policy without 'unsafe-inline' (inline code runs
 * only with the answer's nonce), nosniff, no referrer (window URLs carry transaction ids), and
 * who may frame the page.
 */
export function pageHeaders(policy: PagePolicy): Record<string, string> {
  const nonce = policy.nonce ? `'nonce-${policy.nonce}'` : '';
  const scripts = [policy.selfScripts ? "'self'" : '', nonce].filter(Boolean).join(' ') || "'none'";
  const csp = [
    "default-src 'none'",
    `script-src ${scripts}`,
    `style-src ${nonce || "'none'"}`,
    `img-src 'self' data:${policy.anyImages ? ' https: http:' : ''}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${policy.frameAncestors}`,
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(policy.frameAncestors === "'none'" ? { 'x-frame-options': 'DENY' } : {}),
    'cache-control': 'no-store',
  };
}

/** `frame-ancestors` for a payment window opened from `origin` (the shop page's): only that page, or anyone when unknown. */
export function windowFrameAncestors(origin: string | undefined): string {
  return origin ? `'self' ${origin}` : '*';
}
