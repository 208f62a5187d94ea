import type { ClientBase } from 'pg';
import type { MembersDataset } from './members';
import type { OrganizationDataset } from './organization';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ActivitiesDataset {}

export function buildActivitiesDataset(_organization: OrganizationDataset, _members: MembersDataset): ActivitiesDataset {
  return {};
}

export async function loadActivitiesDataset(_db: ClientBase, _data: ActivitiesDataset): Promise<void> {}
