import type { Config } from '../../../shared/src/config';
import type { BaseContext } from '../../../shared/src/subgraph-server';
import type { CommendationsLoaders } from './loaders';
import type { Repositories } from './repositories';
import type { CommendationService } from './services/CommendationService';
import type { ProgramService } from './services/ProgramService';
import type { Visibility } from './visibility';

export interface CommendationsContext extends BaseContext {
  loaders: CommendationsLoaders;
  repos: Repositories;
  programs: ProgramService;
  nominations: CommendationService;
  config: Config;
  /** Which recipients, records of the other subgraphs, the caller's tier holds. */
  visible: Visibility;
}
