// Holds the sandbox to PortOne's own OpenAPI document (the fixture `@portone/server-sdk` 0.19.0 was
// generated from): every REST exchange a test makes is checked — a request the sandbox accepted
// must be one the schema allows, every 200 body must fit the operation's response schema, and every
// error must be a `type` the operation declares, with the status the schema gives that type.
import { FIXTURE, operationFor, readOpenApi, type OpenApi } from '../../scripts/sandbox-schemas.js';
import { resolve, validate, type Schema } from '../../src/sandbox/schema/validate.js';
import type { SandboxRestExchange } from '../../src/sandbox/index.js';

let cached: OpenApi | undefined;
export const openApi = (): OpenApi => (cached ??= readOpenApi(FIXTURE));

const jsonSchema = (content: { 'application/json'?: { schema: Schema } } | undefined) => content?.['application/json']?.schema;

/** Problems of the request part of an exchange (query parameters and JSON) against the document. */
export function requestProblems(doc: OpenApi, route: string, url: string, requestBody: string | undefined): string[] {
  const { operation } = operationFor(doc, route);
  const query = new URL(url, 'http://sandbox').searchParams;
  const problems: string[] = [];
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== 'query') continue;
    const listBody = parameter['x-portone-query-or-body'];
    if (listBody?.enabled) continue;
    const value = query.get(parameter.name);
    if (value === null) {
      if (parameter.required) problems.push(`query ${parameter.name} is required`);
    } else problems.push(...validate(doc, parameter.schema!, value, parameter.name));
  }
  const bodySchema = jsonSchema(operation.requestBody?.content) ?? jsonSchema(operation.parameters?.find((p) => p['x-portone-query-or-body']?.enabled)?.content);
  if (bodySchema && requestBody !== undefined && requestBody.trim() !== '') {
    let json: unknown;
    try {
      json = JSON.parse(requestBody);
    } catch {
      return [...problems, 'the request body is not JSON'];
    }
    problems.push(...validate(doc, bodySchema, json, '', { nullAsAbsent: true }));
  } else if (operation.requestBody?.required && (requestBody === undefined || requestBody.trim() === '')) {
    problems.push('the request body is required');
  }
  return problems;
}

/** Problems of the answer of an exchange: a 200 body against the response schema, an error against the declared error types. */
export function responseProblems(doc: OpenApi, route: string, status: number, responseBody: string): string[] {
  const { operation } = operationFor(doc, route);
  const declared = operation.responses[String(status)];
  if (!declared) return [`status ${status} is not among ${route}'s responses (${Object.keys(operation.responses).join(', ')})`];
  const schema = jsonSchema(declared.content);
  if (!schema) return [];
  let json: unknown;
  try {
    json = JSON.parse(responseBody);
  } catch {
    return [`the ${status} body is not JSON: ${responseBody.slice(0, 120)}`];
  }
  if (status >= 400) {
    const union = resolve(doc, schema);
    const type = (json as { type?: unknown }).type;
    const mapping = union.discriminator?.mapping ?? {};
    if (typeof type !== 'string' || !Object.hasOwn(mapping, type)) return [`error type ${JSON.stringify(type)} is not one ${route} declares (${Object.keys(mapping).join(', ')})`];
    const declaredStatus = (resolve(doc, { $ref: mapping[type]! }) as Schema & { 'x-portone-status-code'?: number })['x-portone-status-code'];
    if (declaredStatus !== status) return [`error type ${type} comes with status ${declaredStatus}, not ${status}`];
  }
  return validate(doc, schema, json, '', { limit: 10 });
}

/** One exchange checked whole; what is wrong with it, each line naming the call. */
export function exchangeProblems(exchange: SandboxRestExchange, doc = openApi()): string[] {
  // Injected faults stand for failures outside PortOne's API (a gateway, the network).
  if (exchange.fault) return [];
  const call = `${exchange.method} ${exchange.url.slice(0, 120)} → ${exchange.status}`;
  if (exchange.status >= 500 && exchange.contentType?.startsWith('text/plain')) return [`${call}: the sandbox failed: ${exchange.responseBody}`];
  const problems: string[] = [];
  const request = requestProblems(doc, exchange.route, exchange.url, exchange.requestBody);
  // PortOne refuses what its schema refuses: an invalid request is never accepted (401 may come first).
  if (request.length > 0 && exchange.status !== 400 && exchange.status !== 401) problems.push(`accepted a request the schema refuses (${request.slice(0, 3).join('; ')})`);
  problems.push(...responseProblems(doc, exchange.route, exchange.status, exchange.responseBody ?? ''));
  return problems.map((p) => `${call}: ${p}`);
}

/** Collects exchanges' problems for a test's sandbox; `problems()` lists them at the end. */
export function contractRecorder(): { onRestExchange: (exchange: SandboxRestExchange) => void; problems: () => string[]; count: () => number } {
  const found: string[] = [];
  let seen = 0;
  return {
    onRestExchange(exchange) {
      seen++;
      found.push(...exchangeProblems(exchange));
    },
    problems: () => [...found],
    count: () => seen,
  };
}
