import type { DataSource } from 'typeorm';
import { MemberRepository } from './MemberRepository';
import { RoleRepository } from './RoleRepository';
import { TransferRepository } from './TransferRepository';

export function createRepositories(db: DataSource) {
  return {
    members: new MemberRepository(db),
    roles: new RoleRepository(db),
    transfers: new TransferRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
