import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import { EntityFetchBatcher, FetchWaves } from './fetch-batching';

const MEMBERS_OF_REGION = 'query Dashboard__members__1($representations:[_Any!]!){_entities(representations:$representations){...on Region{memberStats{practitioners}}}}';
const HEADS_OF_STATIONS = 'query Dashboard__members__2($representations:[_Any!]!){_entities(representations:$representations){...F}} fragment F on GuidanceStation{head{id}}';

function fetchOf(context: object, query: string, representations: unknown[]) {
  return {
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    context,
    request: { query, variables: { representations } },
  } as never;
}

describe('entity fetches of one request to one subgraph', () => {
  it('go out as one request when the plan sends them side by side, each fetch getting its own answer and errors', async () => {
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    const batcher = new EntityFetchBatcher(new FetchWaves(), async (options) => {
      sent.push({ query: options.request.query!, variables: options.request.variables! });
      return {
        data: { _0_entities: [{ memberStats: { practitioners: 7 } }], _1_entities: [{ head: null }, { head: { id: 'm1' } }] },
        errors: [{ message: 'Not found.', path: ['_1_entities', 0, 'head'], extensions: { code: 'NOT_FOUND' } }],
      } as GatewayGraphQLResponse;
    });
    const request = {};
    const [region, stations] = await Promise.all([
      batcher.process(fetchOf(request, MEMBERS_OF_REGION, [{ __typename: 'Region', code: '210000' }])),
      batcher.process(fetchOf(request, HEADS_OF_STATIONS, [{ __typename: 'GuidanceStation', id: 'a' }, { __typename: 'GuidanceStation', id: 'b' }])),
    ]);

    expect(sent).toHaveLength(1);
    const merged = parse(sent[0].query);
    expect(merged.definitions.map((d) => d.kind)).toEqual(['OperationDefinition', 'FragmentDefinition']);
    expect(sent[0].variables).toEqual({
      representations_0: [{ __typename: 'Region', code: '210000' }],
      representations_1: [{ __typename: 'GuidanceStation', id: 'a' }, { __typename: 'GuidanceStation', id: 'b' }],
    });
    expect(region).toEqual({ data: { _entities: [{ memberStats: { practitioners: 7 } }] }, errors: undefined, extensions: undefined });
    expect(stations.data).toEqual({ _entities: [{ head: null }, { head: { id: 'm1' } }] });
    expect(stations.errors).toEqual([{ message: 'Not found.', path: ['_entities', 0, 'head'], extensions: { code: 'NOT_FOUND' } }]);
  });

  it('are sent as they are when alone, or when they belong to different requests', async () => {
    const sent: string[] = [];
    const batcher = new EntityFetchBatcher(new FetchWaves(), async (options) => {
      sent.push(options.request.query!);
      return { data: { _entities: [] } } as GatewayGraphQLResponse;
    });
    await Promise.all([
      batcher.process(fetchOf({}, MEMBERS_OF_REGION, [])),
      batcher.process(fetchOf({}, HEADS_OF_STATIONS, [])),
    ]);
    expect(sent).toEqual([MEMBERS_OF_REGION, HEADS_OF_STATIONS]);
  });

  it('fail each fetch as it would have failed alone when the subgraph does not answer', async () => {
    const batcher = new EntityFetchBatcher(new FetchWaves(), async () => ({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }) as GatewayGraphQLResponse);
    const request = {};
    const [region] = await Promise.all([
      batcher.process(fetchOf(request, MEMBERS_OF_REGION, [{ __typename: 'Region', code: '210000' }])),
      batcher.process(fetchOf(request, HEADS_OF_STATIONS, [{ __typename: 'GuidanceStation', id: 'a' }])),
    ]);
    expect(region.data).toBeUndefined();
    expect(region.errors).toEqual([{ message: 'Internal server error.', path: ['_entities', 0, 'memberStats'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });

  it('travel together by the plan\'s step, whichever branch of the plan was answered first', async () => {
    const ORGANIZATION_ROOT = 'query Dashboard__organization__0{region(code:"210000"){code}}';
    const ACTIVITIES_ROOT = 'query Dashboard__activities__1{activityStats{total}}';
    const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const waves = new FetchWaves();
    const sentToMembers: string[] = [];
    // The organization subgraph answers at once, the activities subgraph only after 40 ms.
    const organization = new EntityFetchBatcher(waves, async () => ({ data: { region: { code: '210000' } } }) as GatewayGraphQLResponse);
    const activities = new EntityFetchBatcher(waves, async () => {
      await delay(40);
      return { data: { activityStats: { total: 1 } } } as GatewayGraphQLResponse;
    });
    const members = new EntityFetchBatcher(waves, async (options) => {
      sentToMembers.push(options.request.query!);
      return { data: { _0_entities: [{}], _1_entities: [{}] } } as GatewayGraphQLResponse;
    });
    const request = {};
    // Parallel[Sequence[organization, members], Sequence[activities, members]], as the gateway runs a plan.
    await Promise.all([
      organization.process(fetchOf(request, ORGANIZATION_ROOT, [])).then(() => members.process(fetchOf(request, MEMBERS_OF_REGION, [{ __typename: 'Region', code: '210000' }]))),
      activities.process(fetchOf(request, ACTIVITIES_ROOT, [])).then(() => members.process(fetchOf(request, HEADS_OF_STATIONS, [{ __typename: 'GuidanceStation', id: 'a' }]))),
    ]);
    expect(sentToMembers).toHaveLength(1);
    expect(sentToMembers[0]).toContain('_0_entities');
    expect(sentToMembers[0]).toContain('_1_entities');
  });

  it('do not wait for another request\'s fetches', async () => {
    const waves = new FetchWaves();
    let answerSlowly!: () => void;
    const slow = new EntityFetchBatcher(waves, () => new Promise<GatewayGraphQLResponse>((resolve) => (answerSlowly = () => resolve({ data: { _entities: [] } }))));
    const quick = new EntityFetchBatcher(waves, async () => ({ data: { _entities: [] } }) as GatewayGraphQLResponse);
    const pending = slow.process(fetchOf({}, MEMBERS_OF_REGION, []));
    await expect(quick.process(fetchOf({}, HEADS_OF_STATIONS, []))).resolves.toEqual({ data: { _entities: [] } });
    answerSlowly();
    await pending;
  });
});
