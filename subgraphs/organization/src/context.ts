import type { Config } from '../../../shared/src/config';
import type { BaseContext } from '../../../shared/src/subgraph-server';
import type { OrganizationLoaders } from './loaders';
import type { Repositories } from './repositories';
import type { StructureImportService } from './services/StructureImportService';
import type { StructureService } from './services/StructureService';

export interface OrganizationContext extends BaseContext {
  loaders: OrganizationLoaders;
  repos: Repositories;
  structure: StructureService;
  imports: StructureImportService;
  config: Config;
}
