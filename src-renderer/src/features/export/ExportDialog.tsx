import { useEffect, useId, useRef, useState } from 'react';
import type { PlaceFilter } from '../../../../src-shared/contract/places';
import { exportFileName } from '../../../../src-shared/contract/export';
import { useClient } from '../../api/client-context';
import { ModalDialog } from '../feedback/ModalDialog';
import { useToasts } from '../feedback/toasts';
import { useStepFocus } from '../feedback/use-step-focus';
import { runExport, type ExportProgress } from './export-run';
import { exportButtonText, exportedPlacesText, exportedText, progressText } from './export-text';

interface ExportDialogProps {
  open: boolean;
  onClose(): void;
  /** The filter the grid applies (not a search still being typed): the places exported. */
  filter: PlaceFilter;
  /** The places it matches as the grid counted them; null while the grid counts. */
  total: number | null;
}

/** The grid's filter as a CSV file: says what goes in, reads it page by page, saves it. */
export function ExportDialog({ open, onClose, filter, total }: ExportDialogProps) {
  const [running, setRunning] = useState(false);
  return (
    <ModalDialog
      open={open}
      onClose={onClose}
      labelledBy="export-title"
      className="export-dialog"
      closable={!running}
    >
      <ExportBody filter={filter} total={total} onRunningChange={setRunning} />
    </ModalDialog>
  );
}

type Stage =
  | { step: 'ready' }
  /** what: the places being exported, in words, as they were when the export began. */
  | { step: 'running'; what: string; progress: ExportProgress }
  /** empty: every page was read but no place matched any more (nothing to save). */
  | {
      step: 'finished';
      outcome: 'done' | 'empty' | 'stopped' | 'failed';
      message: string;
      fileName?: string;
    };

/**
 * Hands the file to the browser as a download: a blob: URL of the page's own (the one kind the
 * desktop app lets through, offering it in a save dialog: src-main/electron/downloads.ts) on a
 * link named after the file, clicked. The URL is revoked a tick later, once the download has
 * taken the blob (Chromium takes it at the click; the tick is for any engine that takes it later).
 */
function saveFile(parts: string[], fileName: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url));
}

function ExportBody({
  filter,
  total,
  onRunningChange,
}: {
  filter: PlaceFilter;
  total: number | null;
  onRunningChange(running: boolean): void;
}) {
  const client = useClient();
  const { notify } = useToasts();
  const [stage, setStage] = useState<Stage>({ step: 'ready' });
  const stopper = useRef<AbortController | null>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const hintId = useId();

  // Closed while running (only by the app: Escape is refused meanwhile): no further page is
  // read, and no file is saved.
  useEffect(
    () => () => {
      stopper.current?.abort();
      onRunningChange(false);
    },
    [onRunningChange],
  );

  useStepFocus(stage.step, stopButton, closeButton);

  const start = async () => {
    const stop = new AbortController();
    stopper.current = stop;
    onRunningChange(true);
    setStage({
      step: 'running',
      what: exportedPlacesText(filter, total),
      progress: { read: 0, total },
    });
    const result = await runExport(filter, (input) => client.call('exportPlaces', input), {
      total,
      signal: stop.signal,
      onProgress: (progress) =>
        setStage((current) => (current.step === 'running' ? { ...current, progress } : current)),
    });
    stopper.current = null;
    onRunningChange(false);
    if (result.outcome === 'done') {
      if (result.count === 0) {
        setStage({
          step: 'finished',
          outcome: 'empty',
          message: 'No places match this filter any more: there was nothing to export.',
        });
        return;
      }
      const fileName = exportFileName(new Date());
      saveFile(result.parts, fileName);
      const message = exportedText(result.count, fileName);
      setStage({ step: 'finished', outcome: 'done', message, fileName });
      // Also as a toast: it stays on the desk a while once the dialog is closed.
      notify('success', message);
      return;
    }
    setStage({ step: 'finished', outcome: result.outcome, message: result.message });
    // A stop is the reviewer's own doing, said in the dialog; a failure stays on the desk too.
    if (result.outcome === 'failed') notify('error', result.message);
  };

  const title = <h2 id="export-title">Export places</h2>;

  if (stage.step === 'running') {
    return (
      <>
        {title}
        <p className="export-what">
          <strong>{stage.what}</strong>
        </p>
        <RunningView progress={stage.progress} />
        <div className="dialog-actions">
          <button
            ref={stopButton}
            type="button"
            aria-describedby={hintId}
            onClick={() => stopper.current?.abort()}
          >
            Stop
          </button>
          <span id={hintId} className="visually-hidden">
            No file is saved: the places read so far are dropped.
          </span>
        </div>
      </>
    );
  }

  if (stage.step === 'finished') {
    return (
      <>
        {title}
        <p
          className={`export-result export-result-${stage.outcome}`}
          role={stage.outcome === 'failed' ? 'alert' : 'status'}
        >
          {stage.fileName ? (
            <WithFileName text={stage.message} fileName={stage.fileName} />
          ) : (
            stage.message
          )}
        </p>
        <form method="dialog" className="dialog-actions">
          <button ref={closeButton} type="submit">
            Close
          </button>
        </form>
      </>
    );
  }

  if (total === 0) {
    return (
      <>
        {title}
        <p role="status">No places match this filter, so there is nothing to export.</p>
        <form method="dialog" className="dialog-actions">
          <button type="submit" data-autofocus>
            Close
          </button>
        </form>
      </>
    );
  }

  return (
    <>
      {title}
      <p className="export-what">
        <strong>{exportedPlacesText(filter, total)}</strong>: every row the grid’s filter finds, not
        only those on screen. Rows you have ticked don’t narrow it; the filter does.
      </p>
      <p className="muted">
        A CSV file for spreadsheets, one row per place: the grid’s fields, then what the place’s
        deep scan found (phone, website, business status, address parts, categories and opening
        hours for each weekday; empty where no scan has run). The import reads it back as it is.
      </p>
      <form method="dialog" className="dialog-actions">
        <button type="submit">Cancel</button>
        {/* Exporting writes nothing: Enter at once is safe, and the quickest way through. */}
        <button type="button" className="primary" data-autofocus onClick={() => void start()}>
          {exportButtonText(total)}
        </button>
      </form>
    </>
  );
}

/** The message with the file's name kept on one line: a hyphen in it is no place to break. */
function WithFileName({ text, fileName }: { text: string; fileName: string }) {
  const at = text.lastIndexOf(fileName);
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <span className="export-file-name">{fileName}</span>
      {text.slice(at + fileName.length)}
    </>
  );
}

function RunningView({ progress }: { progress: ExportProgress }) {
  const text = progressText(progress);
  const { read, total } = progress;
  const share = total === null || total === 0 ? 0 : read / total;
  return (
    <>
      <p aria-hidden="true">{text}</p>
      {/* Without the grid's count the bar is indeterminate: no value, and only the text moves. */}
      <div
        className="progress-track export-progress"
        role="progressbar"
        aria-label="Export progress"
        aria-valuemin={total === null ? undefined : 0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total === null ? undefined : read}
        aria-valuetext={text}
      >
        <span
          className="progress-segment segment-completed"
          style={{ width: `${(share * 100).toFixed(1)}%` }}
        />
      </div>
    </>
  );
}
