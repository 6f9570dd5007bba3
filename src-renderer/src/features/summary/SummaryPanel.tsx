import type { PlacesSummary, ScanProgress } from '../../../../src-shared/contract';
import { formatCount } from '../../../../src-shared/messages';
import { BarChart } from './BarChart';
import { ScanQueueProgress } from './ScanQueueProgress';
import { deepScanBars, statusBars } from './summary-model';

interface SummaryPanelProps {
  summary: PlacesSummary | null;
  progress: ScanProgress | null;
}

export function SummaryPanel({ summary, progress }: SummaryPanelProps) {
  return (
    <section className="summary-panel" aria-labelledby="summary-title">
      <h2 id="summary-title">
        Summary
        {summary ? <span className="muted"> · {formatCount(summary.total)} places</span> : null}
      </h2>
      {summary ? (
        <>
          <BarChart title="By status" bars={statusBars(summary)} />
          <BarChart title="By deep scan" bars={deepScanBars(summary.by_deep_scan_status)} />
          <ScanQueueProgress counts={summary.by_deep_scan_status} progress={progress} />
        </>
      ) : (
        <p className="muted">Counting…</p>
      )}
    </section>
  );
}
