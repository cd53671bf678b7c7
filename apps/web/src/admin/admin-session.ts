// The organiser's admin token, kept for this tab only (sessionStorage: gone when the tab closes,
// never in a URL, never in localStorage), and the typed client that sends it.
import { ApiError, TicketmainClient } from '@ticketmain/client';

const KEY = 'ticketmain.admin-token';

export function savedAdminToken(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveAdminToken(token: string | null): void {
  try {
    if (token === null) window.sessionStorage.removeItem(KEY);
    else window.sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused (private mode quotas): the token lives as long as the page.
  }
}

/**
 * The organiser must see what they just changed: public reads the browser may keep for a minute
 * (an event's detail, with its rules) are revalidated each time (a 304 when unchanged).
 */
const revalidating: typeof fetch = (input, init) => fetch(input, { ...init, cache: 'no-cache' });

export function adminClient(token: string): TicketmainClient {
  return new TicketmainClient({ baseUrl: '', adminToken: token, fetch: revalidating });
}

/** Whether the server takes the token: one cheap admin call (401 for a wrong token). */
export async function checkAdminToken(token: string): Promise<'ok' | 'refused' | 'unreachable'> {
  const reply = await adminClient(token)
    .request('GET', '/api/admin/events/-/report', { auth: 'admin' })
    .catch(() => null);
  if (reply === null) return 'unreachable';
  // A good token reaches the route: 404 for the event "-" that does not exist.
  if (reply.status === 401) return 'refused';
  if (reply.status === 404 && isProblem(reply.body, 'EVENT_NOT_FOUND')) return 'ok';
  if (reply.status === 404) return 'refused'; // no ADMIN_TOKEN configured: the routes are hidden
  return reply.status < 500 ? 'ok' : 'unreachable';
}

function isProblem(body: unknown, code: string): boolean {
  return typeof body === 'object' && body !== null && (body as { code?: unknown }).code === code;
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
