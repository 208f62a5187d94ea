import type { DataSource } from 'typeorm';
import { CommendationRepository } from './CommendationRepository';
import { ProgramRepository } from './ProgramRepository';

export function createRepositories(db: DataSource) {
  return {
    commendations: new CommendationRepository(db),
    programs: new ProgramRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
