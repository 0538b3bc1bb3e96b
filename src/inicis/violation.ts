// The one shape every check in the kit reports: which field, which rule, and what to tell a person
// in Korean and English (what was expected, what arrived).

/** One broken rule (or, in `warnings`, one thing the PG will silently change). */
export interface Violation<Rule extends string = string> {
  /** Path of the field in the SDK request, e.g. `customer.phoneNumber` or `bypass.inicis_v2.acceptmethod`. */
  field: string;
  /** Stable machine-readable id of the rule. */
  rule: Rule;
  /** `"<field>: <expected> … <what arrived>"`, in both languages. */
  message: { ko: string; en: string };
}

/** The language of messages and labels. */
export type Lang = keyof Violation['message'];

/** Renders a received value for a message: short, quoted, never HTML (callers render it as text). */
export function shown(value: unknown, lang: Lang): string {
  if (value === undefined || value === null || value === '') return lang === 'ko' ? '없음' : 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * Builds a violation. `expected` is `[korean, english]`; the English one reads after "expected".
 * Pass `value` to show what arrived.
 */
export function violation<Rule extends string>(
  field: string,
  rule: Rule,
  expected: readonly [string, string],
  value?: unknown,
): Violation<Rule> {
  return {
    field,
    rule,
    message: {
      ko: `${field}: ${expected[0]} (받은 값: ${shown(value, 'ko')})`,
      en: `${field}: expected ${expected[1]}, got ${shown(value, 'en')}`,
    },
  };
}

/** The `expected` pair for "one of" a list, in both languages. */
export const oneOf = (list: readonly string[]): [string, string] => [`${list.join(', ')} 중 하나`, `one of ${list.join(', ')}`];
