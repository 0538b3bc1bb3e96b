// Where the kit keeps its records: checkout.sqlite in the data directory, or PostgreSQL given a
// `postgres://` URL. Both as they may be shown (the URL without its password), and the one-line
// error when the store cannot be opened, which never carries the password either.
import { join } from 'node:path';

export type CheckoutStoreInfo = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };

/** The kit's store could not be opened (PostgreSQL down, a wrong password): said in one line, never with the password. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/**
 * A connection string as it may be printed or logged: its password, in the user part or as a
 * `password` parameter, replaced by `***`. Something that is not a URL is not shown at all.
 */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `(${[...value].length} characters that are not a URL)`;
  }
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return url.href;
}

/** The password in a connection string, decoded, to mask it wherever it might be echoed. */
function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const password = parsed.password ? decodeURIComponent(parsed.password) : parsed.searchParams.get('password');
    return password || undefined;
  } catch {
    return undefined;
  }
}

/** The kit's `database` option for a shop (PostgreSQL when given a URL, its default schema), and how to show it. */
export function checkoutDatabase(postgresUrl: string | undefined, dataDir: string): { database: string; info: CheckoutStoreInfo } {
  if (postgresUrl) return { database: postgresUrl, info: { kind: 'postgres', url: redactUrl(postgresUrl), schema: 'portone_checkout' } };
  const path = join(dataDir, 'checkout.sqlite');
  return { database: path, info: { kind: 'sqlite', path } };
}

/** Why the store did not open, in one line; pg names host and user, not the password, but an echoed URL would, so it is masked anyway. */
export function storeError(database: string, info: CheckoutStoreInfo, error: unknown): StoreError {
  const password = info.kind === 'postgres' ? passwordOf(database) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const where = info.kind === 'postgres' ? `PostgreSQL at ${info.url}` : `SQLite at ${info.path}`;
  return new StoreError(`the kit's store (${where}) could not be opened: ${password ? message.split(password).join('***') : message}`, { cause: error });
}
