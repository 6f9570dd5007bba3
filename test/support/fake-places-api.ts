import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLACE_DETAILS_FIELD_MASK } from '../../src-main/scan/places-api/client';
import {
  mapPlaceToLocalBusiness,
  type LocalBusinessFields,
} from '../../src-main/scan/places-api/map-to-local-business';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';

/**
 * A fake Places API (New) on 127.0.0.1 for tests and benchmarks: `GET /v1/places/{place_id}`
 * with `X-Goog-Api-Key` and `X-Goog-FieldMask`, answering like Google does (field masks,
 * Google-style error bodies). It runs in the test process; worker child processes reach it
 * over HTTP through `baseUrl`. Counters live in the process that started it.
 *
 * The default 200 response is deterministic per place id (derived from a hash of the id).
 */

/**
 * One scripted answer: an HTTP status (a 200 gives the default response), or
 * - `'malformed_json'`: a 200 whose body is cut-off JSON;
 * - `'schema_mismatch'`: a 200 whose JSON is not a Place (wrong field types);
 * - `'connection_reset'`: the socket is destroyed without an answer (a network error).
 */
export type FakePlacesStep = number | 'malformed_json' | 'schema_mismatch' | 'connection_reset';

export interface FakePlacesApi {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  /** The key it accepts; another key gets 403 (see `invalidKeyStatus`) with the key echoed. */
  apiKey: string;
  /** Requests that reached `/v1/places/{id}` for this id (all of them, errors included). */
  callsFor(placeId: string): number;
  totalCalls(): number;
  /** `Date.now()` at the arrival of each request for this id, to check backoff gaps. */
  callTimes(placeId: string): number[];
  setLatencyMs(ms: number): void;
  /** Scripted answers for one id, consumed in order, then the default 200: e.g. [503, 503, 200]. */
  script(placeId: string, steps: FakePlacesStep[]): void;
  /** Every request answers this status until cleared (null). Takes precedence over scripts. */
  setGlobalStatus(status: number | null): void;
  /** `Retry-After` (seconds) sent with 429 and 503 answers; null (the default) sends none. */
  setRetryAfterSeconds(seconds: number | null): void;
  /** The default 200 body for an id, filtered by `fieldMask` (default: the client's mask). */
  responseFor(placeId: string, fieldMask?: string): Record<string, unknown>;
  /** What `mapPlaceToLocalBusiness` gives for the default response: compare DB rows with it. */
  expectedRowFor(placeId: string): LocalBusinessFields;
  /** Clears counters, scripts, the global status, latency and Retry-After. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakePlacesApiOptions {
  apiKey?: string;
  latencyMs?: number;
  /** Status for a wrong API key: 403 (default) or 400 (what Google sends for API_KEY_INVALID). */
  invalidKeyStatus?: 400 | 403;
}

export const FAKE_PLACES_API_KEY = 'fake-places-key-0123456789';

export async function startFakePlacesApi(
  options: FakePlacesApiOptions = {},
): Promise<FakePlacesApi> {
  const apiKey = options.apiKey ?? FAKE_PLACES_API_KEY;
  const invalidKeyStatus = options.invalidKeyStatus ?? 403;
  let latencyMs = options.latencyMs ?? 0;
  let globalStatus: number | null = null;
  let retryAfterSeconds: number | null = null;
  let total = 0;
  const times = new Map<string, number[]>();
  const scripts = new Map<string, FakePlacesStep[]>();
  const timers = new Set<NodeJS.Timeout>();

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  };

  const later = (fn: () => void) => {
    if (latencyMs <= 0) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, latencyMs);
    timers.add(timer);
  };

  const sendError = (
    res: ServerResponse,
    status: number,
    receivedKey: string | null,
    message?: string,
  ) => {
    const headers: Record<string, string> = {};
    if ((status === 429 || status === 503) && retryAfterSeconds !== null) {
      headers['retry-after'] = String(retryAfterSeconds);
    }
    send(res, status, JSON.stringify(googleError(status, receivedKey, message)), headers);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const search = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const prefix = '/v1/places/';
    if (!pathname.startsWith(prefix) || pathname.length === prefix.length) {
      return sendError(res, 404, null, `Method not found: ${pathname}`);
    }
    const rawId = pathname.slice(prefix.length);
    let placeId: string;
    try {
      placeId = decodeURIComponent(rawId);
    } catch {
      return sendError(res, 400, null, `Invalid resource name: ${rawId}`);
    }
    if (rawId.includes('/')) return sendError(res, 404, null, `Method not found: ${pathname}`);

    total++;
    const list = times.get(placeId);
    if (list) list.push(Date.now());
    else times.set(placeId, [Date.now()]);

    const headerKey = req.headers['x-goog-api-key'];
    const receivedKey = (Array.isArray(headerKey) ? headerKey[0] : headerKey) ?? search.get('key');
    const fieldMask =
      headerOne(req.headers['x-goog-fieldmask']) ?? search.get('fields') ?? search.get('$fields');

    later(() => {
      if (req.method !== 'GET') {
        return sendError(res, 404, null, `Method not found: ${req.method} ${pathname}`);
      }
      if (!receivedKey) {
        return sendError(res, 403, null, 'The request is missing a valid API key.');
      }
      if (receivedKey !== apiKey) {
        return sendError(
          res,
          invalidKeyStatus,
          receivedKey,
          `API key not valid. Please pass a valid API key. (key "${receivedKey}" is not authorized for places.googleapis.com)`,
        );
      }
      if (!fieldMask || fieldMask.trim() === '') {
        return sendError(
          res,
          400,
          receivedKey,
          "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to 'displayName' in order to request the displayName field.",
        );
      }
      if (globalStatus !== null && globalStatus !== 200) {
        return sendError(res, globalStatus, receivedKey);
      }
      const step = scripts.get(placeId)?.shift() ?? 200;
      if (step === 'connection_reset') {
        req.socket.destroy();
        return;
      }
      if (step === 'malformed_json') {
        return send(res, 200, `{"id":${JSON.stringify(placeId)},"displayName":{"text":"Trunc`);
      }
      if (step === 'schema_mismatch') {
        return send(
          res,
          200,
          JSON.stringify({ id: placeId, rating: 'excellent', userRatingCount: -3 }),
        );
      }
      if (step !== 200) return sendError(res, step, receivedKey);

      const masked = applyFieldMask(defaultPlace(placeId), fieldMask);
      if ('badPath' in masked) {
        return sendError(
          res,
          400,
          receivedKey,
          `Error expanding 'fields' parameter. Cannot find matching fields for path '${masked.badPath}'.`,
        );
      }
      send(res, 200, JSON.stringify(masked.value));
    });
  };

  const server = createServer({ keepAlive: true }, handle);
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const responseFor = (placeId: string, fieldMask: string = PLACE_DETAILS_FIELD_MASK) => {
    const masked = applyFieldMask(defaultPlace(placeId), fieldMask);
    if ('badPath' in masked) throw new Error(`unknown field mask path: ${masked.badPath}`);
    return masked.value;
  };

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    callsFor: (placeId) => times.get(placeId)?.length ?? 0,
    totalCalls: () => total,
    callTimes: (placeId) => [...(times.get(placeId) ?? [])],
    setLatencyMs: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    script: (placeId, steps) => {
      scripts.set(placeId, [...steps]);
    },
    setGlobalStatus: (status) => {
      globalStatus = status;
    },
    setRetryAfterSeconds: (seconds) => {
      retryAfterSeconds = seconds;
    },
    responseFor,
    expectedRowFor: (placeId) =>
      mapPlaceToLocalBusiness(placeId, placeDetailsSchema.parse(responseFor(placeId))),
    reset: () => {
      total = 0;
      times.clear();
      scripts.clear();
      globalStatus = null;
      retryAfterSeconds = null;
      latencyMs = 0;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function headerOne(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

// ---------------------------------------------------------------------------------------------
// Google-style errors

const ERROR_STATUS: Record<number, [status: string, message: string]> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: ['UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
  403: ['PERMISSION_DENIED', 'The caller does not have permission.'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  408: ['DEADLINE_EXCEEDED', 'Request timed out.'],
  409: ['ABORTED', 'The operation was aborted.'],
  429: [
    'RESOURCE_EXHAUSTED',
    "Quota exceeded for quota metric 'GetPlace requests' and limit 'GetPlace requests per minute' of service 'places.googleapis.com'.",
  ],
  500: ['INTERNAL', 'Internal error encountered.'],
  501: ['UNIMPLEMENTED', 'Operation is not implemented.'],
  502: ['UNAVAILABLE', 'Bad gateway.'],
  503: ['UNAVAILABLE', 'The service is currently unavailable.'],
  504: ['DEADLINE_EXCEEDED', 'The request timed out.'],
};

function googleError(code: number, receivedKey: string | null, message?: string) {
  const [status, defaultMessage] = ERROR_STATUS[code] ?? ['UNKNOWN', `HTTP ${code}`];
  let text = message ?? defaultMessage;
  // Like some Google errors, 401/403 answers echo the key: clients must redact it.
  if (message === undefined && (code === 401 || code === 403) && receivedKey) {
    text = `${defaultMessage} Requests with API key "${receivedKey}" are blocked for places.googleapis.com.`;
  }
  const details: Record<string, unknown>[] = [];
  if (
    code === 401 ||
    code === 403 ||
    (code === 400 && receivedKey && message?.startsWith('API key not valid'))
  ) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: message?.startsWith('API key not valid')
        ? 'API_KEY_INVALID'
        : 'API_KEY_SERVICE_BLOCKED',
      domain: 'googleapis.com',
      metadata: { service: 'places.googleapis.com' },
    });
  }
  return { error: { code, message: text, status, ...(details.length ? { details } : {}) } };
}

// ---------------------------------------------------------------------------------------------
// Field masks

/** Top-level fields of a Place (a path outside these is a 400, as with Google). */
// prettier-ignore
const KNOWN_PLACE_FIELDS = new Set([
  'name', 'id', 'displayName', 'types', 'primaryType', 'primaryTypeDisplayName',
  'nationalPhoneNumber', 'internationalPhoneNumber', 'formattedAddress', 'shortFormattedAddress',
  'postalAddress', 'addressComponents', 'plusCode', 'location', 'viewport', 'rating',
  'googleMapsUri', 'websiteUri', 'reviews', 'regularOpeningHours', 'timeZone', 'photos',
  'adrFormatAddress', 'businessStatus', 'priceLevel', 'attributions', 'iconMaskBaseUri',
  'iconBackgroundColor', 'currentOpeningHours', 'currentSecondaryOpeningHours',
  'regularSecondaryOpeningHours', 'editorialSummary', 'paymentOptions', 'parkingOptions',
  'subDestinations', 'fuelOptions', 'evChargeOptions', 'generativeSummary', 'containingPlaces',
  'addressDescriptor', 'googleMapsLinks', 'priceRange', 'reviewSummary', 'utcOffsetMinutes',
  'userRatingCount', 'takeout', 'delivery', 'dineIn', 'curbsidePickup', 'reservable',
  'servesBreakfast', 'servesLunch', 'servesDinner', 'servesBeer', 'servesWine', 'servesBrunch',
  'servesVegetarianFood', 'outdoorSeating', 'liveMusic', 'menuForChildren', 'servesCocktails',
  'servesDessert', 'servesCoffee', 'goodForChildren', 'allowsDogs', 'restroom', 'goodForGroups',
  'goodForWatchingSports', 'accessibilityOptions', 'pureServiceAreaBusiness',
]);

type MaskTree = Map<string, MaskTree | true>;

function applyFieldMask(
  place: Record<string, unknown>,
  mask: string,
): { value: Record<string, unknown> } | { badPath: string } {
  const paths = mask
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.includes('*')) return { value: place };
  const tree: MaskTree = new Map();
  for (const path of paths) {
    const parts = path.split('.');
    if (!KNOWN_PLACE_FIELDS.has(parts[0]!)) return { badPath: path };
    let node = tree;
    parts.forEach((part, i) => {
      const existing = node.get(part);
      if (existing === true) return;
      if (i === parts.length - 1) {
        node.set(part, true);
        return;
      }
      const next: MaskTree = existing ?? new Map();
      node.set(part, next);
      node = next;
    });
  }
  return { value: filterObject(place, tree) };
}

function filterObject(obj: Record<string, unknown>, tree: MaskTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    if (!(key in obj) || obj[key] === undefined) continue;
    out[key] = sub === true ? obj[key] : filterValue(obj[key], sub);
  }
  return out;
}

function filterValue(value: unknown, tree: MaskTree): unknown {
  if (Array.isArray(value)) return value.map((v) => filterValue(v, tree));
  if (value && typeof value === 'object')
    return filterObject(value as Record<string, unknown>, tree);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Deterministic default Place

interface City {
  country: [long: string, short: string];
  countryName: string;
  admin1: [long: string, short: string];
  admin2?: string;
  locality?: string;
  postalTown?: string;
  sublocalities: string[];
  postalCodes: string[];
  streets: [long: string, short: string][];
  timeZone: string;
  utcOffsetMinutes: number;
  lat: number;
  lng: number;
  style: 'us' | 'uk' | 'de' | 'in';
  phone: (n: number) => [national: string, international: string];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const usPhone = (area: string) => (n: number) => {
  const line = `01${pad(n % 100, 2)}`; // 555-0100..0199 is reserved for fiction
  return [`(${area}) 555-${line}`, `+1 ${area}-555-${line}`] as [string, string];
};

// prettier-ignore
const CITIES: City[] = [
  {
    country: ['United States', 'US'], countryName: 'USA', admin1: ['Texas', 'TX'], admin2: 'Travis County',
    locality: 'Austin', sublocalities: [], postalCodes: ['78701', '78702', '78704'],
    streets: [['Congress Avenue', 'Congress Ave'], ['South Lamar Boulevard', 'S Lamar Blvd'], ['East 6th Street', 'E 6th St']],
    timeZone: 'America/Chicago', utcOffsetMinutes: -360, lat: 30.2672, lng: -97.7431, style: 'us', phone: usPhone('512'),
  },
  {
    country: ['United States', 'US'], countryName: 'USA', admin1: ['Oregon', 'OR'], admin2: 'Multnomah County',
    locality: 'Portland', sublocalities: [], postalCodes: ['97204', '97205', '97209'],
    streets: [['Southwest Alder Street', 'SW Alder St'], ['Northwest 23rd Avenue', 'NW 23rd Ave'], ['Southeast Hawthorne Boulevard', 'SE Hawthorne Blvd']],
    timeZone: 'America/Los_Angeles', utcOffsetMinutes: -480, lat: 45.5152, lng: -122.6784, style: 'us', phone: usPhone('503'),
  },
  {
    country: ['United States', 'US'], countryName: 'USA', admin1: ['Colorado', 'CO'], admin2: 'Denver County',
    locality: 'Denver', sublocalities: [], postalCodes: ['80202', '80203', '80205'],
    streets: [['Larimer Street', 'Larimer St'], ['East Colfax Avenue', 'E Colfax Ave'], ['Blake Street', 'Blake St']],
    timeZone: 'America/Denver', utcOffsetMinutes: -420, lat: 39.7392, lng: -104.9903, style: 'us', phone: usPhone('303'),
  },
  {
    country: ['United States', 'US'], countryName: 'USA', admin1: ['Illinois', 'IL'], admin2: 'Cook County',
    locality: 'Chicago', sublocalities: [], postalCodes: ['60601', '60607', '60614'],
    streets: [['North Clark Street', 'N Clark St'], ['West Randolph Street', 'W Randolph St'], ['North Milwaukee Avenue', 'N Milwaukee Ave']],
    timeZone: 'America/Chicago', utcOffsetMinutes: -360, lat: 41.8781, lng: -87.6298, style: 'us', phone: usPhone('312'),
  },
  {
    country: ['United States', 'US'], countryName: 'USA', admin1: ['Massachusetts', 'MA'], admin2: 'Suffolk County',
    locality: 'Boston', sublocalities: [], postalCodes: ['02108', '02116', '02118'],
    streets: [['Newbury Street', 'Newbury St'], ['Tremont Street', 'Tremont St'], ['Hanover Street', 'Hanover St']],
    timeZone: 'America/New_York', utcOffsetMinutes: -300, lat: 42.3601, lng: -71.0589, style: 'us', phone: usPhone('617'),
  },
  {
    country: ['United States', 'US'], countryName: 'USA', admin1: ['Washington', 'WA'], admin2: 'King County',
    locality: 'Seattle', sublocalities: [], postalCodes: ['98101', '98102', '98122'],
    streets: [['Pike Street', 'Pike St'], ['1st Avenue', '1st Ave'], ['Broadway East', 'Broadway E']],
    timeZone: 'America/Los_Angeles', utcOffsetMinutes: -480, lat: 47.6062, lng: -122.3321, style: 'us', phone: usPhone('206'),
  },
  {
    country: ['United Kingdom', 'GB'], countryName: 'UK', admin1: ['England', 'England'], admin2: 'Greater London',
    postalTown: 'London', sublocalities: [], postalCodes: ['NW1 6XE', 'SE1 9SG', 'EC2A 4NE'],
    streets: [['Baker Street', 'Baker St'], ['Borough High Street', 'Borough High St'], ['Great Eastern Street', 'Great Eastern St']],
    timeZone: 'Europe/London', utcOffsetMinutes: 0, lat: 51.5072, lng: -0.1276, style: 'uk',
    phone: (n) => [`020 7946 0${pad(n % 1000, 3)}`, `+44 20 7946 0${pad(n % 1000, 3)}`], // Ofcom drama range
  },
  {
    country: ['Germany', 'DE'], countryName: 'Germany', admin1: ['Berlin', 'BE'],
    locality: 'Berlin', sublocalities: ['Mitte', 'Kreuzberg', 'Prenzlauer Berg'], postalCodes: ['10117', '10999', '10435'],
    streets: [['Friedrichstraße', 'Friedrichstraße'], ['Oranienstraße', 'Oranienstraße'], ['Kastanienallee', 'Kastanienallee']],
    timeZone: 'Europe/Berlin', utcOffsetMinutes: 60, lat: 52.52, lng: 13.405, style: 'de',
    phone: (n) => [`030 ${pad(n % 100000000, 8)}`, `+49 30 ${pad(n % 100000000, 8)}`],
  },
  {
    country: ['India', 'IN'], countryName: 'India', admin1: ['Maharashtra', 'MH'],
    locality: 'Mumbai', sublocalities: ['Colaba', 'Bandra West', 'Fort'], postalCodes: ['400001', '400005', '400050'],
    streets: [['Colaba Causeway', 'Colaba Causeway'], ['Hill Road', 'Hill Rd'], ['Veer Nariman Road', 'Veer Nariman Rd']],
    timeZone: 'Asia/Kolkata', utcOffsetMinutes: 330, lat: 19.076, lng: 72.8777, style: 'in',
    phone: (n) => [`022 ${pad(n % 10000, 4)} ${pad(Math.floor(n / 256) % 10000, 4)}`, `+91 22 ${pad(n % 10000, 4)} ${pad(Math.floor(n / 256) % 10000, 4)}`],
  },
];

interface Category {
  primaryType: string;
  display: string;
  types: string[];
  suffixes: string[];
  priced: boolean;
  open: number;
  close: number;
}

// prettier-ignore
const CATEGORIES: Category[] = [
  { primaryType: 'cafe', display: 'Cafe', types: ['coffee_shop', 'food', 'point_of_interest', 'store', 'establishment'], suffixes: ['Cafe', 'Coffee', 'Espresso Bar'], priced: true, open: 7, close: 17 },
  { primaryType: 'restaurant', display: 'Restaurant', types: ['food', 'point_of_interest', 'establishment'], suffixes: ['Kitchen', 'Bistro', 'Grill'], priced: true, open: 11, close: 22 },
  { primaryType: 'bakery', display: 'Bakery', types: ['cafe', 'food', 'point_of_interest', 'store', 'establishment'], suffixes: ['Bakery', 'Bakehouse'], priced: true, open: 6, close: 15 },
  { primaryType: 'hair_salon', display: 'Hair Salon', types: ['beauty_salon', 'hair_care', 'point_of_interest', 'establishment'], suffixes: ['Salon', 'Hair Studio'], priced: false, open: 9, close: 19 },
  { primaryType: 'plumber', display: 'Plumber', types: ['general_contractor', 'point_of_interest', 'establishment'], suffixes: ['Plumbing', 'Plumbing & Heating'], priced: false, open: 8, close: 17 },
  { primaryType: 'dentist', display: 'Dentist', types: ['dental_clinic', 'health', 'point_of_interest', 'establishment'], suffixes: ['Dental', 'Family Dentistry'], priced: false, open: 8, close: 17 },
  { primaryType: 'book_store', display: 'Book Store', types: ['store', 'point_of_interest', 'establishment'], suffixes: ['Books', 'Bookshop'], priced: false, open: 10, close: 20 },
  { primaryType: 'gym', display: 'Gym', types: ['fitness_center', 'sports_activity_location', 'health', 'point_of_interest', 'establishment'], suffixes: ['Fitness', 'Athletic Club'], priced: false, open: 5, close: 23 },
  { primaryType: 'car_repair', display: 'Car Repair', types: ['point_of_interest', 'establishment'], suffixes: ['Auto Repair', 'Motors'], priced: false, open: 8, close: 18 },
  { primaryType: 'florist', display: 'Florist', types: ['store', 'point_of_interest', 'establishment'], suffixes: ['Flowers', 'Floral Design'], priced: false, open: 9, close: 18 },
];

// prettier-ignore
const NAME_WORDS = [
  'Blue', 'Golden', 'Copper', 'Maple', 'Harbor', 'Juniper', 'Northside', 'Old Town', 'Red Fox',
  'Silver', 'Sunrise', 'Wildflower', 'Cedar', 'Lantern', 'Riverside', 'Ivy', 'Oak & Ash', 'Bluebird',
];
const PRICE_LEVELS = [
  'PRICE_LEVEL_INEXPENSIVE',
  'PRICE_LEVEL_MODERATE',
  'PRICE_LEVEL_EXPENSIVE',
  'PRICE_LEVEL_VERY_EXPENSIVE',
];
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "9:00 AM" with Google's narrow no-break space before AM/PM. */
function clock(hour: number, minute: number): string {
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${h12}:${pad(minute, 2)}\u202f${hour < 12 || hour === 24 ? 'AM' : 'PM'}`;
}

/** The default Place for an id: realistic, and the same for the same id. */
export function defaultPlace(placeId: string): Record<string, unknown> {
  const h = createHash('sha256').update(placeId).digest();
  const u8 = (i: number) => h[i % h.length]!;
  const u16 = (i: number) => h.readUInt16BE(i % (h.length - 1));
  const pick = <T>(list: readonly T[], i: number): T => list[u16(i) % list.length]!;

  const city = pick(CITIES, 0);
  const category = pick(CATEGORIES, 2);
  const name = `${pick(NAME_WORDS, 4)} ${pick(category.suffixes, 6)}`;
  const [streetLong, streetShort] = pick(city.streets, 8);
  const number = 1 + (u16(10) % 2400);
  const postalCode = pick(city.postalCodes, 12);
  const sublocality = city.sublocalities.length ? pick(city.sublocalities, 14) : null;
  const unit = city.style === 'us' && u8(16) % 5 === 0 ? String(100 + (u8(17) % 40) * 10) : null;
  const zipSuffix = city.style === 'us' && u8(18) % 3 === 0 ? pad(u16(19) % 10000, 4) : null;

  const components: Record<string, unknown>[] = [];
  const comp = (longText: string, shortText: string, types: string[], languageCode = 'en') =>
    components.push({ longText, shortText, types, languageCode });
  if (unit) comp(unit, unit, ['subpremise']);
  if (city.style === 'in') comp(`Shop ${number}`, `Shop ${number}`, ['premise']);
  else comp(String(number), String(number), ['street_number']);
  comp(streetLong, streetShort, ['route']);
  if (sublocality)
    comp(sublocality, sublocality, ['sublocality_level_1', 'sublocality', 'political']);
  if (city.locality) comp(city.locality, city.locality, ['locality', 'political']);
  if (city.postalTown) comp(city.postalTown, city.postalTown, ['postal_town']);
  if (city.admin2) comp(city.admin2, city.admin2, ['administrative_area_level_2', 'political']);
  comp(city.admin1[0], city.admin1[1], ['administrative_area_level_1', 'political']);
  comp(city.country[0], city.country[1], ['country', 'political']);
  comp(postalCode, postalCode, ['postal_code']);
  if (zipSuffix) comp(zipSuffix, zipSuffix, ['postal_code_suffix']);

  let streetLine: string;
  let formattedAddress: string;
  switch (city.style) {
    case 'us':
      streetLine = `${number} ${streetShort}${unit ? ` #${unit}` : ''}`;
      formattedAddress = `${streetLine}, ${city.locality}, ${city.admin1[1]} ${postalCode}, ${city.countryName}`;
      break;
    case 'uk':
      streetLine = `${number} ${streetShort}`;
      formattedAddress = `${streetLine}, ${city.postalTown} ${postalCode}, ${city.countryName}`;
      break;
    case 'de':
      streetLine = `${streetShort} ${number}`;
      formattedAddress = `${streetLine}, ${postalCode} ${city.locality}, ${city.countryName}`;
      break;
    case 'in':
      streetLine = `Shop ${number}, ${streetShort}`;
      formattedAddress = `${streetLine}, ${sublocality}, ${city.locality}, ${city.admin1[0]} ${postalCode}, ${city.countryName}`;
      break;
  }

  // Opening hours: weekdays from the category, Saturday shorter, Sunday sometimes closed.
  const open = category.open + (u8(20) % 2);
  const close = Math.min(24, category.close + (u8(21) % 3) - 1);
  const openMinute = u8(22) % 4 === 0 ? 30 : 0;
  const sundayClosed = u8(23) % 3 === 0;
  const allDay = category.primaryType === 'gym' && u8(24) % 4 === 0;
  const periods: Record<string, unknown>[] = [];
  const weekdayDescriptions = DAY_NAMES.map((dayName, i) => {
    const googleDay = (i + 1) % 7; // periods use 0 = Sunday
    if (allDay) return `${dayName}: Open 24 hours`;
    if (i === 6 && sundayClosed) return `${dayName}: Closed`;
    const dayOpen = i === 5 ? open + 1 : i === 6 ? open + 2 : open;
    const dayClose = i >= 5 ? Math.max(dayOpen + 4, close - 2) : close;
    periods.push({
      open: { day: googleDay, hour: dayOpen, minute: openMinute },
      close:
        dayClose === 24
          ? { day: (googleDay + 1) % 7, hour: 0, minute: 0 }
          : { day: googleDay, hour: dayClose, minute: 0 },
    });
    return `${dayName}: ${clock(dayOpen, openMinute)}\u2009–\u2009${clock(dayClose, 0)}`;
  });
  if (allDay) periods.push({ open: { day: 0, hour: 0, minute: 0 } });

  const statusRoll = u8(25) % 50;
  const businessStatus =
    statusRoll === 0 ? 'CLOSED_PERMANENTLY' : statusRoll < 3 ? 'CLOSED_TEMPORARILY' : 'OPERATIONAL';
  const hasRating = u8(26) % 20 !== 0;
  const rating = Math.round((3 + (u16(27) % 21) / 10) * 10) / 10; // 3.0 .. 5.0
  const userRatingCount = 1 + (u16(29) % 2500);
  const hasWebsite = u8(31) % 8 !== 0;
  const slug = name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const [nationalPhoneNumber, internationalPhoneNumber] = city.phone(u16(1) * 65536 + u16(3));
  const latitude = Math.round((city.lat + ((u16(5) - 32768) / 32768) * 0.05) * 1e7) / 1e7;
  const longitude = Math.round((city.lng + ((u16(7) - 32768) / 32768) * 0.05) * 1e7) / 1e7;

  const place: Record<string, unknown> = {
    name: `places/${placeId}`,
    id: placeId,
    types: [category.primaryType, ...category.types],
    nationalPhoneNumber,
    internationalPhoneNumber,
    formattedAddress,
    shortFormattedAddress: `${streetLine}, ${city.locality ?? city.postalTown}`,
    addressComponents: components,
    location: { latitude, longitude },
    ...(hasRating ? { rating } : {}),
    googleMapsUri: `https://maps.google.com/?cid=${h.readBigUInt64BE(0).toString()}`,
    ...(hasWebsite ? { websiteUri: `https://${slug}.example.com/` } : {}),
    regularOpeningHours: {
      openNow: false,
      periods,
      weekdayDescriptions,
    },
    utcOffsetMinutes: city.utcOffsetMinutes,
    businessStatus,
    ...(category.priced
      ? { priceLevel: pick(PRICE_LEVELS.slice(0, u8(30) % 9 === 0 ? 4 : 3), 9) }
      : {}),
    ...(hasRating ? { userRatingCount } : {}),
    displayName: { text: name, languageCode: 'en' },
    primaryTypeDisplayName: { text: category.display, languageCode: 'en-US' },
    primaryType: category.primaryType,
    timeZone: { id: city.timeZone },
  };
  return place;
}
