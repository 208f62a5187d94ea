import type { AccessRole as AccessRoleEnum, ViewerResolvers } from '../generated/graphql';

export const Viewer: ViewerResolvers = {
  tier: (viewer) => viewer.tier,
  roles: (viewer) => viewer.roles.map((role) => role.toUpperCase() as AccessRoleEnum),
  region: (viewer, _args, ctx) => ctx.loaders.region.load(viewer.regionCode),
  organization: (viewer, _args, ctx) => (viewer.organizationId ? ctx.loaders.organization.load(viewer.organizationId) : null),
};
