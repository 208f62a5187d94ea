import type { RecipientKind } from '../entities';

/**
 * Entities of other subgraphs as this subgraph holds them: a key, and nothing the caller has not
 * been allowed to see.
 */
export interface MemberReference {
  __typename?: 'Member';
  id: string;
}

export interface OrganizationReference {
  __typename?: 'PartyOrganization';
  id: string;
}

export interface InstitutionReference {
  __typename?: 'Institution';
  id: string;
}

export interface RegionReference {
  __typename?: 'Region';
  code: string;
}

/** A recipient always names its type, which is how the union tells its members apart. */
export type RecipientReference = Required<MemberReference> | Required<OrganizationReference> | Required<InstitutionReference>;

const TYPENAME = { MEMBER: 'Member', PARTY_ORGANIZATION: 'PartyOrganization', INSTITUTION: 'Institution' } as const;

export const recipientRef = (kind: RecipientKind, id: string): RecipientReference => ({ __typename: TYPENAME[kind], id });
export const regionRef = (code: string): RegionReference => ({ __typename: 'Region', code });
