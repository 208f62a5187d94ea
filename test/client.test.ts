import { coverageReport } from '../examples/client/coverage-report';
import { Client } from 'pg';
import { ImportMembersDocument, MemberProfileDocument } from '../examples/client/generated';
import { idNumberCheckCharacter } from '../shared/src/id-number';
import { SanjiClient, SanjiError } from '../examples/client/sanji-client';
import { startStack, type Stack } from './helpers/stack';

describe('the typed client another service copies', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ safelist: true });
  });
  afterAll(() => stack?.stop());

  it('reads the coverage of Anshan’s counties, through a safelisted gateway', async () => {
    const client = new SanjiClient(stack.gatewayUrl, () => stack.token({ tier: 'CITY', regionCode: '210300' }));
    const report = await coverageReport(client, '210300');
    expect(report).toHaveLength(7);
    expect(report.find((line) => line.code === '210302')).toMatchObject({ name: '铁东区' });
    for (const line of report) expect(line.coverageRate).toBeGreaterThanOrEqual(0);
  });

  it('checks a ledger of people with the typed import operation, through a safelisted gateway', async () => {
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const { license_number: licence } = (await db.query(`SELECT license_number FROM organization.institution WHERE name = '辽宁弘扬律师事务所'`)).rows[0];
    await db.end();
    const first17 = '21030219870909061';
    const client = new SanjiClient(stack.gatewayUrl, () => stack.token({ tier: 'COUNTY', regionCode: '210302', roles: ['editor'] }));
    const report = await client.request(ImportMembersDocument, {
      rows: [{ name: '客户端', gender: 'FEMALE', ethnicity: '汉族', birthDate: '1987-09-09', idNumber: first17 + idNumberCheckCharacter(first17), institutionLicenseNumber: licence, licenseNumber: '12103201990009001', education: null, phone: null, practice: null, regionCode: null }],
      dryRun: true,
    });
    expect(report.importMembers).toEqual({ dryRun: true, rows: 1, created: 1, updated: 0, unchanged: 0, errors: [] });
  });

  it('turns the gateway’s errors into typed errors with their stable code', async () => {
    const client = new SanjiClient(stack.gatewayUrl, () => stack.token({ tier: 'CITY', regionCode: '210300' }));
    await expect(client.request(MemberProfileDocument, { id: 'x', year: 2019 })).resolves.toEqual({ member: null });
    const anonymous = new SanjiClient(stack.gatewayUrl, () => 'not.a.token');
    await expect(anonymous.request(MemberProfileDocument, { id: 'x', year: 2019 })).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    await expect(anonymous.request(MemberProfileDocument, { id: 'x', year: 2019 })).rejects.toBeInstanceOf(SanjiError);
  });
});
