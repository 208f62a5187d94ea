import { buildSchema, graphql } from 'graphql';
import { argumentsAskedBelow } from './lookahead';

const schema = buildSchema(`
  enum Kind { LAW_FIRM NOTARY_OFFICE JUDICIAL_APPRAISAL }
  type Coverage { institutions: Int }
  type Region { code: String coverage(kind: Kind): Coverage children: [Region] }
  type Query { region: Region }
`);

/** What `region`'s resolver reads ahead in `query`. */
async function askedBelowRegion(query: string, variableValues: Record<string, unknown> = {}): Promise<unknown[]> {
  let asked: unknown[] = [];
  const result = await graphql({
    schema,
    source: query,
    variableValues,
    rootValue: {
      region: (_args: unknown, _context: unknown, info: Parameters<typeof argumentsAskedBelow>[0]) => {
        asked = argumentsAskedBelow(info, 'coverage', 'kind');
        return { code: '210000', coverage: { institutions: 1 }, children: [] };
      },
    },
  });
  expect(result.errors).toBeUndefined();
  return asked;
}

describe('arguments asked below a field', () => {
  it('reads a literal, a variable and an argument left out', async () => {
    expect(await askedBelowRegion('query($k: Kind) { region { a: coverage(kind: LAW_FIRM) { institutions } b: coverage(kind: $k) { institutions } c: coverage { institutions } } }', { k: 'NOTARY_OFFICE' }))
      .toEqual(['LAW_FIRM', 'NOTARY_OFFICE', undefined]);
  });

  it('reads a variable the request left out as left out', async () => {
    expect(await askedBelowRegion('query($k: Kind) { region { coverage(kind: $k) { institutions } } }')).toEqual([undefined]);
  });

  it('reads the fields in nested selections, fragments and inline fragments, and those a directive may skip', async () => {
    const query = `query($skip: Boolean!) {
      region { children { ...notary ... on Region { appraisal: coverage(kind: JUDICIAL_APPRAISAL) @skip(if: $skip) { institutions } } } ...notary }
    }
    fragment notary on Region { coverage(kind: NOTARY_OFFICE) { institutions } }`;
    expect(await askedBelowRegion(query, { skip: true })).toEqual(['NOTARY_OFFICE', 'JUDICIAL_APPRAISAL']);
  });

  it('finds nothing on a page that shows no such field', async () => {
    expect(await askedBelowRegion('{ region { code children { code } } }')).toEqual([]);
  });
});
