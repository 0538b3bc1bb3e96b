// Every REST request checked against PortOne's own request schemas (extracted from its OpenAPI
// document into requests.generated.ts) before a handler reads it: types, formats, enums and
// required fields are refused exactly where the schema refuses them, also for fields the sandbox
// otherwise ignores. Handlers add what the schema cannot say (KG Inicis's rules, state).
import type { OperationRequest } from './operation.js';
import { OPERATIONS, SCHEMAS } from './requests.generated.js';
import { validate, type Schema, type SchemaSet } from './validate.js';

const SET: SchemaSet = { components: { schemas: SCHEMAS } };

export function operationRequest(routeKey: string): OperationRequest | undefined {
  return Object.hasOwn(OPERATIONS, routeKey) ? OPERATIONS[routeKey] : undefined;
}

/** Problems of a query parameter's text against its schema (all are strings or enums). */
export function checkQuery(request: OperationRequest, query: URLSearchParams): string[] {
  const problems: string[] = [];
  for (const [name, { schema, required }] of Object.entries(request.query)) {
    const value = query.get(name);
    if (value === null) {
      if (required) problems.push(`\`${name}\`: expected a query parameter, got nothing`);
      continue;
    }
    problems.push(...validate(SET, schema, value, name));
  }
  return problems;
}

/** Problems of a JSON body (or a list endpoint's `requestBody`) against the operation's schema. */
export function checkBody(schema: Schema, value: unknown, path = ''): string[] {
  return validate(SET, schema, value, path, { nullAsAbsent: true });
}

export type { OperationRequest };
