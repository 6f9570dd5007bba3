import type { ReactNode } from 'react';
import { formatDateTime } from '../format/values';

export function formatValue(value: unknown): ReactNode {
  if (value === null || value === undefined || value === '')
    return <span className="muted">—</span>;
  if (Array.isArray(value))
    return value.length ? value.join(', ') : <span className="muted">—</span>;
  return String(value);
}

export function formatDate(value: string | null): ReactNode {
  if (!value) return formatValue(null);
  return Number.isNaN(new Date(value).getTime()) ? (
    value
  ) : (
    <time dateTime={value}>{formatDateTime(value)}</time>
  );
}

/** A definition list of label/value pairs. */
export function Fields({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="fields">
      {rows.map(([label, value]) => (
        <div key={label} className="field-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Large JSON blobs, folded away until asked for. */
export function RawJson({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <details className="raw-json">
      <summary>{label}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
