import { z } from 'zod';

/**
 * The Place Details (New) response (`GET /v1/places/{place_id}`), as far as the deep scan
 * reads it. Unknown fields are kept (loose objects), so the parsed value is the whole raw
 * response and can be stored as `additional_json`. Everything but `id` is optional: the API
 * omits fields it has no data for (and proto3 JSON omits zero values, e.g. a latitude of 0).
 *
 * Enum-like fields (`priceLevel`, `businessStatus`) are typed as plain strings on purpose: a
 * value Google adds later must not turn every scan into a "schema mismatch" error.
 */

/** Known `priceLevel` values (enum PriceLevel). */
export const PRICE_LEVELS = [
  'PRICE_LEVEL_UNSPECIFIED',
  'PRICE_LEVEL_FREE',
  'PRICE_LEVEL_INEXPENSIVE',
  'PRICE_LEVEL_MODERATE',
  'PRICE_LEVEL_EXPENSIVE',
  'PRICE_LEVEL_VERY_EXPENSIVE',
] as const;
export type PriceLevel = (typeof PRICE_LEVELS)[number];

/** Known `businessStatus` values (enum BusinessStatus). */
export const BUSINESS_STATUSES = [
  'BUSINESS_STATUS_UNSPECIFIED',
  'OPERATIONAL',
  'CLOSED_TEMPORARILY',
  'CLOSED_PERMANENTLY',
] as const;
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number];

export const localizedTextSchema = z.looseObject({
  text: z.string().optional(),
  languageCode: z.string().optional(),
});

export const addressComponentSchema = z.looseObject({
  longText: z.string().optional(),
  shortText: z.string().optional(),
  types: z.array(z.string()).optional(),
  languageCode: z.string().optional(),
});

export const latLngSchema = z.looseObject({
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});

/** A point in the week: `day` 0 = Sunday ... 6 = Saturday. */
export const openingHoursPointSchema = z.looseObject({
  day: z.number().int().optional(),
  hour: z.number().int().optional(),
  minute: z.number().int().optional(),
});

export const openingHoursSchema = z.looseObject({
  openNow: z.boolean().optional(),
  periods: z
    .array(
      z.looseObject({
        open: openingHoursPointSchema.optional(),
        close: openingHoursPointSchema.optional(),
      }),
    )
    .optional(),
  /**
   * One localized line per weekday, e.g. "Monday: 9:00 AM – 5:00 PM". The first day of the
   * week depends on the locale, so the mapping matches lines by their day name.
   */
  weekdayDescriptions: z.array(z.string()).optional(),
});

/** IANA time zone, e.g. `{ "id": "America/New_York" }`. */
export const timeZoneSchema = z.looseObject({
  id: z.string().optional(),
  version: z.string().optional(),
});

export const placeDetailsSchema = z.looseObject({
  name: z.string().optional(),
  id: z.string().min(1),
  displayName: localizedTextSchema.optional(),
  formattedAddress: z.string().optional(),
  shortFormattedAddress: z.string().optional(),
  addressComponents: z.array(addressComponentSchema).optional(),
  nationalPhoneNumber: z.string().optional(),
  internationalPhoneNumber: z.string().optional(),
  websiteUri: z.string().optional(),
  googleMapsUri: z.string().optional(),
  rating: z.number().optional(),
  userRatingCount: z.number().int().nonnegative().optional(),
  priceLevel: z.string().optional(),
  businessStatus: z.string().optional(),
  primaryType: z.string().optional(),
  primaryTypeDisplayName: localizedTextSchema.optional(),
  types: z.array(z.string()).optional(),
  location: latLngSchema.optional(),
  utcOffsetMinutes: z.number().int().optional(),
  timeZone: timeZoneSchema.optional(),
  regularOpeningHours: openingHoursSchema.optional(),
});

export type PlaceDetails = z.infer<typeof placeDetailsSchema>;
export type AddressComponent = z.infer<typeof addressComponentSchema>;

/** Google's error body: `{ "error": { "code": 404, "message": "...", "status": "NOT_FOUND" } }`. */
export const googleErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z
      .array(
        z.looseObject({
          '@type': z.string().optional(),
          reason: z.string().optional(),
        }),
      )
      .optional(),
  }),
});
export type GoogleErrorBody = z.infer<typeof googleErrorBodySchema>;
