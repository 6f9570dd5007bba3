import type { SyncConflict, SyncReceipt } from '../../../../src-shared/contract';

/** A receipt's state in words: "Pending", "Synced", "Conflict", "Rejected: <why>". */
export function receiptStateText(receipt: SyncReceipt): string {
  switch (receipt.state) {
    case 'pending':
      return 'Pending';
    case 'synced':
      return 'Synced';
    case 'conflict':
      return 'Conflict';
    case 'rejected':
      return receipt.reason ? `Rejected: ${receipt.reason}` : 'Rejected';
  }
}

/** A place's name as listed, or its id when the store has no name for it. */
export function placeLabel(item: Pick<SyncConflict, 'business_name' | 'place_id'>): string {
  return item.business_name?.trim() ? item.business_name : item.place_id;
}
