import { WEEKDAY_COLUMNS, type LocalBusinessFields } from './map-to-local-business';
import { googleErrorBodySchema, placeDetailsSchema, type PlaceDetails } from './schema';

/**
 * Client for Place Details (New): `GET {baseUrl}/v1/places/{place_id}` with the headers
 * `X-Goog-Api-Key` and `X-Goog-FieldMask`.
 *
 * Every failure is a {@link PlacesApiError} whose `kind` tells the scheduler what to do:
 * - `transient`: network error, timeout, cancellation, HTTP 408 or 5xx: retry with backoff;
 * - `rate_limited`: HTTP 429: retry later (`retryAfterSeconds` when the server said so);
 * - `permanent`: HTTP 400/404 (and other 4xx), a redirect, or a 2xx whose body is not a
 *   Place: set `Error` at once;
 * - `auth`: HTTP 401/403, or a 400 that says the API key is invalid: pause scanning.
 *
 * The API key is sent only as a header. It never appears in an error's message, stack or
 * properties: any text copied out of a response is redacted first, and no raw error object
 * (which could carry request details) is attached as `cause`.
 */

/**
 * The field mask, field by field, with the local_businesses columns each one fills
 * (map-to-local-business.ts): the mask asks for what the table stores and nothing else, because
 * a Place Details call is billed at the SKU of its most expensive field (README, "Fewer paid
 * fields"). `id` fills no column: it is the answer's identity, which the response schema checks
 * (IDs Only, the free tier). Every stored column but additional_json (the whole answer, as
 * asked) has its field here; test/scan/field-mask.test.ts holds the two lists together.
 */
export const PLACE_DETAILS_FIELD_COLUMNS = {
  id: [],
  // Place Details Essentials
  formattedAddress: ['full_address'],
  addressComponents: ['street_address', 'city', 'state', 'zip', 'country'],
  location: ['latitude', 'longitude'],
  types: ['extra_categories'],
  // Place Details Pro
  displayName: ['business_name'],
  businessStatus: ['business_status'],
  primaryType: ['main_category', 'extra_categories'],
  primaryTypeDisplayName: ['main_category'],
  timeZone: ['timezone'],
  // Place Details Enterprise: any one of these bills the call as Enterprise
  internationalPhoneNumber: ['phone'],
  websiteUri: ['website_url'],
  rating: ['rating'],
  userRatingCount: ['reviews_count'],
  priceLevel: ['price_text'],
  regularOpeningHours: [...WEEKDAY_COLUMNS],
} as const satisfies Record<string, readonly (keyof LocalBusinessFields)[]>;

/** The fields the deep scan asks for (top-level Place fields; billing depends on this list). */
export const PLACE_DETAILS_FIELDS = Object.keys(PLACE_DETAILS_FIELD_COLUMNS) as Array<
  keyof typeof PLACE_DETAILS_FIELD_COLUMNS
>;

/** The value sent in `X-Goog-FieldMask`. */
export const PLACE_DETAILS_FIELD_MASK = PLACE_DETAILS_FIELDS.join(',');

export const DEFAULT_PLACES_TIMEOUT_MS = 10_000;

export interface PlacesClientOptions {
  /** e.g. `https://places.googleapis.com` (a trailing slash is fine). */
  baseUrl: string;
  apiKey: string;
  /** Whole request, body included. Default 10000. */
  timeoutMs?: number;
  /** Overrides {@link PLACE_DETAILS_FIELD_MASK}. */
  fieldMask?: string;
  /** Optional `languageCode` query parameter (the API defaults to English). */
  languageCode?: string;
}

export interface PlacesClient {
  fetchPlaceDetails(placeId: string, signal?: AbortSignal): Promise<PlaceDetails>;
}

export type PlacesApiErrorKind = 'transient' | 'rate_limited' | 'permanent' | 'auth';

export class PlacesApiError extends Error {
  override readonly name = 'PlacesApiError';
  readonly kind: PlacesApiErrorKind;
  /** The HTTP status, or null when no response arrived (network error, timeout). */
  readonly httpStatus: number | null;
  /** From a `Retry-After` header, in whole seconds (>= 0), else null. */
  readonly retryAfterSeconds: number | null;
  /** Google's `error.status` (e.g. "NOT_FOUND"), when the body had one. */
  readonly apiStatus: string | null;

  constructor(
    kind: PlacesApiErrorKind,
    message: string,
    details: {
      httpStatus?: number | null;
      retryAfterSeconds?: number | null;
      apiStatus?: string | null;
    } = {},
  ) {
    super(message);
    this.kind = kind;
    this.httpStatus = details.httpStatus ?? null;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
    this.apiStatus = details.apiStatus ?? null;
  }
}

/** Anything shaped like a Google API key ("AIza" + 35 characters). */
const GOOGLE_KEY_PATTERN = /AIza[0-9A-Za-z_-]{35}/g;
const MAX_COPIED_TEXT = 300;

/** Removes the key (raw and URL-encoded) and anything shaped like a Google key from `text`. */
export function redactSecret(text: string, apiKey: string): string {
  let out = text;
  if (apiKey.length > 0) {
    const forms = new Set([apiKey, encodeURIComponent(apiKey)]);
    for (const form of forms) out = out.split(form).join('[REDACTED]');
  }
  return out.replace(GOOGLE_KEY_PATTERN, '[REDACTED]');
}

export function createPlacesClient(options: PlacesClientOptions): PlacesClient {
  const apiKey = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new Error('Places API key is not configured');
  }
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new Error(
      `Places API base URL is not a valid URL: ${redactSecret(String(options.baseUrl), apiKey)}`,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(
      `Places API base URL must be http(s): ${redactSecret(options.baseUrl, apiKey)}`,
    );
  }
  const baseUrl = `${base.origin}${base.pathname}`.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_PLACES_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`Places API timeout must be a positive number of ms (got ${timeoutMs})`);
  }
  const fieldMask = options.fieldMask ?? PLACE_DETAILS_FIELD_MASK;
  const query = options.languageCode
    ? `?languageCode=${encodeURIComponent(options.languageCode)}`
    : '';
  const redact = (text: string) => redactSecret(text, apiKey);
  /** Text copied out of a response or an error: redacted, on one line, clipped. */
  const copyOut = (text: string) => clip(redact(redact(text).replace(/\s+/g, ' ').trim()));

  async function fetchPlaceDetails(placeId: string, signal?: AbortSignal): Promise<PlaceDetails> {
    if (typeof placeId !== 'string' || placeId.trim() === '') {
      throw new PlacesApiError('permanent', 'invalid place id: empty');
    }
    // URL parsers resolve "." and ".." path segments (even percent-encoded): never a place id.
    if (/^\.{1,2}$/.test(placeId)) {
      throw new PlacesApiError('permanent', `invalid place id: ${JSON.stringify(placeId)}`);
    }
    const url = `${baseUrl}/v1/places/${encodeURIComponent(placeId)}${query}`;
    // One controller per request, fed by a timer and the caller's signal. (Not AbortSignal.any:
    // combining with a long-lived caller signal leaks on Node 20.)
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    else signal?.addEventListener('abort', onCallerAbort, { once: true });

    let status: number;
    let headers: Headers;
    let bodyText: string;
    try {
      const res = await fetch(url, {
        method: 'GET',
        headers: {
          'X-Goog-Api-Key': apiKey,
          'X-Goog-FieldMask': fieldMask,
          Accept: 'application/json',
        },
        // A redirect could carry the key header to another origin: never follow one.
        redirect: 'manual',
        signal: controller.signal,
      });
      status = res.status;
      headers = res.headers;
      bodyText = await res.text();
    } catch (err) {
      if (timedOut) {
        throw new PlacesApiError('transient', `Places API request timed out after ${timeoutMs} ms`);
      }
      if (signal?.aborted) {
        throw new PlacesApiError('transient', 'Places API request was cancelled');
      }
      throw new PlacesApiError('transient', `Places API network error: ${copyOut(describe(err))}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }

    if (status >= 200 && status < 300) return parseDetails(bodyText, status);
    throw errorFromResponse(status, headers, bodyText);
  }

  function parseDetails(bodyText: string, status: number): PlaceDetails {
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      throw new PlacesApiError(
        'permanent',
        `Places API unexpected response: body is not valid JSON (HTTP ${status}): ${copyOut(bodyText) || '(empty body)'}`,
        { httpStatus: status },
      );
    }
    const parsed = placeDetailsSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
        .join('; ');
      throw new PlacesApiError(
        'permanent',
        `Places API unexpected response: ${copyOut(issues)}${parsed.error.issues.length > 3 ? '; ...' : ''}`,
        { httpStatus: status },
      );
    }
    return parsed.data;
  }

  function errorFromResponse(status: number, headers: Headers, bodyText: string): PlacesApiError {
    const { message, apiStatus, reasons } = readGoogleError(bodyText);
    const apiMessage = copyOut(message ?? bodyText) || `HTTP ${status}`;
    const label = apiStatus ? `HTTP ${status} ${apiStatus}` : `HTTP ${status}`;
    const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'));
    const details = { httpStatus: status, retryAfterSeconds, apiStatus };

    const keyInvalid =
      reasons.some((r) => r.startsWith('API_KEY_')) || /api key not valid/i.test(message ?? '');
    if (status === 401 || status === 403 || (status === 400 && keyInvalid)) {
      return new PlacesApiError(
        'auth',
        `Places API key rejected (HTTP ${status}): ${apiMessage}`,
        details,
      );
    }
    if (status === 429) {
      return new PlacesApiError(
        'rate_limited',
        `Places API rate limited (${label}): ${apiMessage}`,
        details,
      );
    }
    if (status >= 500 || status === 408) {
      return new PlacesApiError(
        'transient',
        `Places API server error (${label}): ${apiMessage}`,
        details,
      );
    }
    if (status >= 300 && status < 400) {
      return new PlacesApiError(
        'permanent',
        `Places API unexpected redirect (HTTP ${status}); check the API base URL`,
        details,
      );
    }
    if (status === 404) {
      return new PlacesApiError(
        'permanent',
        `Places API: place not found (${label}): ${apiMessage}`,
        details,
      );
    }
    return new PlacesApiError(
      'permanent',
      `Places API rejected the request (${label}): ${apiMessage}`,
      details,
    );
  }

  return { fetchPlaceDetails };
}

function readGoogleError(bodyText: string): {
  message: string | null;
  apiStatus: string | null;
  reasons: string[];
} {
  try {
    const parsed = googleErrorBodySchema.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      const e = parsed.data.error;
      return {
        message: e.message ?? null,
        apiStatus: e.status ?? null,
        reasons: (e.details ?? []).flatMap((d) => (d.reason ? [d.reason] : [])),
      };
    }
  } catch {
    // not JSON: fall through
  }
  return { message: null, apiStatus: null, reasons: [] };
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** A short description of a fetch failure: the underlying code/message, never the request. */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
    }
    return err.message;
  }
  return String(err);
}

/** Truncates already-redacted text (cutting a redacted text cannot reveal a secret). */
function clip(text: string): string {
  return text.length > MAX_COPIED_TEXT ? `${text.slice(0, MAX_COPIED_TEXT)}...` : text;
}
