import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { PROJECT_ROOT } from '../../shared/src/config';
import { breakingChanges } from './schema-check';

const supergraph = (sdl: string) => {
  const result = composeServices([{ name: 'only', url: 'http://only', typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n${sdl}`) }]);
  if (result.errors) throw result.errors[0];
  return result.supergraphSdl;
};

describe('the breaking-change check', () => {
  const before = supergraph('type Query { region(code: ID!): Region } type Region { code: ID! name: String! level: String }');

  it('finds nothing when fields are only added', () => {
    const after = supergraph('type Query { region(code: ID!): Region } type Region { code: ID! name: String! level: String parent: Region }');
    expect(breakingChanges(before, after, '')).toEqual([]);
  });

  it('reports a removed field, a retyped field and a new required argument', () => {
    const after = supergraph('type Query { region(code: ID!, year: Int!): Region } type Region { code: ID! level: Int }');
    const changes = breakingChanges(before, after, '');
    expect(changes.map((c) => c.coordinate).sort()).toEqual(['Query.region', 'Region.level', 'Region.name']);
    expect(changes.every((c) => !c.acknowledged)).toBe(true);
  });

  it('accepts a change the changelog acknowledges, and only that one', () => {
    const after = supergraph('type Query { region(code: ID!): Region } type Region { code: ID! level: String }');
    expect(breakingChanges(before, after, '- BREAKING: `Region.name` removed; use the region service.')).toEqual([
      expect.objectContaining({ coordinate: 'Region.name', acknowledged: true }),
    ]);
    expect(breakingChanges(before, after, '- `Region.name` removed')[0].acknowledged).toBe(false);
  });

  it('finds no breaking change between the committed supergraph and itself', () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'supergraph.graphql'), 'utf8');
    expect(breakingChanges(committed, committed, '')).toEqual([]);
  });
});
