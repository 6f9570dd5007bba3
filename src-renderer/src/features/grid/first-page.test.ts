import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../api/client';
import { blockRequest, EarlyFirstPage } from './first-page';

function countingClient() {
  const calls: unknown[] = [];
  const client = {
    call: (name: string, input: unknown) => {
      calls.push({ name, input });
      return Promise.resolve({ items: [], total: 0 });
    },
  } as unknown as ApiClient;
  return { client, calls };
}

describe('the early first page', () => {
  const filter = { status: 'New' as const, q: 'blue oak' };
  const sort = { field: 'rating', direction: 'desc' } as const;

  it('is asked for once and handed to the first matching request, then never again', async () => {
    const { client, calls } = countingClient();
    const early = new EarlyFirstPage();
    early.ask(client, blockRequest(filter, sort, 0, 100, true));
    expect(calls).toHaveLength(1);
    const first = early.take(blockRequest(filter, sort, 0, 100, true));
    expect(first).not.toBeNull();
    await expect(first).resolves.toEqual({ items: [], total: 0 });
    expect(early.take(blockRequest(filter, sort, 0, 100, true))).toBeNull();
  });

  it('failed (refused before the sign-in, say), it is asked again when taken, not before', async () => {
    const calls: unknown[] = [];
    let answer: 'refuse' | 'rows' = 'refuse';
    const client = {
      call: (_name: string, input: unknown) => {
        calls.push(input);
        return answer === 'refuse'
          ? Promise.reject(new Error('unauthorized'))
          : Promise.resolve({ items: [], total: 7 });
      },
    } as unknown as ApiClient;
    const early = new EarlyFirstPage();
    early.ask(client, blockRequest(filter, sort, 0, 100, true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toHaveLength(1);
    answer = 'rows';
    await expect(early.take(blockRequest(filter, sort, 0, 100, true))).resolves.toEqual({
      items: [],
      total: 7,
    });
    expect(calls).toHaveLength(2);
  });

  it('is dropped when the grid asks for something else (another sort, block or filter)', () => {
    const { client } = countingClient();
    const early = new EarlyFirstPage();
    early.ask(client, blockRequest(filter, sort, 0, 100, true));
    expect(early.take(blockRequest(filter, null, 0, 100, true))).toBeNull();
    // Dropped: even the matching request now goes on its own.
    expect(early.take(blockRequest(filter, sort, 0, 100, true))).toBeNull();
  });

  it('builds the block request the datasource sends', () => {
    expect(blockRequest(filter, sort, 300, 100, false)).toMatchObject({
      page: 4,
      size: 100,
      sort: 'rating:desc',
      include_total: false,
    });
  });
});
