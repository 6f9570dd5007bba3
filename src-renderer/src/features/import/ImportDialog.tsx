import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { importMessage } from '../../../../src-shared/contract/import';
import type { ImportFile } from '../../../../src-shared/import-file';
import { formatCount } from '../../../../src-shared/messages';
import { useClient } from '../../api/client-context';
import { ModalDialog } from '../feedback/ModalDialog';
import { useToasts } from '../feedback/toasts';
import { useStepFocus } from '../feedback/use-step-focus';
import {
  importButtonText,
  problemsHeading,
  problemsShown,
  problemText,
  progressText,
  readyText,
  samplePlaces,
} from './import-preview';
import { runImport, type ImportProgress, type ImportResult } from './import-run';
import type { ReadFile } from './read-import-file';

interface ImportDialogProps {
  open: boolean;
  onClose(): void;
  /** Places went in: the grid and the summary re-read (also without the live event stream). */
  onImported(): void;
}

/** Places from a CSV or JSON file: choose it, see what will go in and what won't, import. */
export function ImportDialog({ open, onClose, onImported }: ImportDialogProps) {
  const [running, setRunning] = useState(false);
  return (
    <ModalDialog
      open={open}
      onClose={onClose}
      labelledBy="import-title"
      className="import-dialog"
      closable={!running}
    >
      <ImportBody onImported={onImported} onRunningChange={setRunning} />
    </ModalDialog>
  );
}

type Stage =
  | { step: 'choose' }
  /** fraction: the share of the file read so far, from 0 to 1. */
  | { step: 'reading'; name: string; fraction: number }
  | { step: 'preview'; name: string; read: ReadFile }
  | { step: 'running'; name: string; progress: ImportProgress; stopping: boolean }
  | { step: 'finished'; name: string; result: ImportResult };

/** A file that could not be read at all, as the preview shows a file-level error. */
const unreadable = (error: string): ImportFile => ({
  format: 'csv',
  rows: 0,
  places: [],
  problems: [],
  columns: [],
  error,
});

function ImportBody({
  onImported,
  onRunningChange,
}: {
  onImported(): void;
  onRunningChange(running: boolean): void;
}) {
  const client = useClient();
  const { notify } = useToasts();
  const [stage, setStage] = useState<Stage>({ step: 'choose' });
  const reading = useRef<AbortController | null>(null);
  const stopper = useRef<AbortController | null>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const inputId = useId();
  const hintId = useId();

  // Closed while reading a file, the read stops; while running (only by the app: Escape is
  // refused meanwhile), no further request is sent.
  useEffect(
    () => () => {
      reading.current?.abort();
      stopper.current?.abort();
      onRunningChange(false);
    },
    [onRunningChange],
  );

  useStepFocus(stage.step, stopButton, closeButton);

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return; // the chooser was cancelled: the file shown before stays
    // A file still being read gives way to the one chosen now.
    reading.current?.abort();
    const read = new AbortController();
    reading.current = read;
    setStage({ step: 'reading', name: chosen.name, fraction: 0 });
    let result: ReadFile;
    try {
      const [bytes, { readFile }] = await Promise.all([
        chosen.arrayBuffer(),
        import('./read-import-file'),
      ]);
      // Once per chosen file: the preview and the import both use this result.
      result = await readFile(new Uint8Array(bytes), {
        signal: read.signal,
        onProgress: (fraction) =>
          setStage((current) =>
            current.step === 'reading' && reading.current === read
              ? { ...current, fraction }
              : current,
          ),
      });
    } catch (thrown) {
      if (read.signal.aborted) return;
      result = {
        file: unreadable(`Could not read the file: ${(thrown as Error).message}`),
        targets: [],
        encoding: 'utf-8',
      };
    }
    if (reading.current !== read) return;
    reading.current = null;
    setStage({ step: 'preview', name: chosen.name, read: result });
  };

  const start = async (name: string, file: ImportFile) => {
    const stop = new AbortController();
    stopper.current = stop;
    onRunningChange(true);
    setStage({
      step: 'running',
      name,
      progress: { sent: 0, total: file.places.length, inserted: 0, skipped: 0 },
      stopping: false,
    });
    const result = await runImport(file.places, (input) => client.call('importPlaces', input), {
      signal: stop.signal,
      onProgress: (progress) =>
        setStage((current) => (current.step === 'running' ? { ...current, progress } : current)),
    });
    stopper.current = null;
    onRunningChange(false);
    setStage({ step: 'finished', name, result });
    // Also as a toast: it stays on the desk, with the new rows, once the dialog is closed.
    notify(result.outcome === 'failed' ? 'error' : 'success', result.message);
    if (result.progress.sent > 0) onImported();
  };

  const stop = () => {
    stopper.current?.abort();
    setStage((current) => (current.step === 'running' ? { ...current, stopping: true } : current));
  };

  if (stage.step === 'running' || stage.step === 'finished') {
    return (
      <>
        <h2 id="import-title">Import places</h2>
        <p className="import-file-name">{stage.name}</p>
        {stage.step === 'running' ? (
          <RunningView progress={stage.progress} />
        ) : (
          <p
            className={`import-result import-result-${stage.result.outcome}`}
            role={stage.result.outcome === 'failed' ? 'alert' : 'status'}
          >
            {stage.result.message}
          </p>
        )}
        {stage.step === 'running' ? (
          <div className="dialog-actions">
            {/* Stays focusable while stopping (aria-disabled): the keys stay in the dialog. */}
            <button
              ref={stopButton}
              type="button"
              aria-disabled={stage.stopping}
              aria-describedby={hintId}
              onClick={stage.stopping ? undefined : stop}
            >
              {stage.stopping ? 'Stopping…' : 'Stop'}
            </button>
            <span id={hintId} className="visually-hidden">
              The request under way finishes; no further one is sent.
            </span>
          </div>
        ) : (
          <form method="dialog" className="dialog-actions">
            <button ref={closeButton} type="submit">
              Close
            </button>
          </form>
        )}
      </>
    );
  }

  return (
    <>
      <h2 id="import-title">Import places</h2>
      <p className="muted">
        A CSV file with a header row (comma, semicolon or tab separated) or a JSON array, with at
        least a place id and a name column, such as a map search’s export. Each place arrives as{' '}
        <strong>New</strong>; a place whose id the store already has is skipped.
      </p>
      <div className="import-choose">
        <label htmlFor={inputId}>Choose a file</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,.json,.txt"
          onChange={(event) => void choose(event)}
        />
      </div>
      <div className="import-body">
        {stage.step === 'reading' ? (
          <ReadingView name={stage.name} fraction={stage.fraction} />
        ) : stage.step === 'preview' ? (
          <Preview name={stage.name} read={stage.read} />
        ) : null}
      </div>
      <form method="dialog" className="dialog-actions">
        <button type="submit">Cancel</button>
        {stage.step === 'preview' && stage.read.file.error === null ? (
          <button
            type="button"
            className="primary"
            disabled={stage.read.file.places.length === 0}
            onClick={() => void start(stage.name, stage.read.file)}
          >
            {importButtonText(stage.read.file.places.length)}
          </button>
        ) : null}
      </form>
    </>
  );
}

function Preview({ name, read: { file, targets, encoding } }: { name: string; read: ReadFile }) {
  if (file.error !== null) {
    return (
      <section className="import-preview" aria-label={name}>
        <p className="import-file-name">{name}</p>
        <p className="inline-error" role="alert">
          {file.error}
        </p>
        {file.columns.length > 0 ? (
          <p className="muted">Its columns: {file.columns.map((c) => c.name).join(', ')}</p>
        ) : null}
      </section>
    );
  }
  const { shown, more } = problemsShown(file.problems);
  return (
    <section className="import-preview" aria-label={name}>
      <p className="import-file-name">{name}</p>
      <p role="status" className="import-ready">
        <strong>{readyText(file.places.length)}</strong>
        {file.problems.length > 0 ? (
          <span className="muted">
            {' '}
            (of {formatCount(file.rows)} {file.format === 'json' ? 'items' : 'rows'})
          </span>
        ) : null}
      </p>
      {encoding === 'windows-1252' ? (
        <p className="muted import-encoding">
          The file is not UTF-8, so it was read as Windows-1252 (what Excel’s plain CSV uses on
          Windows). Check that accented names look right below; if not, save it again as “CSV
          UTF-8”.
        </p>
      ) : null}
      <SampleTable file={file} />
      {file.problems.length > 0 ? (
        <div className="import-problems">
          <h3 id="import-problems-title">{problemsHeading(file.format, file.problems.length)}</h3>
          <ul aria-labelledby="import-problems-title">
            {shown.map((problem) => (
              <li key={problem.row}>{problemText(file.format, problem)}</li>
            ))}
          </ul>
          {more > 0 ? <p className="muted">and {formatCount(more)} more</p> : null}
        </div>
      ) : null}
      <table className="import-columns">
        <caption>Columns</caption>
        <thead>
          <tr>
            <th scope="col">In the file</th>
            <th scope="col">Imported as</th>
          </tr>
        </thead>
        <tbody>
          {file.columns.map((column, index) => (
            <tr key={index} data-ignored={column.field === null ? 'yes' : undefined}>
              <th scope="row">{column.name}</th>
              <td>{targets[index]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SampleTable({ file }: { file: ImportFile }) {
  const { headers, rows } = samplePlaces(file);
  if (rows.length === 0) return null;
  return (
    <div className="import-sample">
      <table>
        <caption>
          {rows.length === 1 ? 'The first place' : `The first ${rows.length} places`}
        </caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReadingView({ name, fraction }: { name: string; fraction: number }) {
  const percent = Math.round(fraction * 100);
  return (
    <div className="import-preview">
      <p role="status">Reading {name}…</p>
      <div
        className="progress-track import-progress"
        role="progressbar"
        aria-label="Reading the file"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% read`}
      >
        <span className="progress-segment segment-completed" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function RunningView({ progress }: { progress: ImportProgress }) {
  const text = progressText(progress);
  const share = progress.total === 0 ? 0 : progress.sent / progress.total;
  return (
    <>
      <p aria-hidden="true">{text}</p>
      <div
        className="progress-track import-progress"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.sent}
        aria-valuetext={text}
      >
        <span
          className="progress-segment segment-completed"
          style={{ width: `${(share * 100).toFixed(1)}%` }}
        />
      </div>
      <p className="muted">
        {progress.sent === 0
          ? 'Sending the first places…'
          : `So far: ${importMessage(progress.inserted, progress.skipped)}.`}
      </p>
    </>
  );
}
