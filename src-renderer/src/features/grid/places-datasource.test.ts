import type { IGetRowsParams } from 'ag-grid-community';
import { describe, expect, test, vi } from 'vitest';
import type { ListPlacesOutput } from '../../../../src-shared/contract';
import type { ApiClient } from '../../api/client';
import { createPlacesDatasource } from './places-datasource';

/** A client whose listPlaces answers only when the test says so. */
function heldClient() {
  const pending: ((page: ListPlacesOutput) => void)[] = [];
  const client = {
    call: () => new Promise<ListPlacesOutput>((resolve) => pending.push(resolve)),
  } as unknown as ApiClient;
  return { client, answer: (page: ListPlacesOutput) => pending.shift()!(page) };
}

function rowsParams() {
  const params = {
    startRow: 0,
    endRow: 100,
    sortModel: [],
    filterModel: {},
    context: undefined,
    successCallback: vi.fn(),
    failCallback: vi.fn(),
  };
  // The datasource reads none of the grid's api or context.
  return params as typeof params & IGetRowsParams;
}

/** A datasource for no filter that has asked for its first block. */
function oneBlockAsked() {
  const { client, answer } = heldClient();
  const callbacks = { current: { onTotal: vi.fn(), onLoadError: vi.fn() } };
  const datasource = createPlacesDatasource(client, '{}', callbacks);
  const params = rowsParams();
  datasource.getRows(params);
  return { answer, callbacks, datasource, params };
}

const page = { items: [], total: 0, page: 1, size: 100 } as unknown as ListPlacesOutput;

describe('the places datasource', () => {
  test('a block answered after the grid replaced the datasource is still answered to the grid', async () => {
    const { answer, callbacks, datasource, params } = oneBlockAsked();
    // The reviewer changes the filter while the block is on its way: the grid drops this one.
    datasource.destroy!();
    answer(page);
    await vi.waitFor(() => expect(params.failCallback).toHaveBeenCalledTimes(1));
    expect(params.successCallback).not.toHaveBeenCalled();
    // Nothing of the old filter reaches the page.
    expect(callbacks.current.onTotal).not.toHaveBeenCalled();
  });

  test('a live block gets its rows and the total', async () => {
    const { answer, callbacks, params } = oneBlockAsked();
    answer(page);
    await vi.waitFor(() => expect(params.successCallback).toHaveBeenCalledWith([], 0));
    expect(callbacks.current.onTotal).toHaveBeenCalledWith(0, '{}');
  });
});
