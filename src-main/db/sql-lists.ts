import { sql, type SQL } from 'drizzle-orm';

/** `('a', 'b')` as inline SQL literals, for CHECK constraints built from the shared enums. */
export function inList(values: readonly string[]): SQL {
  return sql.raw(`(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`);
}
