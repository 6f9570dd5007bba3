import { MAX_PLACE_IDS_PER_REQUEST } from '../../../src-shared/domain';

/**
 * Sizes an end-to-end test may lower before the app starts (Playwright's `page.addInitScript`
 * sets `window.__STAGING_EDITOR_TEST_HOOKS__`), to reach paths a reviewer only meets with sizes
 * no test can click together: more than 10,000 explicitly ticked rows, for one. The app never
 * sets it, and a hook can only make a request smaller, never widen what the server accepts.
 */
interface TestHooks {
  maxIdsPerRequest?: unknown;
}

function testHooks(): TestHooks {
  const hooks = (globalThis as { __STAGING_EDITOR_TEST_HOOKS__?: unknown })
    .__STAGING_EDITOR_TEST_HOOKS__;
  return typeof hooks === 'object' && hooks !== null ? (hooks as TestHooks) : {};
}

/** Place ids per status request: the contract's limit, unless a test lowered it. */
export function maxIdsPerRequest(): number {
  const wanted = testHooks().maxIdsPerRequest;
  return typeof wanted === 'number' &&
    Number.isInteger(wanted) &&
    wanted >= 1 &&
    wanted < MAX_PLACE_IDS_PER_REQUEST
    ? wanted
    : MAX_PLACE_IDS_PER_REQUEST;
}
