import { useEffect, useState } from 'react';
import type { SyncReceipt } from '../../../../src-shared/contract';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { plainErrorText } from '../feedback/error-text';
import { ModalDialog } from '../feedback/ModalDialog';
import { formatAgo } from './age';
import { placeLabel, receiptStateText } from './receipt-text';
import { useNow } from './use-now';

const RECEIPTS_SHOWN = 100;

interface ReceiptsDialogProps {
  open: boolean;
  onClose(): void;
}

/** The reviewer's latest offline decisions, newest first, with what became of each. */
export function ReceiptsDialog({ open, onClose }: ReceiptsDialogProps) {
  return (
    <ModalDialog
      open={open}
      onClose={onClose}
      labelledBy="receipts-title"
      className="sync-dialog receipts-dialog"
    >
      <ReceiptsBody />
    </ModalDialog>
  );
}

type Loaded = { items: SyncReceipt[] } | { error: string } | null;

function ReceiptsBody() {
  const client = useClient();
  const now = useNow();
  const [loaded, setLoaded] = useState<Loaded>(null);

  useEffect(() => {
    client.call('syncReceipts', { limit: RECEIPTS_SHOWN }).then(
      ({ items }) => setLoaded({ items }),
      (thrown: unknown) =>
        setLoaded({ error: plainErrorText(toAppError(thrown), 'reading your offline decisions') }),
    );
  }, [client]);

  return (
    <>
      <h2 id="receipts-title">Recent offline decisions</h2>
      <p className="muted">Your last {RECEIPTS_SHOWN} decisions made offline, newest first.</p>
      {loaded === null ? (
        <p className="muted">Reading…</p>
      ) : 'error' in loaded ? (
        <p className="inline-error" role="alert">
          {loaded.error}
        </p>
      ) : loaded.items.length === 0 ? (
        <p>No decisions made offline yet.</p>
      ) : (
        <div className="sync-table-wrap">
          <table className="sync-table">
            <thead>
              <tr>
                <th scope="col">Place</th>
                <th scope="col">Decision</th>
                <th scope="col">When</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {loaded.items.map((receipt) => (
                <tr key={receipt.mutation_id} data-state={receipt.state}>
                  <th scope="row">{placeLabel(receipt)}</th>
                  <td>{receipt.target_status}</td>
                  <td title={new Date(receipt.decided_at).toLocaleString()}>
                    {formatAgo(receipt.decided_at, now)}
                  </td>
                  <td>
                    <span className={`receipt-state receipt-${receipt.state}`}>
                      {receiptStateText(receipt)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form method="dialog" className="dialog-actions">
        <button type="submit" data-autofocus>
          Close
        </button>
      </form>
    </>
  );
}
