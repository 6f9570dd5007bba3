import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export interface ToastAction {
  label: string;
  run(): void;
}

export interface Toast {
  id: number;
  kind: 'success' | 'error';
  message: string;
  action?: ToastAction;
  /** What the toast is about: a newer toast on the same topic replaces it, and dismissTopic ends it. */
  topic?: string;
}

export interface ToastApi {
  notify(kind: Toast['kind'], message: string, action?: ToastAction, topic?: string): void;
  /** The toasts on this topic stopped being true (the rows loaded after all): take them away. */
  dismissTopic(topic: string): void;
}

const SUCCESS_VISIBLE_MS = 8000;
const MAX_TOASTS = 4;

const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToasts must be used inside <ToastProvider>.');
  return api;
}

/**
 * Feedback for actions: successes with role="status" (they fade), errors with role="alert"
 * (they stay until dismissed, and may offer a retry).
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const api = useMemo<ToastApi>(
    () => ({
      notify(kind, message, action, topic) {
        const id = nextId.current++;
        // A new success replaces the previous one: only the latest counts are worth reading.
        setToasts((current) => [
          ...current
            .filter((toast) => kind === 'error' || toast.kind === 'error')
            .filter((toast) => topic === undefined || toast.topic !== topic)
            .slice(-(MAX_TOASTS - 1)),
          { id, kind, message, action, topic },
        ]);
        if (kind === 'success') setTimeout(() => dismiss(id), SUCCESS_VISIBLE_MS);
      },
      dismissTopic(topic) {
        setToasts((current) =>
          current.some((toast) => toast.topic === topic)
            ? current.filter((toast) => toast.topic !== topic)
            : current,
        );
      },
    }),
    [dismiss],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        className="toast-region"
        aria-label="Notifications"
        aria-live="polite"
        aria-relevant="additions text"
      >
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.kind}`}>
            <p role={toast.kind === 'error' ? 'alert' : 'status'}>{toast.message}</p>
            {toast.action ? (
              <button
                type="button"
                onClick={() => {
                  dismiss(toast.id);
                  toast.action?.run();
                }}
              >
                {toast.action.label}
              </button>
            ) : null}
            <button
              type="button"
              className="toast-close"
              aria-label="Dismiss"
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
