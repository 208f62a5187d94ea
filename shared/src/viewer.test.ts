import { prefixRange, regionLevel, parentRegionCode } from './regions';
import { regionInScope, scopeOf, viewerProblem, type Viewer } from './viewer';

const viewer = (overrides: Partial<Viewer>): Viewer => ({
  subject: 'someone',
  tier: 'PROVINCE',
  regionCode: '210000',
  organizationId: null,
  roles: ['viewer'],
  ...overrides,
});

describe('the tier scope', () => {
  it('gives the province the whole of 21, a city its four-digit prefix and a county its own code', () => {
    expect(scopeOf(viewer({})).prefix).toBe('21');
    expect(scopeOf(viewer({ tier: 'CITY', regionCode: '210300' })).prefix).toBe('2103');
    expect(scopeOf(viewer({ tier: 'COUNTY', regionCode: '210302' })).prefix).toBe('210302');
  });

  it('turns a prefix into the half-open code range an index scans', () => {
    expect(prefixRange('21')).toEqual({ from: '210000', to: '220000' });
    expect(prefixRange('2103')).toEqual({ from: '210300', to: '210400' });
    expect(prefixRange('2109')).toEqual({ from: '210900', to: '211000' });
    expect(prefixRange('210302')).toEqual({ from: '210302', to: '210303' });
  });

  it('lets a city see its counties but not the province or another city', () => {
    const anshan = scopeOf(viewer({ tier: 'CITY', regionCode: '210300' }));
    expect(regionInScope(anshan, '210302')).toBe(true);
    expect(regionInScope(anshan, '210300')).toBe(true);
    expect(regionInScope(anshan, '210000')).toBe(false);
    expect(regionInScope(anshan, '210200')).toBe(false);
  });

  it('a county viewer cannot see the next county', () => {
    const tiedong = scopeOf(viewer({ tier: 'COUNTY', regionCode: '210302' }));
    expect(regionInScope(tiedong, '210302')).toBe(true);
    expect(regionInScope(tiedong, '210303')).toBe(false);
    expect(regionInScope(tiedong, '210300')).toBe(false);
  });

  it('restricts a branch viewer to its own organization', () => {
    const branch = scopeOf(viewer({ tier: 'BRANCH', regionCode: '210302', organizationId: 'org-1' }));
    expect(branch.organizationId).toBe('org-1');
    expect(scopeOf(viewer({})).organizationId).toBeNull();
  });

  it('refuses incoherent claims', () => {
    expect(viewerProblem(viewer({}))).toBeNull();
    expect(viewerProblem(viewer({ tier: 'CITY', regionCode: '210302' }))).toMatch(/city-level/);
    expect(viewerProblem(viewer({ tier: 'COUNTY', regionCode: '210000' }))).toMatch(/county-level/);
    expect(viewerProblem(viewer({ tier: 'BRANCH', regionCode: '210302' }))).toMatch(/organization/);
    expect(viewerProblem(viewer({ regionCode: '21' }))).toMatch(/6-digit/);
    expect(viewerProblem(viewer({ roles: [] }))).toMatch(/role/);
  });

  it('reads a region level and parent from the code alone', () => {
    expect(regionLevel('210000')).toBe('PROVINCE');
    expect(regionLevel('210300')).toBe('CITY');
    expect(regionLevel('210302')).toBe('COUNTY');
    expect(parentRegionCode('210302')).toBe('210300');
    expect(parentRegionCode('210300')).toBe('210000');
    expect(parentRegionCode('210000')).toBeNull();
  });
});
