import type { Config } from '../../../shared/src/config';
import type { BaseContext } from '../../../shared/src/subgraph-server';

export interface CommendationsContext extends BaseContext {
  config: Config;
}
