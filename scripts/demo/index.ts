import type { ClientBase } from 'pg';
import { buildActivitiesDataset, loadActivitiesDataset, type ActivitiesDataset } from './activities';
import { buildCommendationsDataset, loadCommendationsDataset, type CommendationsDataset } from './commendations';
import { buildMemberFactsDataset, loadMemberFactsDataset, type MemberFactsDataset } from './member-facts';
import { buildMembersDataset, loadMembersDataset, type MembersDataset } from './members';
import { buildOrganizationDataset, loadOrganizationDataset, type OrganizationDataset } from './organization';

export type Scale = 'liaoning' | 'national';

/** The demo dataset of every subgraph, each part generated from the parts before it. */
export interface DemoData {
  organization: OrganizationDataset;
  members: MembersDataset;
  activities: ActivitiesDataset;
  commendations: CommendationsDataset;
  /** Kept in the members schema; built last, since grades name the activities they were given at. */
  memberFacts: MemberFactsDataset;
}

export function buildDemoData(scale: Scale): DemoData {
  const organization = buildOrganizationDataset({ scale });
  const members = buildMembersDataset(organization);
  const activities = buildActivitiesDataset(organization, members);
  const commendations = buildCommendationsDataset(organization, members);
  const memberFacts = buildMemberFactsDataset(members, activities);
  return { organization, members, activities, commendations, memberFacts };
}

/** Each subgraph's schema and how its part is loaded into it, in dependency order. */
export const DEMO_LOADERS: { schema: Exclude<keyof DemoData, 'memberFacts'>; load: (db: ClientBase, data: DemoData) => Promise<void> }[] = [
  { schema: 'organization', load: (db, data) => loadOrganizationDataset(db, data.organization) },
  {
    schema: 'members',
    load: async (db, data) => {
      await loadMembersDataset(db, data.members);
      await loadMemberFactsDataset(db, data.memberFacts);
    },
  },
  { schema: 'activities', load: (db, data) => loadActivitiesDataset(db, data.activities) },
  { schema: 'commendations', load: (db, data) => loadCommendationsDataset(db, data.commendations) },
];
