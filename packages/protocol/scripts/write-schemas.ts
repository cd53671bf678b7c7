// Writes the venue-layout JSON Schema for people who author layouts outside TypeScript.
// Run: npx tsx packages/protocol/scripts/write-schemas.ts (schemas.test.ts fails when it is stale).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { VenueLayout } from '../src/venue.js';

export const VENUE_LAYOUT_SCHEMA_FILE = fileURLToPath(
  new URL('../schemas/venue-layout.schema.json', import.meta.url),
);

/**
 * The file's text: TypeBox's schema (its symbol keys drop out of JSON) under a draft-07 header,
 * formatted by Prettier so that the repository's `prettier --check` accepts the file as written.
 */
export async function venueLayoutSchemaJson(): Promise<string> {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ticketmain.example/schemas/venue-layout.schema.json',
    title: 'Ticketmain venue layout',
    ...VenueLayout,
  };
  const options = await resolveConfig(VENUE_LAYOUT_SCHEMA_FILE);
  return format(JSON.stringify(schema, null, 2), {
    ...options,
    filepath: VENUE_LAYOUT_SCHEMA_FILE,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(VENUE_LAYOUT_SCHEMA_FILE, await venueLayoutSchemaJson());
  console.log(`wrote ${VENUE_LAYOUT_SCHEMA_FILE}`);
}
