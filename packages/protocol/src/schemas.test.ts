import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VENUE_LAYOUT_SCHEMA_FILE, venueLayoutSchemaJson } from '../scripts/write-schemas.js';
import { VenueLayout } from './venue.js';

describe('schemas/venue-layout.schema.json', () => {
  it('is what scripts/write-schemas.ts writes (run it after changing venue.ts)', async () => {
    const committed = await readFile(VENUE_LAYOUT_SCHEMA_FILE, 'utf8');
    expect(committed).toBe(await venueLayoutSchemaJson());
  });

  it('is the VenueLayout schema under a $schema and $id header', async () => {
    const { $schema, $id, title, ...schema } = JSON.parse(await venueLayoutSchemaJson());
    expect($schema).toBe('http://json-schema.org/draft-07/schema#');
    expect($id).toMatch(/venue-layout\.schema\.json$/);
    expect(title).toBeTypeOf('string');
    expect(schema).toEqual(JSON.parse(JSON.stringify(VenueLayout)));
  });
});
