import type * as pg from './schema.pg';
import type * as lite from './schema.sqlite';

/** One row type per table; test/db/row-types.test.ts proves the two dialects agree. */
export type PlaceRow = typeof pg.placesStaging.$inferSelect;
export type NewPlaceRow = typeof pg.placesStaging.$inferInsert;
export type LocalBusinessRow = typeof pg.localBusinesses.$inferSelect;
export type NewLocalBusinessRow = typeof pg.localBusinesses.$inferInsert;

export type SqlitePlaceRow = typeof lite.placesStaging.$inferSelect;
export type SqliteLocalBusinessRow = typeof lite.localBusinesses.$inferSelect;
