import { forbidden } from '../../../../shared/src/errors';
import type { AccessRole as AccessRoleEnum, ViewerResolvers } from '../generated/graphql';

export const Viewer: ViewerResolvers = {
  tier: (viewer) => {
    if (viewer.tier === 'SYSTEM') throw forbidden('viewer describes callers; a Sanji service has none.');
    return viewer.tier;
  },
  roles: (viewer) => viewer.roles.map((role) => role.toUpperCase() as AccessRoleEnum),
  region: (viewer, _args, ctx) => ctx.loaders.region.load(viewer.regionCode),
  organization: (viewer, _args, ctx) => (viewer.organizationId ? ctx.loaders.organization.load(viewer.organizationId) : null),
};
