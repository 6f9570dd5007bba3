import type { CustomCellRendererProps } from 'ag-grid-react';
import type { PlaceListItem } from '../../../../src-shared/contract';
import { scanStateLabel } from '../../../../src-shared/domain';

/** The deep scan status as a coloured badge; the error text shows in the cell's tooltip. */
export function DeepScanBadge({ data }: CustomCellRendererProps<PlaceListItem>) {
  if (!data) return null;
  const status = data.deep_scan_status;
  return (
    <span className={`badge badge-${(status ?? 'none').toLowerCase()}`}>
      {scanStateLabel(status)}
    </span>
  );
}
