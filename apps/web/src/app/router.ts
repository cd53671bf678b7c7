// History routing: "/" (events), "/events/:id" (the seat map), "/admin…" (the console).
import { useSyncExternalStore } from 'react';

export type Route =
  { page: 'events' } | { page: 'event'; eventId: string } | { page: 'admin' } | { page: 'missing' };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/events') return { page: 'events' };
  if (path === '/admin' || path.startsWith('/admin/')) return { page: 'admin' };
  const match = /^\/events\/([^/]+)$/.exec(path);
  if (match?.[1] !== undefined) return { page: 'event', eventId: decodeURIComponent(match[1]) };
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

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  navigated = true;
  window.history.pushState(null, '', path);
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

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
