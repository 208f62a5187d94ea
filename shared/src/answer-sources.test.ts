import { AnswerSources, declaredRead, noteLookup, noteStatement, noteTables, readingFor, readingTables, SOURCES_EXTENSION } from './answer-sources';
import { readingFacets } from './facets';
import { ALL_REGIONS, scopeOf, type Viewer } from './viewer';

const county: Viewer = { subject: 's', tier: 'COUNTY', regionCode: '210302', organizationId: null, roles: ['viewer'] };
const branch: Viewer = { ...county, tier: 'BRANCH', organizationId: 'b1' };

describe('what an answer was read from', () => {
  it('is the union of what its reads of the same tables declared', () => {
    const sources = new AnswerSources(scopeOf(county));
    sources.add({ regions: ['210302'], records: ['m1'] });
    sources.add({ records: ['m1', 'a1'] });
    expect(sources.dependencies()).toEqual([{ regions: ['210302'], records: ['m1', 'a1'] }]);
  });

  it('is nothing at all for an answer that read nothing', () => {
    expect(new AnswerSources(scopeOf(county)).dependencies()).toEqual([]);
  });

  it('keeps a read that named no region and no record, so that a change of its tables of unknown extent still meets it', () => {
    const sources = new AnswerSources(scopeOf(county), 'activities');
    sources.add({ records: [], tables: ['requirement'] });
    expect(sources.dependencies()).toEqual([{ regions: [], records: [], schemas: ['activities'], tables: ['requirement'] }]);
  });

  it('is anything once a read could not tell', () => {
    const sources = new AnswerSources(scopeOf(county));
    sources.add({ regions: ['210302'] });
    sources.add(null);
    expect(sources.dependencies()).toBeNull();
  });

  it('takes a statement outside a declaring loader as read within the caller’s tier: its region, and a branch’s own organization', async () => {
    const countySources = new AnswerSources(scopeOf(county));
    await readingFor(countySources, async () => noteStatement());
    expect(countySources.dependencies()).toEqual([{ regions: ['210302'], records: [], rows: true }]);

    const branchSources = new AnswerSources(scopeOf(branch));
    await readingFor(branchSources, async () => noteStatement());
    expect(branchSources.dependencies()).toEqual([{ regions: ['210302'], records: ['b1'], rows: true }]);
  });

  it('takes a statement inside a declaring loader as that loader’s, adding nothing of its own', async () => {
    const sources = new AnswerSources(scopeOf(county));
    await readingFor(sources, () => declaredRead(async () => noteStatement()));
    expect(sources.dependencies()).toEqual([]);
  });

  it('keeps reads confined to some years or kinds apart from the rest, and says which', async () => {
    const sources = new AnswerSources(scopeOf(county), 'activities');
    await readingFor(sources, async () => {
      readingFacets({ year: ['2018'] }, () => noteStatement(['organizational_life_line']));
      readingFacets({ year: ['2019'] }, () => noteStatement(['organizational_life_line']));
      noteStatement(['organizational_life_line']);
    });
    sources.add({ regions: ['210300'], tables: ['activity_region_stats'], facets: { year: ['2018'] } });
    const line = { regions: ['210302'], records: [], schemas: ['activities'], tables: ['organizational_life_line'], rows: true };
    expect(sources.dependencies()).toEqual([
      { ...line, facets: { year: ['2018'] } },
      { ...line, facets: { year: ['2019'] } },
      line,
      { regions: ['210300'], records: [], schemas: ['activities'], tables: ['activity_region_stats'], facets: { year: ['2018'] } },
    ]);
  });

  it('makes a statement for a caller of no tier depend on anything', async () => {
    const sources = new AnswerSources(ALL_REGIONS);
    await readingFor(sources, async () => noteStatement());
    expect(sources.dependencies()).toBeNull();
  });

  it('adds what another subgraph reported of a lookup, or the caller’s tier when it reported nothing', async () => {
    const reported = new AnswerSources(scopeOf(county));
    await readingFor(reported, async () => noteLookup({ [SOURCES_EXTENSION]: [{ regions: ['210303'], records: ['o1'] }] }));
    expect(reported.dependencies()).toEqual([{ regions: ['210303'], records: ['o1'] }]);

    const silent = new AnswerSources(scopeOf(county));
    await readingFor(silent, async () => noteLookup(undefined));
    expect(silent.dependencies()).toEqual([{ regions: ['210302'], records: [] }]);
    // A report in another shape is no report: a single group, or a list of lists.
    for (const shape of [{ records: ['o1'] }, [[{ records: ['o1'] }]], [{ records: 'o1' }]]) {
      const malformed = new AnswerSources(scopeOf(county));
      await readingFor(malformed, async () => noteLookup({ [SOURCES_EXTENSION]: shape }));
      expect(malformed.dependencies()).toEqual([{ regions: ['210302'], records: [] }]);
    }
  });

  it('keeps the reads of two requests apart, however they interleave', async () => {
    const first = new AnswerSources(scopeOf(county));
    const second = new AnswerSources(scopeOf(branch));
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await Promise.all([
      readingFor(first, async () => {
        await tick();
        noteLookup({ [SOURCES_EXTENSION]: [{ records: ['x'] }] });
      }),
      readingFor(second, async () => {
        await tick();
        noteStatement();
      }),
    ]);
    expect(first.dependencies()).toEqual([{ regions: [], records: ['x'] }]);
    expect(second.dependencies()).toEqual([{ regions: ['210302'], records: ['b1'], rows: true }]);
  });

  describe('the rows read from a table with columns only shown', () => {
    it('are named by the ids a statement outside a loader returned, and the group says it names them all', async () => {
      const sources = new AnswerSources(scopeOf(county), 'members');
      await readingFor(sources, async () => {
        noteStatement(['member'])([{ id: 'a1b2c3d4-0000-4000-8000-000000000001', organizationId: 'a1b2c3d4-0000-4000-8000-000000000002', name: '张三' }]);
        noteStatement(['member_region_stats'])([{ practitioners: 3 }]);
      });
      expect(sources.dependencies()).toEqual([
        { regions: ['210302'], records: ['a1b2c3d4-0000-4000-8000-000000000001', 'a1b2c3d4-0000-4000-8000-000000000002'], schemas: ['members'], tables: ['member'], rows: true },
        { regions: ['210302'], records: [], schemas: ['members'], tables: ['member_region_stats'], rows: true },
      ]);
    });

    it('are not all named once a read of the same tables declared its own without saying so, or a lookup reported nothing', async () => {
      const sources = new AnswerSources(scopeOf(county), 'members');
      await readingFor(sources, async () => noteStatement(['member'])([]));
      sources.add({ regions: ['210302'], tables: ['member'] });
      await readingFor(sources, async () => noteLookup(undefined));
      expect(sources.dependencies()?.every((group) => group.rows === undefined)).toBe(true);
    });
  });

  describe('the schemas read', () => {
    it('are the reader’s own for its own reads, declared or not', async () => {
      const sources = new AnswerSources(scopeOf(county), 'members');
      sources.add({ regions: ['210302'] });
      await readingFor(sources, async () => noteStatement());
      expect(sources.dependencies()).toEqual([{ regions: ['210302'], records: [], schemas: ['members'] }]);
    });

    it('are those a read declares of a lookup it keeps (whether the caller sees another subgraph’s record), apart from its own', () => {
      const sources = new AnswerSources(scopeOf(county), 'members');
      sources.add({ regions: ['210302'] });
      sources.add({ records: ['o1'], schemas: ['organization'] });
      expect(sources.dependencies()).toEqual([
        { regions: ['210302'], records: [], schemas: ['members'] },
        { regions: [], records: ['o1'], schemas: ['organization'] },
      ]);
    });

    it('keep what another subgraph reported of a lookup apart, under the schemas it named', async () => {
      const sources = new AnswerSources(scopeOf(county), 'activities');
      sources.add({ records: ['a1'] });
      await readingFor(sources, async () => noteLookup({ [SOURCES_EXTENSION]: [{ regions: ['210302'], records: ['o1'], schemas: ['organization'] }] }));
      expect(sources.dependencies()).toEqual([
        { regions: [], records: ['a1'], schemas: ['activities'] },
        { regions: ['210302'], records: ['o1'], schemas: ['organization'] },
      ]);
    });

    it('are any schema’s once a lookup reported no schemas, or nothing at all', async () => {
      const unnamed = new AnswerSources(scopeOf(county), 'activities');
      await readingFor(unnamed, async () => noteLookup({ [SOURCES_EXTENSION]: [{ records: ['o1'] }] }));
      expect(unnamed.dependencies()).toEqual([{ regions: [], records: ['o1'] }]);

      const silent = new AnswerSources(scopeOf(county), 'activities');
      await readingFor(silent, async () => noteLookup(undefined));
      expect(silent.dependencies()).toEqual([{ regions: ['210302'], records: [] }]);
    });

    it('are any schema’s for a reader of none of its own (the gateway) that reads for itself', () => {
      const sources = new AnswerSources(null);
      sources.add({ records: ['x'] });
      expect(sources.dependencies()).toEqual([{ regions: [], records: ['x'] }]);
    });

    it('keep what each of the gateway’s fetches reported apart, schema by schema', () => {
      const sources = new AnswerSources(null);
      sources.addReported([{ regions: ['210302'], schemas: ['members'] }]);
      sources.addReported([{ records: ['b1'], schemas: ['organization'] }]);
      sources.addReported([{ regions: ['210303'], schemas: ['members'] }]);
      expect(sources.dependencies()).toEqual([
        { regions: ['210302', '210303'], records: [], schemas: ['members'] },
        { regions: [], records: ['b1'], schemas: ['organization'] },
      ]);
    });
  });

  describe('the tables read', () => {
    it('are those the reader’s statements named, in a declaring loader or outside one', async () => {
      const sources = new AnswerSources(scopeOf(county), 'members');
      await readingFor(sources, async () => {
        noteStatement(['member']);
        const { tables } = await readingTables(() => declaredRead(async () => noteStatement(['member_region_stats', 'member'])));
        sources.add({ regions: ['210300'], ...(tables ? { tables } : {}) });
      });
      expect(sources.dependencies()).toEqual([
        { regions: ['210302'], records: [], schemas: ['members'], tables: ['member'] },
        { regions: ['210300'], records: [], schemas: ['members'], tables: ['member_region_stats', 'member'] },
      ]);
    });

    it('gather, in a read inside another, what the inner read was served, and pass it on to the outer one', async () => {
      const outer = await readingTables(async () => {
        noteStatement(['region']);
        const inner = await readingTables(async () => noteTables(['coverage_region_stats']));
        expect(inner.tables).toEqual(['coverage_region_stats']);
      });
      expect(outer.tables).toEqual(['region', 'coverage_region_stats']);
    });

    it('are any table’s once a statement could not tell (it named a view or a function), or a lookup went elsewhere', async () => {
      const opaque = await readingTables(async () => {
        noteStatement(['member']);
        noteStatement(null);
      });
      expect(opaque.tables).toBeNull();
      const lookedUp = await readingTables(async () => noteLookup({ [SOURCES_EXTENSION]: [{ records: ['o1'], tables: ['institution'] }] }));
      expect(lookedUp.tables).toBeNull();

      const sources = new AnswerSources(scopeOf(county), 'members');
      // What a statement of unknown tables returned is named once it is back.
      const back = await readingFor(sources, async () => noteStatement(null));
      expect(sources.dependencies()).toEqual([{ regions: ['210302'], records: [], schemas: ['members'] }]);
      back([{ id: 'a1b2c3d4-0000-4000-8000-000000000001' }]);
      expect(sources.dependencies()).toEqual([{ regions: ['210302'], records: ['a1b2c3d4-0000-4000-8000-000000000001'], schemas: ['members'], rows: true }]);
    });

    it('are any table’s for the part of a report that named none, and the named ones for the rest', () => {
      const sources = new AnswerSources(null);
      sources.addReported([{ regions: ['210302'], schemas: ['members'], tables: ['member'] }]);
      expect(sources.dependencies()).toEqual([{ regions: ['210302'], records: [], schemas: ['members'], tables: ['member'] }]);
      sources.addReported([{ records: ['b1'], schemas: ['organization'] }]);
      expect(sources.dependencies()).toEqual([
        { regions: ['210302'], records: [], schemas: ['members'], tables: ['member'] },
        { regions: [], records: ['b1'], schemas: ['organization'] },
      ]);
    });

    it('keep each fetch’s tables with the regions and records read from them', () => {
      const sources = new AnswerSources(null);
      sources.addReported([
        { regions: ['210000'], schemas: ['members'], tables: ['member_region_stats'] },
        { records: ['m1'], schemas: ['members'], tables: ['member'] },
      ]);
      sources.addReported([{ regions: ['210000'], schemas: ['activities'], tables: ['organizational_life_region_stats', 'activity_region_stats'] }]);
      sources.addReported([{ regions: ['210300'], schemas: ['activities'], tables: ['activity_region_stats', 'organizational_life_region_stats'] }]);
      expect(sources.dependencies()).toEqual([
        { regions: ['210000'], records: [], schemas: ['members'], tables: ['member_region_stats'] },
        { regions: [], records: ['m1'], schemas: ['members'], tables: ['member'] },
        { regions: ['210000', '210300'], records: [], schemas: ['activities'], tables: ['organizational_life_region_stats', 'activity_region_stats'] },
      ]);
    });
  });
});
