// Non-blocking messages: a short queue, deduplicated by text, each dismissed after a while or,
// for those the buyer must not miss (a hold that ran out), only by the buyer.
export type ToastTone = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
  /** Epoch ms after which the toast goes away; Infinity: until the buyer dismisses it. */
  until: number;
}

export const TOAST_MS = 5000;
export const MAX_TOASTS = 3;

/** Adds a toast; the same message again just stays up longer instead of stacking. */
export function pushToast(
  toasts: readonly Toast[],
  toast: { id: number; message: string; tone: ToastTone; sticky?: boolean },
  now: number,
): Toast[] {
  const { sticky = false, ...shown } = toast;
  const rest = toasts.filter((t) => t.message !== toast.message);
  return [...rest, { ...shown, until: sticky ? Infinity : now + TOAST_MS }].slice(-MAX_TOASTS);
}

export function dropToasts(toasts: readonly Toast[], now: number): readonly Toast[] {
  return toasts.some((t) => t.until <= now) ? toasts.filter((t) => t.until > now) : toasts;
}

/** The info and success toasts: what is left once the errors no longer hold. */
export function dropErrors(toasts: readonly Toast[]): readonly Toast[] {
  return toasts.some((t) => t.tone === 'error') ? toasts.filter((t) => t.tone !== 'error') : toasts;
}
