import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

interface ModalDialogProps {
  open: boolean;
  onClose(): void;
  /** The id of the dialog's heading. */
  labelledBy: string;
  className?: string;
  /** False while work runs that closing would leave half seen (an import): Escape does nothing. */
  closable?: boolean;
  children: ReactNode;
}

/** Whether a modal dialog is open: the page's shortcuts and the desktop menu's commands wait. */
export function dialogIsOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * A modal <dialog>: the page behind is inert, Escape closes it (unless `closable` is false), Tab
 * and Shift+Tab go round the dialog's own controls, and on closing focus goes back to the element
 * that opened it. On opening, focus goes to the control marked `data-autofocus`, else to the
 * first one that can take it. (React's `autoFocus` runs before the dialog is shown, so it does nothing here; and a
 * scrolling list counts as a control in Chromium, ahead of the buttons after it.)
 */
export function ModalDialog({
  open,
  onClose,
  labelledBy,
  className,
  closable = true,
  children,
}: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocusTo = useRef<Element | null>(null);

  // Refusing the dialog's cancel event holds only once: Chromium closes on the next Escape. The
  // key itself is refused, before the dialog sees it, wherever the focus is.
  useEffect(() => {
    if (!open || closable) return;
    const refuseEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') event.preventDefault();
    };
    window.addEventListener('keydown', refuseEscape, { capture: true });
    return () => window.removeEventListener('keydown', refuseEscape, { capture: true });
  }, [open, closable]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      returnFocusTo.current = document.activeElement;
      element.showModal();
      element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (element) => element.offsetParent !== null || element === document.activeElement,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      className={`modal-dialog ${className ?? ''}`}
      aria-labelledby={labelledBy}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        if (!closable) event.preventDefault();
      }}
      onClose={() => {
        onClose();
        const opener = returnFocusTo.current;
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
