import { useId, useRef, useState } from 'react';
import type { PlaceFilter } from '../../../../src-shared/contract';
import {
  DEEP_SCAN_FILTER_NONE,
  DEEP_SCAN_STATUSES,
  NEVER_QUEUED,
  PLACE_STATUSES,
  type DeepScanFilter,
  type PlaceStatus,
} from '../../../../src-shared/domain';
import { formatCount } from '../../../../src-shared/messages';
import { isFilterActive } from './view-state';

const SEARCH_DEBOUNCE_MS = 300;

interface FilterBarProps {
  filter: PlaceFilter;
  onChange(update: (filter: PlaceFilter) => PlaceFilter): void;
  /** Rows matching the filter, once the grid has counted them. */
  total: number | null;
}

export function FilterBar({ filter, onChange, total }: FilterBarProps) {
  const [text, setText] = useState(filter.q ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const id = useId();

  const applyText = (q: string) => {
    clearTimeout(timer.current);
    onChange((current) => ({ ...current, q }));
  };
  const onTextChange = (q: string) => {
    setText(q);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => applyText(q), SEARCH_DEBOUNCE_MS);
  };
  const clearAll = () => {
    setText('');
    clearTimeout(timer.current);
    onChange(() => ({}));
  };

  return (
    <search className="filter-bar" aria-label="Filter places">
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={filter.status ?? ''}
          onChange={(e) =>
            onChange((f) => ({
              ...f,
              status: (e.target.value || undefined) as PlaceStatus | undefined,
            }))
          }
        >
          <option value="">Any status</option>
          {PLACE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-scan`}>Deep scan status</label>
        <select
          id={`${id}-scan`}
          value={filter.deep_scan_status ?? ''}
          onChange={(e) =>
            onChange((f) => ({
              ...f,
              deep_scan_status: (e.target.value || undefined) as DeepScanFilter | undefined,
            }))
          }
        >
          <option value="">Any scan state</option>
          <option value={DEEP_SCAN_FILTER_NONE}>{NEVER_QUEUED}</option>
          {DEEP_SCAN_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-grow">
        <label htmlFor={`${id}-search`}>Search</label>
        <input
          id={`${id}-search`}
          type="search"
          value={text}
          placeholder="Name, address or category"
          maxLength={200}
          onChange={(e) => onTextChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applyText(text);
          }}
        />
      </div>
      <p className="filter-count" aria-live="polite">
        {total === null ? 'Counting…' : `${formatCount(total)} ${total === 1 ? 'place' : 'places'}`}
      </p>
      {/* Always laid out (hidden while there is nothing to clear) so the search box keeps its width. */}
      <button
        type="button"
        className="link-button clear-filters"
        data-active={isFilterActive(filter) || text ? 'yes' : 'no'}
        onClick={clearAll}
      >
        Clear filters
      </button>
    </search>
  );
}
