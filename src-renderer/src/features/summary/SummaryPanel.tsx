import { useId } from 'react';
import type { PlacesSummary, ScanProgress, ScanSpend } from '../../../../src-shared/contract';
import { formatCount } from '../../../../src-shared/messages';
import { BarChart } from './BarChart';
import { ScanQueueProgress } from './ScanQueueProgress';
import { deepScanBars, statusBars } from './summary-model';

interface SummaryPanelProps {
  summary: PlacesSummary | null;
  progress: ScanProgress | null;
  /** Today's paid Places API calls (null: not known). */
  spend: ScanSpend | null;
  /** Folded to its heading, leaving the room to the place's details. */
  collapsed: boolean;
  onToggle(): void;
}

export function SummaryPanel({ summary, progress, spend, collapsed, onToggle }: SummaryPanelProps) {
  const bodyId = useId();
  return (
    <section
      className="summary-panel"
      aria-labelledby={`${bodyId}-title`}
      data-collapsed={collapsed}
    >
      <h2 id={`${bodyId}-title`}>
        <button
          type="button"
          className="disclosure"
          aria-expanded={!collapsed}
          aria-controls={bodyId}
          onClick={onToggle}
        >
          <span className="chevron" aria-hidden="true">
            ▸
          </span>
          Summary
          {summary ? <span className="muted"> · {formatCount(summary.total)} places</span> : null}
        </button>
      </h2>
      <div id={bodyId} hidden={collapsed}>
        {summary ? (
          <>
            <BarChart title="By status" bars={statusBars(summary)} />
            <BarChart title="By deep scan" bars={deepScanBars(summary.by_deep_scan_status)} />
            <ScanQueueProgress
              counts={summary.by_deep_scan_status}
              progress={progress}
              spend={spend}
            />
          </>
        ) : (
          <p className="muted">Counting…</p>
        )}
      </div>
    </section>
  );
}
