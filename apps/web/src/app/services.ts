// The app's long-lived services, made once: HTTP client, session, clock, storage, toasts.
import { ServerClock } from '../net/clock';
import { ApiClient } from '../net/http';
import { SessionManager } from '../net/session';
import { browserStorage, type KeyValueStorage } from '../net/storage';
import { ToastCenter } from './toast-center';

export interface Services {
  api: ApiClient;
  session: SessionManager;
  clock: ServerClock;
  storage: KeyValueStorage;
  toasts: ToastCenter;
}

export function createServices(): Services {
  const clock = new ServerClock();
  const storage = browserStorage();
  const api = new ApiClient({ clock });
  const session = new SessionManager(storage, () => api.createSession());
  api.useTokens(session);
  return { api, session, clock, storage, toasts: new ToastCenter() };
}
