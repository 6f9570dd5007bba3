import { scanStateLabel } from '../../../../src-shared/domain';
import {
  formatCategory,
  formatPriceLevel,
  formatRating,
  formatWholeNumber,
} from '../format/values';
import { Fields, formatDate, formatValue, RawJson } from './Fields';
import { LocalBusinessSection } from './LocalBusinessSection';
import { usePlaceDetail } from './use-place-detail';

/** Every field of the focused place, and its deep scan result once there is one. */
export function DetailPanel({ placeId }: { placeId: string | null }) {
  const { detail, error, loading } = usePlaceDetail(placeId);
  return (
    <section className="detail-panel" aria-labelledby="detail-title" aria-busy={loading}>
      <h2 id="detail-title">{detail?.business_name ?? 'Place details'}</h2>
      {placeId === null ? (
        <p className="muted">
          Click a row, or move to it with the arrow keys, to see everything about it here.
        </p>
      ) : error ? (
        <p className="inline-error">Could not load this place: {error.detail}</p>
      ) : !detail ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <Fields
            rows={[
              ['Status', detail.status],
              ['Deep scan', scanStateLabel(detail.deep_scan_status)],
              ...(detail.deep_scan_error
                ? ([['Scan error', detail.deep_scan_error]] as [string, string][])
                : []),
              ['Scan attempts', String(detail.deep_scan_attempts)],
              ['Address', formatValue(detail.address)],
              ['Vicinity', formatValue(detail.vicinity)],
              ['Category', formatValue(formatCategory(detail.category))],
              ['Rating', formatValue(formatRating(detail.rating))],
              ['Reviews', formatValue(formatWholeNumber(detail.reviews_count))],
              ['Price level', formatValue(formatPriceLevel(detail.price_level))],
              ['Search location', formatValue(detail.search_location)],
              ['Search query', formatValue(detail.search_query)],
              [
                'Coordinates',
                detail.latitude !== null && detail.longitude !== null
                  ? `${detail.latitude}, ${detail.longitude}`
                  : formatValue(null),
              ],
              ['Notes', formatValue(detail.notes)],
              ['Place ID', <code key="id">{detail.place_id}</code>],
              ['Created', formatDate(detail.created_at)],
              ['Updated', formatDate(detail.updated_at)],
              ['Updated by', formatValue(detail.updated_by)],
            ]}
          />
          {detail.local_business ? (
            <LocalBusinessSection business={detail.local_business} />
          ) : (
            <p className="muted">No deep scan result yet.</p>
          )}
          <RawJson label="Raw search data" value={detail.raw_data} />
        </>
      )}
    </section>
  );
}
