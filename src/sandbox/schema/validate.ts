// A validator for the part of JSON Schema that PortOne's OpenAPI 3.0 document uses (`type`,
// `format`, `enum`, `properties`, `required`, `items`, `additionalProperties`, `oneOf` with a
// `discriminator`, `$ref` into `#/components/schemas`). It reports each problem as
// "`path`: expected …, got …". The sandbox checks requests with it; the tests check answers.
import { describe } from '../input.js';

export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  enum?: readonly string[];
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  oneOf?: readonly Schema[];
  discriminator?: { propertyName: string; mapping?: Readonly<Record<string, string>> };
}

/** Where `$ref`s point: `#/components/schemas/<name>`. */
export interface SchemaSet {
  components: { schemas: Readonly<Record<string, Schema>> };
}

export interface ValidateOptions {
  /**
   * Read `null` as absent for properties that are not required, as PortOne's JSON library does
   * for optional fields (requests); answers are checked with `false`, since the sandbox never
   * sends `null`.
   */
  nullAsAbsent?: boolean;
  /** Stop after this many problems. Default 20. */
  limit?: number;
}

const INT32 = 2 ** 31;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function resolve(set: SchemaSet, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref)?.[1];
    const target = name !== undefined && Object.hasOwn(set.components.schemas, name) ? set.components.schemas[name] : undefined;
    if (!target || hops > 50) throw new Error(`schema: cannot resolve ${current.$ref}`);
    current = target;
  }
  return current;
}

const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function typeName(schema: Schema): string {
  if (schema.enum) return `one of ${schema.enum.length > 12 ? `${schema.enum.slice(0, 12).join(', ')}, … (${schema.enum.length} values)` : schema.enum.join(', ')}`;
  switch (schema.type) {
    case 'integer': return `an integer${schema.format ? ` (${schema.format})` : ''}`;
    case 'number': return 'a number';
    case 'string': return schema.format === 'date-time' ? 'an RFC 3339 date-time such as 2024-04-25T10:00:00+09:00' : schema.format === 'date' ? 'a date such as 2024-04-25' : 'a string';
    case 'boolean': return 'true or false';
    case 'array': return 'an array';
    default: return 'an object';
  }
}

/** Every problem of `value` against `schema` (at most `limit`), as "`path`: expected …, got …". */
export function validate(set: SchemaSet, schema: Schema, value: unknown, path = '', options: ValidateOptions = {}): string[] {
  const problems: string[] = [];
  const limit = options.limit ?? 20;
  const report = (where: string, expected: string, got: unknown) => {
    if (problems.length < limit) problems.push(`\`${where || '(the body)'}\`: expected ${expected}, got ${describe(got)}`);
  };

  const check = (raw: Schema, v: unknown, where: string): void => {
    if (problems.length >= limit) return;
    const s = resolve(set, raw);
    if (s.oneOf) {
      const discriminator = s.discriminator;
      if (!discriminator) {
        const matches = s.oneOf.filter((option) => validate(set, option, v, where, { ...options, limit: 1 }).length === 0).length;
        if (matches !== 1) report(where, `exactly one of ${s.oneOf.length} shapes`, v);
        return;
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return report(where, 'an object', v);
      const tag = (v as Record<string, unknown>)[discriminator.propertyName];
      const mapping = discriminator.mapping ?? {};
      if (typeof tag !== 'string' || !Object.hasOwn(mapping, tag)) {
        return report(at(where, discriminator.propertyName), `one of ${Object.keys(mapping).join(', ')}`, tag);
      }
      check({ $ref: mapping[tag]! }, v, where);
      return;
    }
    if (s.enum) {
      if (typeof v !== 'string' || !s.enum.includes(v)) report(where, typeName(s), v);
      return;
    }
    switch (s.type) {
      case 'string':
        if (typeof v !== 'string') return report(where, typeName(s), v);
        if (s.format === 'date-time' && (!RFC3339.test(v) || Number.isNaN(Date.parse(v)))) report(where, typeName(s), v);
        if (s.format === 'date' && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) report(where, typeName(s), v);
        return;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) return report(where, typeName(s), v);
        if (s.format === 'int32' && (v < -INT32 || v >= INT32)) report(where, 'an integer that fits in 32 bits', v);
        // int64 beyond 2^53 loses digits in JSON numbers: the sandbox refuses what it cannot represent exactly.
        if (s.format === 'int64' && !Number.isSafeInteger(v)) report(where, `an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`, v);
        return;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) report(where, typeName(s), v);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') report(where, typeName(s), v);
        return;
      case 'array':
        if (!Array.isArray(v)) return report(where, typeName(s), v);
        if (s.items) v.forEach((item, i) => check(s.items!, item, at(where, i)));
        return;
      default: {
        if (s.type === undefined && !s.properties && s.additionalProperties === undefined) return; // any value
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return report(where, typeName(s), v);
        const object = v as Record<string, unknown>;
        const required = new Set(s.required ?? []);
        for (const key of required) {
          if (!Object.hasOwn(object, key) || object[key] === undefined || (object[key] === null && options.nullAsAbsent)) {
            report(at(where, key), typeName(resolve(set, s.properties?.[key] ?? {})), undefined);
          }
        }
        for (const [key, item] of Object.entries(object)) {
          const property = s.properties && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
          if (item === null && options.nullAsAbsent && !required.has(key)) continue;
          if (property) check(property, item, at(where, key));
          else if (s.additionalProperties === false) report(at(where, key), 'no such field', item);
          else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, item, at(where, key));
        }
      }
    }
  };

  check(schema, value, path);
  return problems;
}
