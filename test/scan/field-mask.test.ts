import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { localBusinesses } from '../../src-main/db/schema.pg';
import { scannedColumnNames } from '../../src-main/scan/guards';
import {
  PLACE_DETAILS_FIELD_COLUMNS,
  PLACE_DETAILS_FIELD_MASK,
  PLACE_DETAILS_FIELDS,
} from '../../src-main/scan/places-api/client';
import { mapPlaceToLocalBusiness } from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import { defaultPlace, startFakePlacesApi } from '../support/fake-places-api';

/**
 * The Place Details field mask asks for what local_businesses stores and nothing else (each
 * field is paid for: the call is billed at its most expensive field's SKU).
 */

const fieldsWithColumns: [string, readonly string[]][] = Object.entries(
  PLACE_DETAILS_FIELD_COLUMNS,
);
/** A sample place of the fake that has every field of the mask (some have no rating, say). */
const PLACE_ID = Array.from({ length: 100 }, (_, i) => `ChIJfieldmask${i}`).find((id) =>
  PLACE_DETAILS_FIELDS.every((field) => field in defaultPlace(id)),
)!;
/** The detail columns a scan writes; additional_json is the whole answer, as asked. */
const detailColumns = scannedColumnNames(localBusinesses).filter((c) => c !== 'additional_json');

describe('the Place Details field mask', () => {
  it('is exactly the fields of the field-to-column table', () => {
    expect(PLACE_DETAILS_FIELD_MASK).toBe(PLACE_DETAILS_FIELDS.join(','));
    expect(PLACE_DETAILS_FIELD_MASK).toBe(
      'id,formattedAddress,addressComponents,location,types,displayName,businessStatus,' +
        'primaryType,primaryTypeDisplayName,timeZone,internationalPhoneNumber,websiteUri,' +
        'rating,userRatingCount,priceLevel,regularOpeningHours',
    );
  });

  it('names only stored columns, and every stored detail column has its field', () => {
    const stored = new Set(Object.values(getTableColumns(localBusinesses)).map((c) => c.name));
    const named = new Set(fieldsWithColumns.flatMap(([, columns]) => columns));
    expect([...named].filter((c) => !stored.has(c))).toEqual([]);
    expect(detailColumns.filter((c) => !named.has(c))).toEqual([]);
  });

  it('asks for no field the mapping does not store: without each one, one of its columns changes', () => {
    const full = defaultPlace(PLACE_ID);
    const row = (answer: Record<string, unknown>) =>
      mapPlaceToLocalBusiness(PLACE_ID, placeDetailsSchema.parse(answer)) as Record<
        string,
        unknown
      >;
    const whole = row(full);
    const unread: string[] = [];
    for (const [field, columns] of fieldsWithColumns) {
      if (field === 'id') continue; // the answer's identity (required by the schema, free tier)
      expect(full).toHaveProperty(field);
      const { [field]: _, ...without } = full;
      const changed = columns.some(
        (c) => JSON.stringify(row(without)[c]) !== JSON.stringify(whole[c]),
      );
      if (!changed) unread.push(field);
    }
    expect(unread).toEqual([]);
  });

  it('is what the scan sends, and the row from a masked answer is the row from the whole place', async () => {
    const fake = await startFakePlacesApi();
    try {
      // The fake answers with only the masked fields, as Google does.
      expect(PLACE_ID).toBeDefined();
      const masked = fake.responseFor(PLACE_ID);
      expect(Object.keys(masked).sort()).toEqual([...PLACE_DETAILS_FIELDS].sort());
      const { additional_json: _a, ...fromMasked } = fake.expectedRowFor(PLACE_ID);
      const { additional_json: _b, ...fromWhole } = mapPlaceToLocalBusiness(
        PLACE_ID,
        placeDetailsSchema.parse(defaultPlace(PLACE_ID)),
      );
      expect(fromMasked).toEqual(fromWhole);
    } finally {
      await fake.close();
    }
  });
});
