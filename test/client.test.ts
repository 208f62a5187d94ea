import { coverageReport } from '../examples/client/coverage-report';
import { MemberProfileDocument } from '../examples/client/generated';
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

  it('turns the gateway’s errors into typed errors with their stable code', async () => {
    const client = new SanjiClient(stack.gatewayUrl, () => stack.token({ tier: 'CITY', regionCode: '210300' }));
    await expect(client.request(MemberProfileDocument, { id: 'x', year: 2019 })).resolves.toEqual({ member: null });
    const anonymous = new SanjiClient(stack.gatewayUrl, () => 'not.a.token');
    await expect(anonymous.request(MemberProfileDocument, { id: 'x', year: 2019 })).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    await expect(anonymous.request(MemberProfileDocument, { id: 'x', year: 2019 })).rejects.toBeInstanceOf(SanjiError);
  });
});
