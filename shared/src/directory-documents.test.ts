import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { PROJECT_ROOT, SUBGRAPHS, type SubgraphName } from './config';
import { subgraphSchema } from './subgraph-schema';

/** Every service's calls to another subgraph: `<src>/directory/<target>.graphql` and what is generated from it. */
const calls = ['shared/src', ...Object.keys(SUBGRAPHS).map((name) => `subgraphs/${name}/src`)].flatMap((src) => {
  let files: string[];
  try {
    files = readdirSync(join(PROJECT_ROOT, src, 'directory')).filter((file) => file.endsWith('.graphql'));
  } catch {
    return [];
  }
  return files.map((file) => {
    const target = file.replace(/\.graphql$/, '') as SubgraphName;
    return { caller: src, target, source: join(PROJECT_ROOT, src, 'directory', file), generated: join(PROJECT_ROOT, src, 'generated', `${target}.ts`) };
  });
});

/** The documents a generated module sends, by operation name. */
function sentDocuments(generated: string): Map<string, DocumentNode> {
  const exports = require(generated) as Record<string, unknown>;
  return new Map(
    Object.entries(exports)
      .filter(([name]) => name.endsWith('Document'))
      .map(([name, document]) => [name.replace(/Document$/, ''), document as DocumentNode]),
  );
}

function operationNames(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : []));
}

function problems(schema: GraphQLSchema, document: DocumentNode): string[] {
  return validate(schema, document).map((error) => error.message);
}

describe('what one subgraph asks another', () => {
  it('is found for every subgraph that asks another', () => {
    expect(calls.map(({ caller, target }) => `${caller} → ${target}`)).toEqual(expect.arrayContaining([
      'shared/src → organization',
      'subgraphs/activities/src → members',
      'subgraphs/activities/src → organization',
      'subgraphs/commendations/src → members',
      'subgraphs/commendations/src → organization',
      'subgraphs/members/src → organization',
      'subgraphs/organization/src → members',
    ]));
  });

  describe.each(calls)('$caller → $target', ({ target, source, generated }) => {
    const schema = subgraphSchema(target);
    const sent = sentDocuments(generated);

    it('sends every operation its .graphql file holds, and nothing else', () => {
      expect([...sent.keys()].sort()).toEqual(operationNames(parse(readFileSync(source, 'utf8'))).sort());
    });

    it("is valid against the target subgraph's schema, federation's _entities included", () => {
      for (const [name, document] of sent) expect([name, problems(schema, document)]).toEqual([name, []]);
    });
  });

  it("fails once a field it reads is renamed in the target's SDL", () => {
    const sdl = readFileSync(join(PROJECT_ROOT, 'subgraphs', 'organization', 'schema.graphql'), 'utf8');
    expect(sdl).toContain('dissolvedOn: Date');
    const renamed = buildSubgraphSchema({ typeDefs: parse(sdl.replaceAll('dissolvedOn: Date', 'dissolvedAt: Date')) });
    const organizationFacts = sentDocuments(join(PROJECT_ROOT, 'subgraphs', 'members', 'src', 'generated', 'organization.ts')).get('OrganizationFacts')!;
    expect(problems(renamed, organizationFacts)).toEqual(['Cannot query field "dissolvedOn" on type "PartyOrganization". Did you mean "dissolvedAt"?']);
  });
});
