import { useState } from 'react';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { plainErrorText } from '../feedback/error-text';
import { useToasts } from '../feedback/toasts';

/** A new store: say what the app is for and offer sample places to try it on, or an import. */
export function EmptyState({ onLoaded, onImport }: { onLoaded(): void; onImport(): void }) {
  const client = useClient();
  const { notify } = useToasts();
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setBusy(true);
    try {
      const result = await client.call('loadSampleData', {});
      notify('success', result.message);
      onLoaded();
    } catch (error) {
      notify('error', plainErrorText(toAppError(error), 'loading the sample data'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No places yet</h2>
      <p>
        Staging Editor is where you triage business leads found by map searches. Each place arrives
        as <strong>New</strong>; you mark it <strong>Selected</strong>, <strong>Maybe</strong>,{' '}
        <strong>Not a Fit</strong> or <strong>Archived</strong>. Selected places are queued for a
        deep scan that fetches their phone, website and opening hours.
      </p>
      <p>This store is empty. Load a few hundred made-up places to try it out.</p>
      <p>
        Or import your own: a CSV or JSON file with at least a place id and a name column, such as a
        map search’s export.
      </p>
      <div className="empty-actions">
        <button type="button" className="primary" onClick={load} disabled={busy} aria-busy={busy}>
          {busy ? 'Loading sample data…' : 'Load sample data'}
        </button>
        <button type="button" aria-haspopup="dialog" onClick={onImport}>
          Import places…
        </button>
      </div>
    </section>
  );
}
