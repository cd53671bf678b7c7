// What the browser remembers: the session token, and the seats each order of ours bought.
// Local storage can be missing or full (private windows): every access degrades to memory.
import { Type, type Static } from '@sinclair/typebox';
import { conforms, SessionCreated } from '@ticketmain/protocol';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const SESSION_KEY = 'ticketmain.session';
const ordersKey = (eventId: string) => `ticketmain.orders.${eventId}`;

export function browserStorage(): KeyValueStorage {
  const memory = new Map<string, string>();
  const fallback: KeyValueStorage = {
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
  try {
    const storage = globalThis.localStorage;
    if (storage === undefined) return fallback;
    return {
      getItem: (key) => storage.getItem(key),
      setItem: (key, value) => {
        try {
          storage.setItem(key, value);
        } catch {
          fallback.setItem(key, value);
        }
      },
      removeItem: (key) => storage.removeItem(key),
    };
  } catch {
    return fallback;
  }
}

function readJson(storage: KeyValueStorage, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

export function loadSession(storage: KeyValueStorage): SessionCreated | null {
  const value = readJson(storage, SESSION_KEY);
  return conforms(SessionCreated, value)
    ? { sessionId: value.sessionId, token: value.token }
    : null;
}

export function saveSession(storage: KeyValueStorage, session: SessionCreated): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

const StoredOrder = Type.Object({ orderId: Type.String(), seatIds: Type.Array(Type.String()) });
export type StoredOrder = Static<typeof StoredOrder>;

export function loadOrders(storage: KeyValueStorage, eventId: string): StoredOrder[] {
  const value = readJson(storage, ordersKey(eventId));
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) =>
    conforms(StoredOrder, entry) ? [{ orderId: entry.orderId, seatIds: entry.seatIds }] : [],
  );
}

export function saveOrder(storage: KeyValueStorage, eventId: string, order: StoredOrder): void {
  const orders = loadOrders(storage, eventId).filter((o) => o.orderId !== order.orderId);
  storage.setItem(ordersKey(eventId), JSON.stringify([...orders, order]));
}
