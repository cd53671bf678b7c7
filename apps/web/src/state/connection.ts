// The connection as the buyer lives it: the socket's state, overruled by the browser being offline
// (then no hold can be changed, whatever the socket last said).
import type { ConnectionStatus } from '../net/seat-socket';

export type BuyerConnection = ConnectionStatus | 'offline';

export function buyerConnection(socket: ConnectionStatus, online: boolean): BuyerConnection {
  // A newer server needs a reload whether or not the network is up.
  if (socket === 'outdated') return 'outdated';
  return online ? socket : 'offline';
}

/** Back live after a drop: errors raised while it was down may no longer hold. */
export function recovered(before: BuyerConnection, after: BuyerConnection): boolean {
  return after === 'live' && (before === 'offline' || before === 'reconnecting');
}
