import { normaliseSearchText } from '../../src-shared/domain';
import type { NewPlaceRow } from '../db/rows';

/** The folded text free-text search matches: name, address and category. Every insert path sets it. */
export function placeSearchText(
  row: Pick<NewPlaceRow, 'name' | 'formatted_address' | 'business_type'>,
): string {
  return normaliseSearchText(
    [row.name, row.formatted_address, row.business_type].filter(Boolean).join(' '),
  );
}
