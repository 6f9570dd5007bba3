import type { NewLocalBusinessRow } from '../../db/rows';
import type { AddressComponent, PlaceDetails } from './schema';

/** A `local_businesses` row as the deep scan writes it (the store fills id and timestamps). */
export type LocalBusinessFields = Omit<NewLocalBusinessRow, 'id' | 'created_at' | 'updated_at'>;

export const WEEKDAY_COLUMNS = [
  'monday_hours',
  'tuesday_hours',
  'wednesday_hours',
  'thursday_hours',
  'friday_hours',
  'saturday_hours',
  'sunday_hours',
] as const;
export type WeekdayColumn = (typeof WEEKDAY_COLUMNS)[number];

const PRICE_TEXT: ReadonlyMap<string, string> = new Map([
  ['PRICE_LEVEL_FREE', 'Free'],
  ['PRICE_LEVEL_INEXPENSIVE', '$'],
  ['PRICE_LEVEL_MODERATE', '$$'],
  ['PRICE_LEVEL_EXPENSIVE', '$$$'],
  ['PRICE_LEVEL_VERY_EXPENSIVE', '$$$$'],
]);

/**
 * Countries whose street lines put the house number after the street name
 * ("Unter den Linden 77"); elsewhere the number comes first ("1600 Amphitheatre Pkwy").
 */
// prettier-ignore
const NUMBER_AFTER_ROUTE = new Set([
  'AR', 'AT', 'BA', 'BE', 'BG', 'BR', 'CH', 'CL', 'CO', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'GR',
  'HR', 'HU', 'IS', 'IT', 'LT', 'LV', 'MX', 'NL', 'NO', 'PL', 'PT', 'RO', 'RS', 'RU', 'SE', 'SI',
  'SK', 'TR', 'UA',
]);

/**
 * Maps a Place Details (New) response to the `local_businesses` columns. Pure: the same input
 * always gives the same row. Missing or empty fields become null.
 */
export function mapPlaceToLocalBusiness(
  placeId: string,
  details: PlaceDetails,
): LocalBusinessFields {
  const components = details.addressComponents ?? [];
  const find = (...types: string[]): AddressComponent | undefined => {
    for (const type of types) {
      const hit = components.find((c) => c.types?.includes(type));
      if (hit) return hit;
    }
    return undefined;
  };
  const long = (...types: string[]) => text(find(...types)?.longText);
  const short = (...types: string[]) => {
    const c = find(...types);
    return text(c?.shortText) ?? text(c?.longText);
  };

  const country = short('country');
  const postalCode = long('postal_code');
  const postalSuffix = long('postal_code_suffix');
  const primaryType = text(details.primaryType);
  const hours = mapWeekdayHours(
    details.regularOpeningHours?.weekdayDescriptions,
    details.displayName?.languageCode,
  );
  const location = details.location;

  return {
    place_id: placeId,
    business_name: text(details.displayName?.text),
    full_address: text(details.formattedAddress),
    street_address: streetAddress(
      long('street_number'),
      // The short form is what formattedAddress uses ("S Lamar Blvd").
      short('route'),
      long('premise'),
      long('subpremise'),
      country,
    ),
    city: long('locality', 'postal_town', 'sublocality_level_1', 'sublocality'),
    state: short('administrative_area_level_1'),
    zip: postalCode ? (postalSuffix ? `${postalCode}-${postalSuffix}` : postalCode) : null,
    country,
    phone: text(details.internationalPhoneNumber),
    website_url: text(details.websiteUri),
    main_category: text(details.primaryTypeDisplayName?.text) ?? primaryType,
    extra_categories: details.types
      ? dedupe(details.types.filter((t) => t !== primaryType && t.trim() !== ''))
      : null,
    rating: finite(details.rating),
    reviews_count: finite(details.userRatingCount),
    price_text: priceText(details.priceLevel),
    business_status: text(details.businessStatus),
    ...hours,
    timezone: text(details.timeZone?.id),
    // proto3 JSON omits a 0 coordinate, so a present location with a missing axis means 0.
    latitude: location ? (finite(location.latitude) ?? 0) : null,
    longitude: location ? (finite(location.longitude) ?? 0) : null,
    additional_json: details,
  };
}

/** `PRICE_LEVEL_MODERATE` -> "$$"; unspecified or unknown -> null. */
export function priceText(priceLevel: string | undefined | null): string | null {
  return priceLevel ? (PRICE_TEXT.get(priceLevel) ?? null) : null;
}

function streetAddress(
  number: string | null,
  route: string | null,
  premise: string | null,
  subpremise: string | null,
  country: string | null,
): string | null {
  let line: string | null;
  if (number && route) {
    line = country && NUMBER_AFTER_ROUTE.has(country) ? `${route} ${number}` : `${number} ${route}`;
  } else {
    // No house number: the building (premise) names the address, e.g. "Shop 12, Colaba Causeway".
    line = premise && route ? `${premise}, ${route}` : (route ?? premise ?? number);
  }
  if (subpremise) {
    if (!line) return subpremise;
    // "#4B" for a bare unit number, otherwise the unit as written ("Suite 200").
    return /^[0-9A-Za-z-]+$/.test(subpremise) ? `${line} #${subpremise}` : `${line}, ${subpremise}`;
  }
  return line;
}

// ---------------------------------------------------------------------------------------------
// Opening hours

const EMPTY_HOURS: Record<WeekdayColumn, string | null> = {
  monday_hours: null,
  tuesday_hours: null,
  wednesday_hours: null,
  thursday_hours: null,
  friday_hours: null,
  saturday_hours: null,
  sunday_hours: null,
};

/** English names and abbreviations, index 0 = Monday. */
const ENGLISH_DAY_NAMES: readonly (readonly string[])[] = [
  ['monday', 'mon', 'mo'],
  ['tuesday', 'tue', 'tues', 'tu'],
  ['wednesday', 'wed', 'we'],
  ['thursday', 'thu', 'thur', 'thurs', 'th'],
  ['friday', 'fri', 'fr'],
  ['saturday', 'sat', 'sa'],
  ['sunday', 'sun', 'su'],
];

const dayNameCache = new Map<string, Map<string, number>>();

/** Day names (normalised) -> index (0 = Monday): English, plus the response's language. */
function dayNames(languageCode: string | undefined): Map<string, number> {
  const lang = languageCode?.trim() || 'en';
  const cached = dayNameCache.get(lang);
  if (cached) return cached;
  const names = new Map<string, number>();
  ENGLISH_DAY_NAMES.forEach((list, day) => list.forEach((n) => names.set(n, day)));
  try {
    for (const weekday of ['long', 'short'] as const) {
      const fmt = new Intl.DateTimeFormat(lang, { weekday, timeZone: 'UTC' });
      for (let day = 0; day < 7; day++) {
        // 2024-01-01 was a Monday.
        const name = normaliseLabel(fmt.format(new Date(Date.UTC(2024, 0, 1 + day))));
        if (name && !names.has(name)) names.set(name, day);
      }
    }
  } catch {
    // unknown language tag: English names only
  }
  if (dayNameCache.size < 200) dayNameCache.set(lang, names);
  return names;
}

function normaliseLabel(label: string): string {
  return label
    .normalize('NFKC')
    .toLocaleLowerCase()
    .replace(/[.\s]+$/u, '')
    .trim();
}

/** Splits "Monday: 9:00 AM – 5:00 PM" into a label and the hours (full-width colon too). */
function splitLabel(line: string): { label: string; rest: string } | null {
  const m = /^\s*([^:：\d]+?)\s*[:：]\s*(.*)$/su.exec(line);
  return m ? { label: m[1]!, rest: m[2]!.trim() } : null;
}

/**
 * Assigns `weekdayDescriptions` lines to weekday columns. Lines are matched by their day name
 * (the week may start on Sunday or Monday depending on the locale) and the "Monday: " prefix is
 * stripped. When no line starts with a recognisable day name, seven lines are taken in the
 * Places API's English order (Monday first).
 */
export function mapWeekdayHours(
  weekdayDescriptions: readonly string[] | undefined,
  languageCode?: string,
): Record<WeekdayColumn, string | null> {
  const out = { ...EMPTY_HOURS };
  if (!weekdayDescriptions || weekdayDescriptions.length === 0) return out;
  const names = dayNames(languageCode);

  let matched = 0;
  for (const line of weekdayDescriptions) {
    const split = splitLabel(line);
    const day = split ? names.get(normaliseLabel(split.label)) : undefined;
    if (split && day !== undefined) {
      const column = WEEKDAY_COLUMNS[day]!;
      if (out[column] === null) out[column] = text(split.rest);
      matched++;
    }
  }
  if (matched > 0) return out;

  if (weekdayDescriptions.length === 7) {
    weekdayDescriptions.forEach((line, i) => {
      const split = splitLabel(line);
      out[WEEKDAY_COLUMNS[i]!] = text(split ? split.rest : line);
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function text(value: string | undefined | null): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function finite(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
