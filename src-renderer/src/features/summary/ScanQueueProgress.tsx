import type { PlacesSummary, ScanProgress, ScanSpend } from '../../../../src-shared/contract';
import { formatCount } from '../../../../src-shared/messages';
import { spendLine } from './spend-line';
import { queueProgress } from './summary-model';

interface ScanQueueProgressProps {
  counts: PlacesSummary['by_deep_scan_status'];
  progress: ScanProgress | null;
  spend: ScanSpend | null;
}

/** Finished scans out of everything queued, split into completed / failed / running / waiting. */
export function ScanQueueProgress({ counts, progress, spend }: ScanQueueProgressProps) {
  const queue = queueProgress(counts);
  const label = `${formatCount(queue.done)} of ${formatCount(queue.total)} scans finished`;
  return (
    <div className="scan-progress">
      <h3 id="scan-progress-title">Deep scan queue</h3>
      <div
        className="progress-track"
        role="progressbar"
        aria-labelledby="scan-progress-title"
        aria-valuemin={0}
        aria-valuemax={Math.max(queue.total, 1)}
        aria-valuenow={queue.done}
        aria-valuetext={label}
      >
        {queue.segments.map((segment) => (
          <span
            key={segment.key}
            className={`progress-segment segment-${segment.key.toLowerCase()}`}
            style={{ width: `${(segment.share * 100).toFixed(2)}%` }}
          />
        ))}
      </div>
      <p className="progress-legend">
        {queue.segments.map((segment) => (
          <span key={segment.key} className={`legend legend-${segment.key.toLowerCase()}`}>
            {formatCount(segment.count)} {segment.key.toLowerCase()}
          </span>
        ))}
      </p>
      {progress ? (
        <p className="muted">
          {progress.paused_reason
            ? `Scanning paused: ${progress.paused_reason}`
            : progress.running
              ? `${progress.scans_per_minute.toFixed(1)} scans per minute`
              : 'This server does not run the scanner; a desktop app or worker does.'}
        </p>
      ) : null}
      {spend ? (
        <p className="muted scan-spend" title="Paid Places API calls of the current UTC day">
          {spendLine(spend)}
        </p>
      ) : null}
      {progress && progress.cancelled > 0 ? (
        <p
          className="muted"
          title="Places that left Selected while their scan ran: not scanned again"
        >
          {formatCount(progress.cancelled)} {progress.cancelled === 1 ? 'scan' : 'scans'} cancelled
        </p>
      ) : null}
    </div>
  );
}
