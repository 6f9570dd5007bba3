import { useEffect, useId, useRef, useState } from 'react';
import {
  resetColumns,
  withColumnHidden,
  type Density,
  type GridLayout,
  type LayoutColumn,
} from './layout';

interface ColumnChooserProps {
  layout: GridLayout;
  columns: readonly LayoutColumn[];
  onChange(change: (layout: GridLayout) => GridLayout): void;
}

const DENSITIES: { value: Density; label: string }[] = [
  { value: 'compact', label: 'Compact' },
  { value: 'comfortable', label: 'Comfortable' },
];

/**
 * Which columns show and how tall rows are: a button that opens a small panel of checkboxes
 * (Escape, a click or focus elsewhere closes it and focus returns to the button).
 */
export function ColumnChooser({ layout, columns, onChange }: ColumnChooserProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();
  const labels = new Map(columns.map((column) => [column.id, column]));

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLInputElement>('input:not(:disabled)')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div
      className="column-chooser"
      ref={root}
      onBlur={(event) => {
        if (open && !root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-label="Columns and density"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((value) => !value)}
      >
        Columns
      </button>
      {open ? (
        <div
          ref={panel}
          id={`${id}-panel`}
          className="column-chooser-panel"
          role="group"
          aria-label="Columns and density"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              close();
            }
          }}
        >
          <fieldset>
            <legend>Columns</legend>
            {layout.columns.map((column) => {
              const known = labels.get(column.id);
              if (!known) return null;
              return (
                <label key={column.id}>
                  <input
                    type="checkbox"
                    checked={!column.hidden}
                    disabled={known.locked}
                    onChange={(event) =>
                      onChange((current) =>
                        withColumnHidden(current, column.id, !event.target.checked, columns),
                      )
                    }
                  />
                  {known.label}
                  {known.locked ? <span className="muted"> (always shown)</span> : null}
                </label>
              );
            })}
          </fieldset>
          <fieldset>
            <legend>Rows</legend>
            {DENSITIES.map(({ value, label }) => (
              <label key={value}>
                <input
                  type="radio"
                  name={`${id}-density`}
                  value={value}
                  checked={layout.density === value}
                  onChange={() => onChange((current) => ({ ...current, density: value }))}
                />
                {label}
              </label>
            ))}
          </fieldset>
          <button
            type="button"
            onClick={() => onChange((current) => resetColumns(current, columns))}
          >
            Reset columns
          </button>
        </div>
      ) : null}
    </div>
  );
}
