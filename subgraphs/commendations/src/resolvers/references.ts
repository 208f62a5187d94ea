import type { RecipientKind } from '../entities';
import type { InstitutionReference, MemberReference, OrganizationReference } from '../../../../shared/src/references';

export * from '../../../../shared/src/references';

/** A recipient always names its type, which is how the union tells its members apart. */
export type RecipientReference = Required<MemberReference> | Required<OrganizationReference> | Required<InstitutionReference>;

const TYPENAME = { MEMBER: 'Member', PARTY_ORGANIZATION: 'PartyOrganization', INSTITUTION: 'Institution' } as const;

export const recipientRef = (kind: RecipientKind, id: string): RecipientReference => ({ __typename: TYPENAME[kind], id });
