import { readdirSync, readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { apiSchema } from '../gateway/src/schema-check';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared/src/config';
import { composeSupergraph } from '../gateway/src/supergraph';

describe('the committed supergraph', () => {
  it('composes without errors and matches the committed supergraph.graphql (run `npm run compose`)', () => {
    const { supergraphSdl } = composeSupergraph(PROJECT_ROOT);
    expect(readFileSync(join(PROJECT_ROOT, 'supergraph.graphql'), 'utf8')).toBe(supergraphSdl);
  });

  it('composes without hints to review', () => {
    expect(composeSupergraph(PROJECT_ROOT).hints).toEqual([]);
  });
});

describe('the contract operations', () => {
  const schema = apiSchema(readFileSync(join(PROJECT_ROOT, 'supergraph.graphql'), 'utf8'));
  const files = readdirSync(join(PROJECT_ROOT, 'contract')).filter((file) => file.endsWith('.graphql'));

  it('are all there', () => {
    expect(files.sort()).toEqual(['BranchProfile.graphql', 'CampaignLedger.graphql', 'CoverageTrend.graphql', 'ImportInstitutions.graphql', 'ImportMembers.graphql', 'ImportPartyOrganizations.graphql', 'InstitutionLedger.graphql', 'MemberProfile.graphql', 'ProvinceDashboard.graphql', 'StationWorkList.graphql', 'Viewer.graphql']);
  });

  it.each(files)('%s validates against the published supergraph as written', (file) => {
    const errors = validate(schema, parse(readFileSync(join(PROJECT_ROOT, 'contract', file), 'utf8')));
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});
