import type { DataSource } from 'typeorm';
import { ActivityRepository } from './ActivityRepository';
import { CheckpointRepository } from './CheckpointRepository';
import { ComplianceRepository } from './ComplianceRepository';
import { OrganizationRegister } from './OrganizationRegister';

export function createRepositories(db: DataSource) {
  return {
    activities: new ActivityRepository(db),
    compliance: new ComplianceRepository(db),
    organizations: new OrganizationRegister(db),
    checkpoints: new CheckpointRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
