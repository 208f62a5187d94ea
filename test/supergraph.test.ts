import { readFileSync } from 'node:fs';
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
