// Venue layouts: validation and indexing, the demo arena, and the stadium generator.
export * from './layout.js';
export * from './arena.js';
export * from './stadium.js';
