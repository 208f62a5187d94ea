import type { Config } from '../../../shared/src/config';
import type { BaseContext } from '../../../shared/src/subgraph-server';
import type { MembersLoaders } from './loaders';
import type { Repositories } from './repositories';
import type { MemberService } from './services/MemberService';
import type { TransferService } from './services/TransferService';

export interface MembersContext extends BaseContext {
  loaders: MembersLoaders;
  repos: Repositories;
  records: MemberService;
  transfers: TransferService;
  config: Config;
}
