/**
 * The reviewers of `npm run bench -- --only concurrency`, in a process of their own (so their
 * requests and the server don't share one event loop): BENCH_REVIEWERS loops against the HTTP
 * API at BENCH_URL for BENCH_SECONDS, each with its own token and seeded generator. Each loop
 * asks, 70% of the time, for a grid page, else sends a decision of 20 places (half as one status
 * update, half as a batch of 4 decisions of 5). Pages (BENCH_PAGING):
 * - `grid` (default), as the grid asks for them: a reviewer looks at a view (a random filter and
 *   a random sort of every sortable column, either direction) and scrolls it. A new view's first
 *   block comes with its total; 80% of the next requests are the block after the last one, by
 *   keyset (`after`), 10% a jump to a random page of the view by number, 10% a new view.
 * - `jumps`: every page a random page of a random view and sort, by number (the first block of
 *   a filter with its total).
 * Page latencies are also kept by how the page was asked for (first, next, jump). Reviewer r decides only places r, r + n, r + 2n, ... of the
 * seeded sample data, one request at a time, so the state each decided place must end in is
 * known exactly; it is simulated here by the dual-status rule from the places' seeded status.
 * Prints one JSON line: latencies by kind, errors, and the expected state of every decided place.
 * With BENCH_DEBUG set it also prints the 25 slowest kinds of request (by mean) to stderr.
 */
import { samplePlace, samplePlaceId } from '../src-main/places/sample-data';
import {
  PLACE_STATUSES,
  SORTABLE_FIELDS,
  type DeepScanStatus,
  type PlaceStatus,
} from '../src-shared/domain';
import { seededRandom } from '../src-shared/random';

const url = process.env.BENCH_URL!;
const tokens = JSON.parse(process.env.BENCH_TOKENS!) as string[];
const ROWS = Number(process.env.BENCH_ROWS);
const DATA_SEED = Number(process.env.BENCH_DATA_SEED);
const SECONDS = Number(process.env.BENCH_SECONDS);
const RANDOM_SEED = Number(process.env.BENCH_RANDOM_SEED);
const PAGE_SIZE = 100;
const PAGING = (process.env.BENCH_PAGING ?? 'grid') as 'grid' | 'jumps';
const DECISION_SIZE = 20;

const FILTERS: Record<string, string>[] = [
  {},
  { status: 'New' },
  { status: 'Maybe' },
  { status: 'Archived' },
  { status: 'Selected' },
  { deep_scan_status: 'none' },
  { deep_scan_status: 'Queued' },
  { q: 'oak' },
  { q: 'chicago' },
  { status: 'New', q: 'cafe' },
];
const SORTS = SORTABLE_FIELDS.flatMap((f) => [f, `${f}:desc`]);

type Kind = 'page' | 'decision';
const latencies: Record<Kind, number[]> = { page: [], decision: [] };
type PageKind = 'first' | 'next' | 'jump';
const pageLatencies: Record<PageKind, number[]> = { first: [], next: [], jump: [] };
const errors: string[] = [];
const debug: [number, string][] = [];

interface PlaceState {
  status: PlaceStatus;
  scan: DeepScanStatus | null;
  by: string | null;
}
/** The places decided, as the dual-status rule leaves them after each reviewer's decisions. */
const expected = new Map<string, PlaceState>();

function apply(placeIndex: number, status: PlaceStatus, user: string): void {
  const id = samplePlaceId(DATA_SEED, placeIndex);
  const place = expected.get(id) ?? {
    status: samplePlace(DATA_SEED, placeIndex).status ?? 'New',
    scan: null,
    by: null,
  };
  const queueable = place.scan === null || place.scan === 'Error';
  const touched =
    place.status !== status || (status === 'Selected' ? queueable : place.scan === 'Queued');
  if (touched) {
    if (status === 'Selected' && queueable) place.scan = 'Queued';
    if (status !== 'Selected' && place.scan === 'Queued') place.scan = null;
    place.status = status;
    place.by = user;
  }
  expected.set(id, place);
}

async function call(
  kind: Kind,
  token: string,
  path: string,
  init: { method: string; body?: unknown },
): Promise<unknown> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}${path}`, {
      method: init.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const body = (await res.json()) as unknown;
    if (res.status !== 200) {
      errors.push(`${kind} ${init.method} ${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
      return null;
    }
    latencies[kind].push(performance.now() - started);
    if (process.env.BENCH_DEBUG)
      debug.push([performance.now() - started, `${init.method} ${path}`]);
    return body;
  } catch (error) {
    errors.push(`${kind} ${init.method} ${path}: ${(error as Error).message}`);
    return null;
  }
}

async function reviewer(r: number, deadline: number): Promise<void> {
  const random = seededRandom(RANDOM_SEED * 1000 + r);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const token = tokens[r]!;
  const user = `reviewer-${r + 1}`;
  const totals = new Map<string, number>();
  const mine = Math.floor(ROWS / tokens.length);
  /** Distinct places of this reviewer's share. */
  const places = (n: number) => {
    const picked = new Set<number>();
    while (picked.size < n) picked.add(r + tokens.length * Math.floor(random() * mine));
    return [...picked];
  };
  /** The view this reviewer scrolls (grid paging): its query, total, and last block read. */
  let view: { filter: Record<string, string>; sort: string; total: number } | null = null;
  let last: { page: number; placeId: string } | null = null;
  const askPage = async (
    how: PageKind,
    filter: Record<string, string>,
    sort: string,
    page: number,
    after?: string,
  ) => {
    const first = how === 'first';
    const query = new URLSearchParams({
      ...filter,
      sort,
      page: String(page),
      size: String(PAGE_SIZE),
      include_total: String(first),
      ...(after ? { after } : {}),
    });
    const started = performance.now();
    const body = (await call('page', token, `/api/v3/places/staging?${query}`, {
      method: 'GET',
    })) as { total: number | null; items: { place_id: string }[] } | null;
    if (body) pageLatencies[how].push(performance.now() - started);
    return body;
  };
  /** The block this reviewer read last, in the view it scrolls (grid paging). */
  const remember = (page: number, body: { items: { place_id: string }[] } | null) => {
    last = body?.items.length === PAGE_SIZE ? { page, placeId: body.items.at(-1)!.place_id } : null;
  };
  const pageAsTheGridDoes = async () => {
    const roll = random();
    if (!view || !last || roll < 0.1) {
      const filter = pick(FILTERS);
      const sort = pick(SORTS);
      const body = await askPage('first', filter, sort, 1);
      view = body?.total != null ? { filter, sort, total: body.total } : null;
      remember(1, body);
    } else if (roll < 0.2 || last.page >= Math.ceil(view.total / PAGE_SIZE)) {
      const page = 1 + Math.floor(random() * Math.max(1, Math.ceil(view.total / PAGE_SIZE)));
      remember(page, await askPage('jump', view.filter, view.sort, page));
    } else {
      const page = last.page + 1;
      remember(page, await askPage('next', view.filter, view.sort, page, last.placeId));
    }
  };
  const pageByJumps = async () => {
    const filter = pick(FILTERS);
    const key = JSON.stringify(filter);
    const total = totals.get(key);
    const first = total === undefined || random() < 0.1;
    const page = first ? 1 : 1 + Math.floor(random() * Math.max(1, Math.ceil(total! / PAGE_SIZE)));
    const body = await askPage(first ? 'first' : 'jump', filter, pick(SORTS), page);
    if (body?.total != null) totals.set(key, body.total);
  };
  while (performance.now() < deadline) {
    if (random() < 0.7) {
      await (PAGING === 'grid' ? pageAsTheGridDoes() : pageByJumps());
    } else if (random() < 0.5) {
      const ids = places(DECISION_SIZE);
      const status = pick(PLACE_STATUSES);
      const body = await call('decision', token, '/api/v3/places/staging/status', {
        method: 'PUT',
        body: { place_ids: ids.map((i) => samplePlaceId(DATA_SEED, i)), status },
      });
      if (body) for (const i of ids) apply(i, status, user);
    } else {
      const ids = places(DECISION_SIZE);
      const decisions = [0, 1, 2, 3].map((d) => ({
        places: ids.slice(d * 5, d * 5 + 5),
        status: pick(PLACE_STATUSES),
      }));
      const body = await call('decision', token, '/api/v3/places/staging/status/batch', {
        method: 'POST',
        body: {
          decisions: decisions.map((d) => ({
            place_ids: d.places.map((i) => samplePlaceId(DATA_SEED, i)),
            status: d.status,
          })),
        },
      });
      if (body) for (const d of decisions) for (const i of d.places) apply(i, d.status, user);
    }
  }
}

const started = performance.now();
const deadline = started + SECONDS * 1000;
await Promise.all(tokens.map((_, r) => reviewer(r, deadline)));
const elapsed = (performance.now() - started) / 1000;
if (process.env.BENCH_DEBUG) {
  const groups = new Map<string, number[]>();
  for (const [ms, what] of debug) {
    const q = new URLSearchParams(what.split('?')[1] ?? '');
    const key = what.startsWith('GET')
      ? `page ${q.get('include_total') === 'true' ? 'total ' : ''}${q.get('q') ? 'q ' : ''}${q.get('status') ? 'status ' : ''}${q.get('deep_scan_status') ?? ''} ${q.get('sort')}`
      : what;
    groups.set(key, [...(groups.get(key) ?? []), ms]);
  }
  const rows = [...groups].map(
    ([k, xs]) => [k, xs.length, xs.reduce((a, b) => a + b, 0) / xs.length] as const,
  );
  rows.sort((a, b) => b[2] - a[2]);
  for (const [k, n, avg] of rows.slice(0, 25))
    console.error(`${avg.toFixed(0).padStart(6)} ms  x${n}  ${k}`);
}
console.log(
  JSON.stringify({
    elapsed,
    latencies,
    pageLatencies,
    errors,
    expected: [...expected].map(([id, s]) => [id, s.status, s.by]),
  }),
);
