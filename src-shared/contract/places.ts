import { z } from 'zod';
import {
  DEEP_SCAN_STATUSES,
  MAX_DECISIONS_PER_BATCH,
  MAX_PLACE_IDS_PER_REQUEST,
  PLACE_STATUSES,
  SORTABLE_FIELDS,
  deepScanFilterSchema,
  placeStatusSchema,
} from '../domain';
import { freeTextSchema, idSchema } from './text';

/** Query strings send '' for "no value": treat it as absent. */
export const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

export const placeIdSchema = idSchema(255);

/** The free-text search, in the list's query and in the status update's filter. */
const searchTextSchema = freeTextSchema(200);

export const placeIdListSchema = z
  .array(placeIdSchema, { error: 'must be an array of place id strings' })
  .min(1, 'must contain at least one place id')
  .max(
    MAX_PLACE_IDS_PER_REQUEST,
    `must contain at most ${MAX_PLACE_IDS_PER_REQUEST} place ids; use the filter form for larger selections`,
  );

export const placeFilterSchema = z.strictObject({
  status: optionalText(placeStatusSchema),
  deep_scan_status: optionalText(deepScanFilterSchema),
  q: optionalText(searchTextSchema),
});
export type PlaceFilter = z.infer<typeof placeFilterSchema>;

const sortSchema = z
  .string()
  .regex(
    new RegExp(`^(${SORTABLE_FIELDS.join('|')})(:(asc|desc))?$`),
    `must be a field name, optionally followed by ":asc" or ":desc"; fields: ${SORTABLE_FIELDS.join(', ')}`,
  );

const booleanFlag = z.preprocess(
  (v) => (v === 'false' || v === '0' ? false : v === 'true' || v === '1' ? true : v),
  z.boolean(),
);

export const listPlacesInput = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    size: z.coerce
      .number()
      .int()
      .min(1, 'must be between 1 and 1000')
      .max(1000, 'must be between 1 and 1000')
      .default(50),
    status: optionalText(placeStatusSchema),
    deep_scan_status: optionalText(deepScanFilterSchema),
    q: optionalText(searchTextSchema),
    sort: optionalText(sortSchema),
    /** The grid asks for the total with the first block of a filter only: counting is the slow part. */
    include_total: booleanFlag.default(true),
    /**
     * Keyset paging: the place id of the last row of page `page - 1` (same filter and sort). The
     * page then starts right after that place instead of counting `(page - 1) x size` rows; if the
     * place is gone it is read by its number. Only with page 2 or later.
     */
    after: optionalText(placeIdSchema),
  })
  .superRefine((value, ctx) => {
    if (value.after !== undefined && value.page < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['after'],
        message: 'goes with page 2 or later: it names the last place of the page before',
      });
    }
  });
export type ListPlacesInput = z.infer<typeof listPlacesInput>;

const isoDate = z.string();

export const placeListItemSchema = z.object({
  place_id: z.string(),
  business_name: z.string(),
  address: z.string().nullable(),
  category: z.string().nullable(),
  search_location: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  rating: z.number().nullable(),
  reviews_count: z.number().int().nullable(),
  price_level: z.number().int().nullable(),
  status: z.enum(PLACE_STATUSES),
  deep_scan_status: z.enum(DEEP_SCAN_STATUSES).nullable(),
  deep_scan_error: z.string().nullable(),
  updated_at: isoDate,
  updated_by: z.string().nullable(),
});
export type PlaceListItem = z.infer<typeof placeListItemSchema>;

export const listPlacesOutput = z.object({
  items: z.array(placeListItemSchema),
  /** null when the request asked for no total (include_total=false). */
  total: z.number().int().nullable(),
  page: z.number().int(),
  size: z.number().int(),
  pages: z.number().int().nullable(),
});
export type ListPlacesOutput = z.infer<typeof listPlacesOutput>;

export const localBusinessSchema = z.object({
  place_id: z.string(),
  business_name: z.string().nullable(),
  full_address: z.string().nullable(),
  street_address: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  zip: z.string().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
  website_url: z.string().nullable(),
  main_category: z.string().nullable(),
  extra_categories: z.array(z.string()).nullable(),
  rating: z.number().nullable(),
  reviews_count: z.number().int().nullable(),
  price_text: z.string().nullable(),
  business_status: z.string().nullable(),
  monday_hours: z.string().nullable(),
  tuesday_hours: z.string().nullable(),
  wednesday_hours: z.string().nullable(),
  thursday_hours: z.string().nullable(),
  friday_hours: z.string().nullable(),
  saturday_hours: z.string().nullable(),
  sunday_hours: z.string().nullable(),
  timezone: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  additional_json: z.unknown(),
  created_at: isoDate,
  updated_at: isoDate,
});
export type LocalBusinessOutput = z.infer<typeof localBusinessSchema>;

export const getPlaceInput = z.object({ place_id: placeIdSchema });

export const placeDetailSchema = placeListItemSchema.extend({
  vicinity: z.string().nullable(),
  search_query: z.string().nullable(),
  notes: z.string().nullable(),
  raw_data: z.unknown(),
  deep_scan_attempts: z.number().int(),
  created_at: isoDate,
  local_business: localBusinessSchema.nullable(),
});
export type PlaceDetail = z.infer<typeof placeDetailSchema>;

export const updateStatusInput = z
  .strictObject({
    place_ids: placeIdListSchema.optional(),
    filter: placeFilterSchema.optional(),
    exclude_ids: z
      .array(placeIdSchema, { error: 'must be an array of place id strings' })
      .optional(),
    status: placeStatusSchema,
    /** Count what the update would do (to ask before queueing many paid scans); write nothing. */
    dry_run: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.place_ids === undefined) === (value.filter === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['place_ids'],
        message: 'give either "place_ids" or "filter" (all rows matching), not both or neither',
      });
    }
    if (value.exclude_ids !== undefined && value.filter === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['exclude_ids'],
        message: '"exclude_ids" goes with "filter" only',
      });
    }
  });
export type UpdateStatusInput = z.infer<typeof updateStatusInput>;

export const updateStatusOutput = z.object({
  message: z.string(),
  updated_count: z.number().int(),
  queued_count: z.number().int(),
  dequeued_count: z.number().int(),
  not_found: z.array(z.string()),
  /** Places the request matched (changed or not). */
  matched_count: z.number().int(),
  /** With Selected: matched places already Queued or Processing, left alone. */
  already_queued_count: z.number().int(),
  /** With Selected: matched places whose scan had completed, left alone. */
  already_scanned_count: z.number().int(),
  /** Pass to undoStatusUpdate within UNDO_WINDOW_SECONDS; null when nothing changed. */
  undo_token: z.string().nullable(),
});
export type UpdateStatusOutput = z.infer<typeof updateStatusOutput>;

/**
 * Decisions typed ahead (one key each), applied in their order in one transaction: each is its
 * own update with its own undo token, exactly as if sent one by one.
 */
export const updateStatusesInput = z
  .strictObject({
    decisions: z
      .array(z.strictObject({ place_ids: placeIdListSchema, status: placeStatusSchema }), {
        error: 'must be an array of {place_ids, status}',
      })
      .min(1, 'must contain at least one decision')
      .max(
        MAX_DECISIONS_PER_BATCH,
        `must contain at most ${MAX_DECISIONS_PER_BATCH} decisions; send the rest in another batch`,
      ),
  })
  .superRefine((value, ctx) => {
    const ids = value.decisions.reduce((n, d) => n + d.place_ids.length, 0);
    if (ids > MAX_PLACE_IDS_PER_REQUEST) {
      ctx.addIssue({
        code: 'custom',
        path: ['decisions'],
        message: `must name at most ${MAX_PLACE_IDS_PER_REQUEST} place ids in all; use the filter form for larger selections`,
      });
    }
  });
export type UpdateStatusesInput = z.infer<typeof updateStatusesInput>;

export const updateStatusesOutput = z.object({
  /** One per decision, in the order sent. */
  results: z.array(updateStatusOutput),
});
export type UpdateStatusesOutput = z.infer<typeof updateStatusesOutput>;

export const undoStatusUpdateInput = z.strictObject({
  undo_token: idSchema(100, 'must be the undo_token of a status update'),
});
export const undoStatusUpdateOutput = z.object({
  message: z.string(),
  /** Places put back as they were. */
  restored_count: z.number().int(),
  /** Places left as they are: their scan started, or someone changed them since. */
  skipped_count: z.number().int(),
});
export type UndoStatusUpdateOutput = z.infer<typeof undoStatusUpdateOutput>;

export const queueDeepScanInput = z.strictObject({ place_ids: placeIdListSchema });
export const queueDeepScanOutput = z.object({
  message: z.string(),
  queued_count: z.number().int(),
  /** Places left alone because their status is not Selected: only Selected places are scanned. */
  not_selected_count: z.number().int(),
  not_found: z.array(z.string()),
});
export type QueueDeepScanOutput = z.infer<typeof queueDeepScanOutput>;
