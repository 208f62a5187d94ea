import { regionScopeSql, regionSubtreeSql, SqlParams } from './sql';
import { ALL_REGIONS, scopeOf } from './viewer';

describe("a tier's region test", () => {
  it("writes a province's range into the statement, so its plans are its own", () => {
    const params = new SqlParams();
    const sql = regionScopeSql(params, 'm.region_code', scopeOf({ subject: 'province', tier: 'PROVINCE', regionCode: '210000', organizationId: null, roles: ['viewer'] }));
    expect(sql).toBe(`(m.region_code >= '210000' AND m.region_code < '220000')`);
    expect(params.values).toEqual([]);
    expect(regionScopeSql(new SqlParams(), 'm.region_code', ALL_REGIONS)).toBe(`(m.region_code >= '000000' AND m.region_code < '999999')`);
  });

  it("sends a city's, a county's and a branch's range as parameters the planner does not see", () => {
    for (const [tier, regionCode] of [['CITY', '210300'], ['COUNTY', '210302'], ['BRANCH', '210302']] as const) {
      const params = new SqlParams();
      const scope = scopeOf({ subject: 'caller', tier, regionCode, organizationId: tier === 'BRANCH' ? '6f1c2a34-6d0e-4a55-9d7b-1f2e3d4c5b6a' : null, roles: ['viewer'] });
      expect(regionScopeSql(params, 'm.region_code', scope)).toBe('(m.region_code >= (SELECT $1::char(6)) AND m.region_code < (SELECT $2::char(6)))');
      expect(params.values).toEqual([scope.from, scope.to]);
    }
  });

  it('never writes a range that is not two region codes into the text', () => {
    const params = new SqlParams();
    const odd = { prefix: '21', from: "21' OR '1'='1", to: '220000', organizationId: null };
    expect(regionScopeSql(params, 'm.region_code', odd)).toBe('(m.region_code >= (SELECT $1::char(6)) AND m.region_code < (SELECT $2::char(6)))');
    expect(params.values).toEqual([odd.from, odd.to]);
  });
});

describe("a query's region test", () => {
  it("writes a province's subtree into the statement and sends a city's or a county's as unseen parameters", () => {
    const province = new SqlParams();
    expect(regionSubtreeSql(province, 'd.region_code', '210000')).toBe(`(d.region_code >= '210000' AND d.region_code < '220000')`);
    expect(province.values).toEqual([]);
    for (const [code, from, to] of [['210300', '210300', '210400'], ['210302', '210302', '210303']]) {
      const params = new SqlParams();
      expect(regionSubtreeSql(params, 'd.region_code', code)).toBe('(d.region_code >= (SELECT $1::char(6)) AND d.region_code < (SELECT $2::char(6)))');
      expect(params.values).toEqual([from, to]);
    }
  });

  it("writes nothing of a query's text into the statement but two six-digit codes", () => {
    for (const hostile of ["21' OR '1'='1", "2103' --", '21;DROP', '2100000', '']) {
      const params = new SqlParams();
      const sql = regionSubtreeSql(params, 'd.region_code', hostile);
      expect(sql).toMatch(/^\(d\.region_code >= ('\d{6}'|\(SELECT \$1::char\(6\)\)) AND d\.region_code < ('\d{6}'|\(SELECT \$2::char\(6\)\))\)$/);
      if (sql.includes('$1')) expect(params.values).toHaveLength(2);
      else expect(params.values).toEqual([]);
    }
  });
});
