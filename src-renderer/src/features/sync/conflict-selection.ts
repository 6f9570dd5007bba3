import type {
  ResolveConflictsInput,
  ResolveConflictsOutput,
  SyncConflict,
} from '../../../../src-shared/contract';
import { MAX_PLACE_IDS_PER_REQUEST } from '../../../../src-shared/domain';
import { formatCount } from '../../../../src-shared/messages';

export type Keep = ResolveConflictsInput['keep'];

/** Ticks one conflict's box on or off (a new set: React state). */
export function toggleOne(selected: ReadonlySet<string>, placeId: string): Set<string> {
  const next = new Set(selected);
  if (next.has(placeId)) next.delete(placeId);
  else next.add(placeId);
  return next;
}

/** The header box: everything listed when not all of it is ticked, else nothing. */
export function toggleAll(
  selected: ReadonlySet<string>,
  items: readonly SyncConflict[],
): Set<string> {
  const all = items.length > 0 && items.every((item) => selected.has(item.place_id));
  return all ? new Set() : new Set(items.map((item) => item.place_id));
}

/** After the list is read again: ticks only on conflicts still listed (resolved ones drop out). */
export function keepListed(
  selected: ReadonlySet<string>,
  items: readonly SyncConflict[],
): Set<string> {
  const listed = new Set(items.map((item) => item.place_id));
  return new Set([...selected].filter((id) => listed.has(id)));
}

/** The header box's state: checked, unchecked, or mixed (some ticked). */
export function headerState(
  selected: ReadonlySet<string>,
  items: readonly SyncConflict[],
): 'all' | 'none' | 'some' {
  const ticked = items.filter((item) => selected.has(item.place_id)).length;
  if (ticked === 0) return 'none';
  return ticked === items.length ? 'all' : 'some';
}

/** The bulk buttons' text: "Keep mine for 3", "Accept theirs for 1,200". */
export function bulkLabel(keep: Keep, count: number): string {
  return `${keep === 'mine' ? 'Keep mine' : 'Accept theirs'} for ${formatCount(count)}`;
}

/**
 * What resolving these places sends: one request per 10,000 place ids (the contract's limit),
 * each id once, in the order given.
 */
export function resolveRequests(
  placeIds: Iterable<string>,
  keep: Keep,
  maxIds = MAX_PLACE_IDS_PER_REQUEST,
): ResolveConflictsInput[] {
  const unique = [...new Set(placeIds)];
  const requests: ResolveConflictsInput[] = [];
  for (let start = 0; start < unique.length; start += maxIds) {
    requests.push({ place_ids: unique.slice(start, start + maxIds), keep });
  }
  return requests;
}

/**
 * The sentence after resolving: the server's own message for one request; for several, the
 * summed counts.
 */
export function describeResolved(outputs: readonly ResolveConflictsOutput[], keep: Keep): string {
  if (outputs.length === 1) return outputs[0]!.message;
  const resolved = outputs.reduce((sum, output) => sum + output.resolved_count, 0);
  const notFound = outputs.reduce((sum, output) => sum + output.not_found.length, 0);
  const parts = [
    `${formatCount(resolved)} ${resolved === 1 ? 'conflict' : 'conflicts'} resolved (${keep === 'mine' ? 'kept mine' : 'accepted theirs'})`,
  ];
  if (notFound > 0) parts.push(`${formatCount(notFound)} no longer in conflict`);
  return parts.join(', ');
}
