import { formatCount } from '../../../../src-shared/messages';
import type { Bar } from './summary-model';

/** A small horizontal bar chart in plain CSS; the numbers are always written out too. */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  return (
    <figure className="bar-chart">
      <figcaption>{title}</figcaption>
      <ul>
        {bars.map((bar) => (
          <li key={bar.key} data-key={bar.key}>
            <span className="bar-label">{bar.label}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar-fill" style={{ width: `${(bar.fraction * 100).toFixed(1)}%` }} />
            </span>
            <span className="bar-count">{formatCount(bar.count)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
