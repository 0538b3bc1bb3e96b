// Extracts, from PortOne's OpenAPI document (the test fixture `@portone/server-sdk` 0.19.0 was
// generated from), the request schemas of the REST operations the sandbox serves: bodies, query
// parameters and the `requestBody` that list endpoints take in the query or the body. Run it to
// rewrite src/sandbox/schema/requests.generated.ts:
//   node --conditions=source --import tsx scripts/sandbox-schemas.ts
// test/sandbox/contract.test.ts fails when that file and the fixture disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Schema, SchemaSet } from '../src/sandbox/schema/validate.js';
import type { OperationRequest } from '../src/sandbox/schema/operation.js';

export const FIXTURE = fileURLToPath(new URL('../test/sandbox/fixtures/portone-openapi-0.19.0.json.gz', import.meta.url));
export const NEWER_FIXTURE = fileURLToPath(new URL('../test/sandbox/fixtures/portone-openapi-newer.json.gz', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../src/sandbox/schema/requests.generated.ts', import.meta.url));

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
  content?: { 'application/json'?: { schema: Schema } };
  'x-portone-query-or-body'?: { enabled: boolean; required: boolean };
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { content?: { 'application/json'?: { schema: Schema } } }>;
}

export interface OpenApi extends SchemaSet {
  paths: Record<string, Partial<Record<'get' | 'post' | 'delete' | 'put' | 'patch', Operation>>>;
  components: { schemas: Record<string, Schema & Record<string, unknown>> };
}

export function readOpenApi(path: string): OpenApi {
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as OpenApi;
}

/** `GET /payments/:id` → the document's path and operation (`/payments/{paymentId}`, `get`). */
export function operationFor(doc: OpenApi, routeKey: string): { path: string; method: 'get' | 'post' | 'delete'; operation: Operation } {
  const [verb, shape] = routeKey.split(' ') as [string, string];
  const method = verb.toLowerCase() as 'get' | 'post' | 'delete';
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.replace(/\{[^}]+\}/g, ':id') === shape && item[method]) return { path, method, operation: item[method]! };
  }
  throw new Error(`PortOne's OpenAPI has no operation ${routeKey}`);
}

/** Only what validation reads: titles, descriptions and `x-portone-*` notes dropped. */
function strip(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strip);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'title' || key === 'description' || key.startsWith('x-')) continue;
    out[key] = key === 'properties' || key === 'mapping' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strip(v)])) : strip(value);
  }
  return out;
}

function refsIn(schema: unknown, found: Set<string>): void {
  if (Array.isArray(schema)) return schema.forEach((s) => refsIn(s, found));
  if (schema === null || typeof schema !== 'object') return;
  for (const [key, value] of Object.entries(schema)) {
    if ((key === '$ref' && typeof value === 'string') || (typeof value === 'string' && value.startsWith('#/components/schemas/'))) {
      found.add(value.replace('#/components/schemas/', ''));
    } else refsIn(value, found);
  }
}

export function extractRequestSchemas(doc: OpenApi, routeKeys: readonly string[]): { operations: Record<string, OperationRequest>; schemas: Record<string, Schema> } {
  const operations: Record<string, OperationRequest> = {};
  const names = new Set<string>();
  for (const key of routeKeys) {
    const { operation } = operationFor(doc, key);
    const request: OperationRequest = { operationId: operation.operationId, query: {} };
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in !== 'query') continue;
      const listBody = parameter['x-portone-query-or-body'];
      if (listBody?.enabled) {
        request.queryOrBody = { schema: strip(parameter.content!['application/json']!.schema) as Schema, required: listBody.required };
        continue;
      }
      request.query[parameter.name] = { schema: strip(parameter.schema) as Schema, required: parameter.required === true };
    }
    if (operation.requestBody && !request.queryOrBody) {
      request.body = { schema: strip(operation.requestBody.content['application/json'].schema) as Schema, required: operation.requestBody.required === true };
    }
    operations[key] = request;
    refsIn(request, names);
  }
  // Everything the request schemas reach, transitively.
  const schemas: Record<string, Schema> = {};
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (schemas[name]) continue;
    const schema = doc.components.schemas[name];
    if (!schema) throw new Error(`PortOne's OpenAPI has no schema ${name}`);
    schemas[name] = strip(schema) as Schema;
    const more = new Set<string>();
    refsIn(schemas[name], more);
    for (const next of more) if (!schemas[next]) queue.push(next);
  }
  return { operations, schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) };
}

async function main(): Promise<void> {
  // From the route table alone: the server module checks every route has a schema, which a new route has not yet.
  const { REST_ROUTE_KEYS } = await import('../src/sandbox/http/routes.js');
  const extracted = extractRequestSchemas(readOpenApi(FIXTURE), REST_ROUTE_KEYS);
  const text = `// Generated by scripts/sandbox-schemas.ts from PortOne's OpenAPI document
// (test/sandbox/fixtures/portone-openapi-0.19.0.json.gz, portone-io/server-sdk f944c0a): the
// request schemas of the operations the sandbox serves. Do not edit; run the script.
import type { OperationRequest } from './operation.js';
import type { Schema } from './validate.js';

export const OPERATIONS: Readonly<Record<string, OperationRequest>> = ${JSON.stringify(extracted.operations, null, 2)};

export const SCHEMAS: Readonly<Record<string, Schema>> = ${JSON.stringify(extracted.schemas, null, 2)};
`;
  writeFileSync(OUTPUT, text);
  console.log(`${OUTPUT}: ${Object.keys(extracted.operations).length} operations, ${Object.keys(extracted.schemas).length} schemas, ${text.length} bytes`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
