/**
 * Entities of other subgraphs as a subgraph holds them: a key, and nothing the caller has not been
 * allowed to see. The owning subgraph resolves the rest through the gateway.
 */
export interface InstitutionReference {
  __typename?: 'Institution';
  id: string;
}

export interface OrganizationReference {
  __typename?: 'PartyOrganization';
  id: string;
}

export interface StationReference {
  __typename?: 'GuidanceStation';
  id: string;
}

export interface MemberReference {
  __typename?: 'Member';
  id: string;
}

export interface RegionReference {
  __typename?: 'Region';
  code: string;
}

export const institutionRef = (id: string | null): InstitutionReference | null => (id ? { __typename: 'Institution', id } : null);
export const organizationRef = (id: string | null): OrganizationReference | null => (id ? { __typename: 'PartyOrganization', id } : null);
export const stationRef = (id: string | null): StationReference | null => (id ? { __typename: 'GuidanceStation', id } : null);
export const memberRef = (id: string | null): MemberReference | null => (id ? { __typename: 'Member', id } : null);
export const regionRef = (code: string): RegionReference => ({ __typename: 'Region', code });

/**
 * A record of this subgraph as `__resolveReference` returns it. Apollo marks what it returns with
 * its type name, and loaders' answers are shared between requests (and frozen), so it gets a copy.
 */
export async function entity<T extends object>(record: Promise<T | null>): Promise<T | null> {
  const found = await record;
  return found && { ...found };
}
