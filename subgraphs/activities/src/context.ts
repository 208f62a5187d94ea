import type { Config } from '../../../shared/src/config';
import type { BaseContext } from '../../../shared/src/subgraph-server';
import type { ActivitiesLoaders } from './loaders';
import type { Repositories } from './repositories';
import type { ActivityService } from './services/ActivityService';
import type { CheckpointService } from './services/CheckpointService';
import type { RequirementService } from './services/RequirementService';
import type { TrainingService } from './services/TrainingService';
import type { Visibility } from './visibility';

export interface ActivitiesContext extends BaseContext {
  loaders: ActivitiesLoaders;
  repos: Repositories;
  activities: ActivityService;
  training: TrainingService;
  checkpoints: CheckpointService;
  requirements: RequirementService;
  config: Config;
  /** Which records of the other subgraphs the caller's tier holds. */
  visible: Visibility;
}
