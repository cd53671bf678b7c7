// WebSocket frames from the server, checked against the protocol's ServerMessage union.
import { conforms, ServerMessage } from '@ticketmain/protocol';

/** The message, or null for anything that is not a well-formed server message. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  return conforms(ServerMessage, value) ? value : null;
}
