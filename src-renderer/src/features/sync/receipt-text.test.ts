import { describe, expect, it } from 'vitest';
import type { SyncReceipt } from '../../../../src-shared/contract';
import { placeLabel, receiptStateText } from './receipt-text';

const receipt: SyncReceipt = {
  mutation_id: '0195f0c4-9b1e-7000-8000-000000000001',
  place_id: 'p1',
  business_name: 'Café Nord',
  target_status: 'Selected',
  state: 'pending',
  decided_at: '2025-03-10T10:00:00Z',
  reason: null,
};

describe('receipts in words', () => {
  it('each state', () => {
    expect(receiptStateText(receipt)).toBe('Pending');
    expect(receiptStateText({ ...receipt, state: 'synced' })).toBe('Synced');
    expect(receiptStateText({ ...receipt, state: 'conflict' })).toBe('Conflict');
    expect(receiptStateText({ ...receipt, state: 'rejected', reason: 'no such place' })).toBe(
      'Rejected: no such place',
    );
    expect(receiptStateText({ ...receipt, state: 'rejected' })).toBe('Rejected');
  });

  it('a place without a name shows its id', () => {
    expect(placeLabel(receipt)).toBe('Café Nord');
    expect(placeLabel({ ...receipt, business_name: null })).toBe('p1');
    expect(placeLabel({ ...receipt, business_name: '  ' })).toBe('p1');
  });
});
