import type DataLoader from 'dataloader';
import { institutionRef as institutionReference, organizationRef as reference, type InstitutionReference, type OrganizationReference } from '../../../../shared/src/references';

export * from '../../../../shared/src/references';

/**
 * A branch this subgraph refers to, or null where the caller's tier cannot read it (the other
 * end of a transfer letter, a guest member's formal branch): the organization subgraph would
 * refuse the entity, and the gateway would report a null in a non-null field.
 */
export async function visibleOrganizationRef(id: string | null, ctx: { tier: { organizationVisible: DataLoader<string, boolean> } }): Promise<OrganizationReference | null> {
  if (!id) return null;
  return (await ctx.tier.organizationVisible.load(id)) ? reference(id) : null;
}

/** An institution this subgraph refers to (a member's workplace), or null where the caller's tier cannot read it. */
export async function visibleInstitutionRef(id: string | null, ctx: { tier: { institutionVisible: DataLoader<string, boolean> } }): Promise<InstitutionReference | null> {
  if (!id) return null;
  return (await ctx.tier.institutionVisible.load(id)) ? institutionReference(id) : null;
}
