import type { DataSource } from 'typeorm';
import { CoverageHistoryRepository } from './CoverageHistoryRepository';
import { GuidanceOfficerRepository } from './GuidanceOfficerRepository';
import { GuidanceStationRepository } from './GuidanceStationRepository';
import { InstitutionRepository } from './InstitutionRepository';
import { PartyOrganizationRepository } from './PartyOrganizationRepository';
import { RegionRepository } from './RegionRepository';

export function createRepositories(db: DataSource) {
  return {
    regions: new RegionRepository(db),
    stations: new GuidanceStationRepository(db),
    institutions: new InstitutionRepository(db),
    organizations: new PartyOrganizationRepository(db),
    guidanceOfficers: new GuidanceOfficerRepository(db),
    coverageHistory: new CoverageHistoryRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
