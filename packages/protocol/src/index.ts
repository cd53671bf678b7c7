// The Ticketmain contract, shared by the server, the web client and the bench.
export * from './common.js';
export * from './errors.js';
export * from './venue.js';
export * from './api.js';
export * from './tickets.js';
export * from './ws.js';
export * from './check.js';
export * from './reports.js';
export * from './queue.js';
export * from './admin-orders.js';
export * from './webhooks.js';
export * from './waitlist.js';
