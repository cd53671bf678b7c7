// The app's toasts: one queue, pushed to from anywhere, drained by a timer.
import { Observable } from '../state/observable';
import { dropErrors, dropToasts, pushToast, type Toast, type ToastTone } from '../state/toasts';

export class ToastCenter {
  readonly toasts = new Observable<readonly Toast[]>([]);
  private nextId = 1;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** `sticky`: the message stays until the buyer dismisses it. */
  push(message: string, tone: ToastTone = 'error', sticky = false): void {
    const toast = { id: this.nextId++, message, tone, sticky };
    this.toasts.update((list) => pushToast(list, toast, Date.now()));
    this.timer ??= setInterval(() => this.sweep(), 500);
  }

  /** Once the connection is back, errors it caused no longer hold. */
  clearErrors(): void {
    this.toasts.update(dropErrors);
  }

  dismiss(id: number): void {
    this.toasts.update((list) => list.filter((t) => t.id !== id));
  }

  private sweep(): void {
    this.toasts.update((list) => dropToasts(list, Date.now()));
    if (this.toasts.get().length === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
