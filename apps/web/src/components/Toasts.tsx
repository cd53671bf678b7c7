// Non-blocking messages, announced politely to screen readers; never alert().
import type { ToastCenter } from '../app/toast-center';
import { useObservable } from './hooks';

export function Toasts({ center }: { center: ToastCenter }) {
  const toasts = useObservable(center.toasts);
  return (
    <div className="toasts" data-testid="toast" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`}>
          <span className="toast-message">{toast.message}</span>
          <button
            type="button"
            className="toast-close"
            aria-label="Dismiss message"
            onClick={() => center.dismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
