// The client address that per-address limits count by: an IPv4 address as it is, an IPv6 address
// by its /64 (one subscriber's network: a single host can take any address in it).
import { normalizeIP } from '@fastify/rate-limit';

export const IPV6_GROUP_BITS = 64;

/** `ip` as Fastify reports it (`request.ip`, X-Forwarded-For believed only from TRUST_PROXY). */
export function clientAddress(ip: string): string {
  return normalizeIP(ip, IPV6_GROUP_BITS);
}
