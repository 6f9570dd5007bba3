import { useEffect, type RefObject } from 'react';

/**
 * A dialog whose pressed button goes away as it moves on (an import or export: its start button
 * gives way to Stop, Stop to Close): focus goes to the button that replaced it, so the keys keep
 * working.
 */
export function useStepFocus(
  step: string,
  stopButton: RefObject<HTMLButtonElement | null>,
  closeButton: RefObject<HTMLButtonElement | null>,
): void {
  useEffect(() => {
    if (step === 'running') stopButton.current?.focus();
    if (step === 'finished') closeButton.current?.focus();
  }, [step, stopButton, closeButton]);
}
