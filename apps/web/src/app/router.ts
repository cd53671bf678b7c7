// History routing: "/" (events), "/events/:id" (the seat map), "/orders/:id?key=" (an order's
// page), "/scan" (the gates' scanner), "/admin…" (the console).
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'events' }
  | { page: 'event'; eventId: string }
  | { page: 'order'; orderId: string }
  | { page: 'scan' }
  | { page: 'admin' }
  | { page: 'missing' };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/events') return { page: 'events' };
  if (path === '/admin' || path.startsWith('/admin/')) return { page: 'admin' };
  if (path === '/scan') return { page: 'scan' };
  const match = /^\/events\/([^/]+)$/.exec(path);
  if (match?.[1] !== undefined) return { page: 'event', eventId: decodeURIComponent(match[1]) };
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order?.[1] !== undefined) return { page: 'order', orderId: decodeURIComponent(order[1]) };
  return { page: 'missing' };
}

export function eventPath(eventId: string): string {
  return `/events/${encodeURIComponent(eventId)}`;
}

const listeners = new Set<() => void>();
/** Whether the page shown was reached inside the app (a link, back or forward), not loaded. */
let navigated = false;

export function navigatedInApp(): boolean {
  return navigated;
}

/** The path (and query) of an order's page, from its `url` (absolute with PUBLIC_URL). */
export function orderPagePath(url: string): string {
  const parsed = new URL(url, window.location.origin);
  return parsed.pathname + parsed.search;
}

/** `state` goes with the history entry (the order page reads whether it follows a purchase). */
export function navigate(path: string, state: unknown = null): void {
  if (path === window.location.pathname + window.location.search) return;
  navigated = true;
  window.history.pushState(state, '', path);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  navigated = true;
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The history entry's state of a purchase just made: the order page shows its confirmation. */
export function purchasedHere(orderId: string): boolean {
  const state: unknown = window.history.state;
  return (
    typeof state === 'object' &&
    state !== null &&
    (state as { purchased?: unknown }).purchased === orderId
  );
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
