import type { Config } from '../../../shared/src/config';
import type { BaseContext } from '../../../shared/src/subgraph-server';

export interface ActivitiesContext extends BaseContext {
  config: Config;
}
