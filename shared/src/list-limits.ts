import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * The most items each list field that is not a connection returns. Every subgraph cuts its lists
 * to these sizes (`capLists`), and the gateway's cost model multiplies by the same numbers, so what
 * a request is charged is what it can be served. Sizes sit well above what a real record holds
 * (the largest institution of the demo data has 165 practitioners, the largest branch 40 members);
 * a list that can grow past its size has a connection to page through it.
 */
export const LIST_LIMITS: Readonly<Record<string, number>> = {
  'Query.regions': 300,
  'Query.organizationalLifeRequirements': 20,
  'Region.children': 40,
  'Region.standaloneBranchGaps': 1000,
  // One per kind of organizational life.
  'OrganizationalLifeGapEdge.kinds': 7,
  'GuidanceStation.children': 20,
  'GuidanceStation.guidanceOfficers': 50,
  'GuidanceStation.guidanceOfficerAssignments': 100,
  'GuidanceStation.activities': 300,
  'Institution.practitioners': 500,
  'Institution.branchOffices': 50,
  'Institution.guidanceOfficerAssignments': 20,
  'Institution.checkpoints': 10,
  'Institution.commendations': 100,
  'PartyOrganization.members': 200,
  'PartyOrganization.temporaryParticipants': 100,
  'PartyOrganization.incomingTransfers': 100,
  'PartyOrganization.children': 500,
  'PartyOrganization.coveredInstitutions': 100,
  'PartyOrganization.activities': 300,
  'PartyOrganization.organizationalLife': 20,
  'PartyOrganization.commendations': 100,
  'Member.temporaryOrganizations': 20,
  'Member.roles': 10,
  'Member.transfers': 20,
  'Member.organizationHistory': 20,
  'Member.activities': 300,
  'Member.commendations': 10,
  'Member.appraisals': 50,
  'Member.vanguardPosts': 20,
  'Member.pledges': 50,
  'Activity.attendance': 500,
  'Activity.enrolments': 500,
  'ActivityStats.byKind': 20,
  'CommendationStats.byCategory': 20,
  'CommendationStats.byLevel': 10,
  'CommendationProgram.categories': 20,
  'ImportReport.errors': 5000,
};

/** The default page of a connection whose `first` is not given. */
export const DEFAULT_PAGE_SIZE = 20;

/** Cuts each list of `LIST_LIMITS` that this subgraph resolves to its size. */
export function capLists(schema: GraphQLSchema): GraphQLSchema {
  for (const [coordinate, max] of Object.entries(LIST_LIMITS)) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    const cut = (value: unknown) => (Array.isArray(value) && value.length > max ? value.slice(0, max) : value);
    field.resolve = (source, args, context, info) => {
      const value: unknown = resolve(source, args, context, info);
      return value instanceof Promise ? value.then(cut) : cut(value);
    };
  }
  return schema;
}
