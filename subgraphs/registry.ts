import type { DataSource } from 'typeorm';
import type { Config, SubgraphName } from '../shared/src/config';
import type { RunningServer } from '../shared/src/subgraph-server';
import { createActivitiesDataSource } from './activities/src/database';
import { startActivitiesSubgraph } from './activities/src/server';
import { createCommendationsDataSource } from './commendations/src/database';
import { startCommendationsSubgraph } from './commendations/src/server';
import { createMembersDataSource } from './members/src/database';
import { startMembersSubgraph } from './members/src/server';
import { createOrganizationDataSource } from './organization/src/database';
import { startOrganizationSubgraph } from './organization/src/server';

/** What the tools (migrations, tests) need of each subgraph: its database and its server. */
export interface SubgraphModule {
  createDataSource: (config: Config, url: string) => DataSource;
  start: (config: Config, port: number) => Promise<RunningServer>;
}

/** Every subgraph, in the order their data depend on one another. */
export const SUBGRAPH_MODULES: Record<SubgraphName, SubgraphModule> = {
  organization: { createDataSource: createOrganizationDataSource, start: startOrganizationSubgraph },
  members: { createDataSource: createMembersDataSource, start: startMembersSubgraph },
  activities: { createDataSource: createActivitiesDataSource, start: startActivitiesSubgraph },
  commendations: { createDataSource: createCommendationsDataSource, start: startCommendationsSubgraph },
};
