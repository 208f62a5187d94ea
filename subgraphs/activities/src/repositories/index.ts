import type { DataSource } from 'typeorm';
import { ActivityRepository } from './ActivityRepository';
import { CheckpointRepository } from './CheckpointRepository';
import { ComplianceRepository } from './ComplianceRepository';
import { InstitutionRegister } from './InstitutionRegister';
import { OrganizationRegister } from './OrganizationRegister';
import { WorkListRepository } from './WorkListRepository';

export function createRepositories(db: DataSource) {
  return {
    activities: new ActivityRepository(db),
    compliance: new ComplianceRepository(db),
    organizations: new OrganizationRegister(db),
    checkpoints: new CheckpointRepository(db),
    institutions: new InstitutionRegister(db),
    workLists: new WorkListRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
