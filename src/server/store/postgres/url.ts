// Whether a `database` or `connectionString` names PostgreSQL. A module of its own, without pg, so the
// kit can tell which driver a URL needs before loading any.

/** A `postgres://` or `postgresql://` URL (the scheme, as any URL's, in either case). */
export const isPostgresUrl = (value: unknown): boolean => typeof value === 'string' && /^postgres(ql)?:\/\//i.test(value);
