import type { Config } from '../../../shared/src/config';
import type { BaseContext } from '../../../shared/src/subgraph-server';
import type { OrganizationDirectory } from './directory';
import type { DirectoryLoaders, MembersLoaders } from './loaders';
import type { Repositories } from './repositories';
import type { MemberFactsService } from './services/MemberFactsService';
import type { MemberImportService } from './services/MemberImportService';
import type { MemberService } from './services/MemberService';
import type { TransferService } from './services/TransferService';

export interface MembersContext extends BaseContext {
  loaders: MembersLoaders;
  /** Facts from the organization subgraph for this request: what the caller's tier sees, who owns a record. */
  tier: DirectoryLoaders;
  directory: OrganizationDirectory;
  repos: Repositories;
  records: MemberService;
  imports: MemberImportService;
  transfers: TransferService;
  facts: MemberFactsService;
  config: Config;
}
