import type { ClientBase } from 'pg';
import type { MembersDataset } from './members';
import type { OrganizationDataset } from './organization';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CommendationsDataset {}

export function buildCommendationsDataset(_organization: OrganizationDataset, _members: MembersDataset): CommendationsDataset {
  return {};
}

export async function loadCommendationsDataset(_db: ClientBase, _data: CommendationsDataset): Promise<void> {}
