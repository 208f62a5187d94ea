import type { DataSource } from 'typeorm';
import { MemberHistoryRepository } from './MemberHistoryRepository';
import { MemberRepository } from './MemberRepository';
import { RoleRepository } from './RoleRepository';
import { TransferRepository } from './TransferRepository';
import { WorkListRepository } from './WorkListRepository';

export function createRepositories(db: DataSource) {
  return {
    members: new MemberRepository(db),
    roles: new RoleRepository(db),
    transfers: new TransferRepository(db),
    memberHistory: new MemberHistoryRepository(db),
    workLists: new WorkListRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
