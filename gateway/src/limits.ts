import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  isSpecifiedScalarType,
  Kind,
  typeFromAST,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { Config } from '../../shared/src/config';
import { ErrorCode } from '../../shared/src/errors';
import { DEFAULT_PAGE_SIZE, LIST_LIMITS } from '../../shared/src/list-limits';
import { stringProblem } from '../../shared/src/scalars';
import { isCalendarDate, isTimestamp } from '../../shared/src/validation';

export interface RequestLimitOptions {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: ApolloServerOptions<BaseContext>['parseOptions'];
}

/** The code of a request refused for what it would cost to answer. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/**
 * What one request may ask: depth, aliases and directives, checked by GraphQL Armor while the
 * query is validated; tokens, checked by the parser itself; and cost, measured with the request's
 * variables once the operation is known (`operationChecks`). All before any subgraph is called,
 * and all answered 400. A limit set to 0 is off. Field suggestions ("Did you mean …?") are
 * withheld in production, where they would map the schema for strangers.
 */
export function requestLimits(config: Config): RequestLimitOptions {
  const { limits } = config;
  const armor = new ApolloArmor({
    maxDepth: { enabled: limits.maxDepth > 0, n: limits.maxDepth, flattenFragments: true, exposeLimits: true },
    // Armor measures cost while validating, without the variables: `first: $n` would count as nothing.
    costLimit: { enabled: false },
    maxAliases: { enabled: limits.maxAliases > 0, n: limits.maxAliases, exposeLimits: true },
    maxDirectives: { enabled: limits.maxDirectives > 0, n: limits.maxDirectives, exposeLimits: true },
    // The parser counts tokens (below): a limit hit while parsing is a plain syntax error.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: config.env === 'production' },
  });
  const protection = armor.protect();
  return {
    plugins: [...(protection.plugins as ApolloServerPlugin[]), operationChecks(config)],
    validationRules: protection.validationRules as ValidationRule[],
    parseOptions: limits.maxTokens > 0 ? { maxTokens: limits.maxTokens } : {},
  };
}

const refusal = (message: string, code: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });

/**
 * Checks made once the operation is known, with the request's variables: that the operation
 * exists and is one the gateway serves, that every string and date the caller sent is one the
 * services can store, and that the answer's size stays within `maxCost`.
 */
export function operationChecks(config: Config): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) throw missingOperation(document, request.operationName);
          if (operation.operation === 'subscription') {
            throw refusal('Subscriptions are not served here: send a query or a mutation.', 'BAD_REQUEST');
          }
          const variables = (request.variables ?? {}) as Record<string, unknown>;
          checkInputs(schema, document, operation, variables);
          if (config.limits.maxCost > 0) {
            // Counting stops far past the limit (a fragment bomb would take long to count), so a
            // figure that large is only a lower bound.
            const countUpTo = config.limits.maxCost * 100;
            const cost = costOf(schema, document, operation, variables, config.maxPageSize, countUpTo);
            if (cost > config.limits.maxCost) {
              throw refusal(
                `This operation may return ${cost > countUpTo ? 'more than ' : ''}${cost} objects (each list counted at its page size, \`first\` or ${DEFAULT_PAGE_SIZE}, or at its documented maximum); at most ${config.limits.maxCost} are served in one request. Ask for smaller pages or fewer nested lists.`,
                QUERY_TOO_COMPLEX,
                { cost, maxCost: config.limits.maxCost },
              );
            }
          }
        },
      };
    },
  };
}

function missingOperation(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(anonymous)'] : []));
  if (operationName == null) {
    return refusal(`The document has ${names.length} operations (${names.join(', ')}): name the one to run in operationName.`, 'BAD_REQUEST', { field: 'operationName' });
  }
  return refusal(`operationName ${JSON.stringify(operationName)} names no operation of the document; it has ${names.join(', ')}.`, 'BAD_REQUEST', {
    field: 'operationName',
  });
}

/**
 * One rule for every argument, written literally or passed as a variable: strings are well-formed
 * Unicode without NUL (PostgreSQL stores neither a NUL nor half a surrogate pair), dates are real
 * calendar dates and timestamps are ISO 8601. The subgraphs check the same again; here the caller
 * learns which argument is at fault before anything is fetched.
 */
function checkInputs(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): void {
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type);
    if (type) checkValue(variables[definition.variable.name.value], type as GraphQLInputType, `$${definition.variable.name.value}`);
  }
  for (const site of argumentSitesOf(schema, document, operation)) {
    if (site.literalChecked) continue;
    checkValue(valueFromAST(site.node.value, site.type, variables), site.type, site.node.name.value);
  }
}

/** An argument of an operation (or of a fragment it may spread), with its type in the schema. */
interface ArgumentSite {
  node: ArgumentNode;
  type: GraphQLInputType;
  /** A value written without variables, checked once and found well-formed: it is the same on every request. */
  literalChecked: boolean;
}

/**
 * The argument sites of an operation, found once per parsed document: Apollo Server keeps a
 * document it has parsed and validated and hands the same one to every request of the same text,
 * so walking it with the schema's type information (a tenth of the gateway's CPU for a dashboard
 * answered from the response cache) is done the first time only.
 */
const argumentSites = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; sites: ArgumentSite[] }>();

function argumentSitesOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): ArgumentSite[] {
  const known = argumentSites.get(operation);
  if (known?.schema === schema) return known.sites;
  const sites: ArgumentSite[] = [];
  const typeInfo = new TypeInfo(schema);
  const inOperation = new Set([operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)]);
  for (const definition of inOperation) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Argument(node) {
          const argument = typeInfo.getArgument();
          if (!argument) return;
          let literalChecked = false;
          if (!usesVariables(node.value)) {
            try {
              checkValue(valueFromAST(node.value, argument.type, {}), argument.type, node.name.value);
              literalChecked = true;
            } catch {
              // Refused on every request, with its message, by the check in `checkInputs`.
            }
          }
          sites.push({ node, type: argument.type, literalChecked });
        },
      }),
    );
  }
  argumentSites.set(operation, { schema, sites });
  return sites;
}

function usesVariables(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(usesVariables);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => usesVariables(field.value));
  return false;
}

function checkValue(value: unknown, type: GraphQLInputType, field: string): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return checkValue(value, type.ofType, field);
  if (isListType(type)) {
    for (const item of Array.isArray(value) ? value : [value]) checkValue(item, type.ofType, field);
    return;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return;
    const fields = type.getFields();
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (fields[name]) checkValue(item, fields[name].type, `${field}.${name}`);
    }
    return;
  }
  if (!isScalarType(type)) return;
  // The gateway passes its own scalars (dates, timestamps) through as they came: a list or an
  // object there would travel to a subgraph (and into the proof's hash) however deep it is.
  if (!isSpecifiedScalarType(type) && type.name !== 'JSON' && typeof value === 'object') {
    throw new GraphQLError(`${field} must be a single ${type.name} value, not a list or an object.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } },
    });
  }
  if (typeof value !== 'string') return;
  const problem =
    stringProblem(value) ??
    (type.name === 'Date' && !isCalendarDate(value) ? 'must be a calendar date written YYYY-MM-DD' : null) ??
    (type.name === 'DateTime' && !isTimestamp(value) ? 'must be an ISO 8601 timestamp with its zone, e.g. 2019-12-01T09:30:00Z' : null);
  if (problem) {
    throw new GraphQLError(`${field} ${problem}.`, { extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } } });
  }
}

/** How many costs are remembered for each operation, by the values of its page sizes. */
const REMEMBERED_COSTS = 256;

/** Each operation's costs, by the values of the variables its `first` arguments take; the rest cannot change it. */
const costs = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; pageVariables: string[]; byValues: Map<string, number> }>();

/** `operationCost`, measured once for each operation and page sizes: Apollo Server hands a repeated query the same parsed document. */
function costOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, maxPageSize: number, stopAbove: number): number {
  let known = costs.get(operation);
  if (!known || known.schema !== schema) {
    const pageVariables = new Set<string>();
    visit(document, {
      Argument(node) {
        if (node.name.value !== 'first') return;
        visit(node.value, { Variable: (variable) => void pageVariables.add(variable.name.value) });
      },
    });
    known = { schema, pageVariables: [...pageVariables], byValues: new Map() };
    costs.set(operation, known);
  }
  const key = JSON.stringify(known.pageVariables.map((name) => variables[name] ?? null));
  let cost = known.byValues.get(key);
  if (cost === undefined) {
    cost = operationCost(schema, document, operation, variables, maxPageSize, stopAbove);
    if (known.byValues.size >= REMEMBERED_COSTS) known.byValues.clear();
    known.byValues.set(key, cost);
  }
  return cost;
}

/**
 * How many objects an answer may hold: each object-typed field counts once per parent, a
 * connection's edges count `first` times (with the request's variables; its default when absent),
 * and any other list counts its documented maximum (`LIST_LIMITS`), which the subgraphs enforce.
 * Stops counting once past `stopAbove`, so a fragment bomb costs no more to measure than to refuse.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxPageSize: number,
  stopAbove = Number.POSITIVE_INFINITY,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let total = 0;

  const pageOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const definition = field.args.find((a) => a.name === 'first');
    const given = node.arguments?.find((a) => a.name.value === 'first');
    const value = given && definition ? valueFromAST(given.value, definition.type, variables) : definition?.defaultValue;
    const size = typeof value === 'number' && Number.isInteger(value) ? value : DEFAULT_PAGE_SIZE;
    // A page outside 1..max is refused by the subgraph, with its own message.
    return Math.min(Math.max(size, 1), maxPageSize);
  };

  const walk = (selections: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, page: number): void => {
    for (const selection of selections.selections) {
      if (total > stopAbove) return;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        walk(selection.selectionSet, type ?? parent, multiplier, page);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && (schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType);
        if (fragment && type) walk(fragment.selectionSet, type, multiplier, page);
        continue;
      }
      if (!selection.selectionSet || !('getFields' in parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const type = getNamedType(field.type);
      if (!isCompositeType(type)) continue;
      const isConnection = type.name.endsWith('Connection') && field.args.some((a) => a.name === 'first');
      const isList = isListType(getNullableType(field.type));
      const size = !isList ? 1 : selection.name.value === 'edges' && page > 0 ? page : (LIST_LIMITS[`${parent.name}.${field.name}`] ?? maxPageSize);
      total += multiplier * size;
      walk(selection.selectionSet, type, multiplier * size, isConnection ? pageOf(field, selection) : 0);
    }
  };

  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, 1, 0);
  return total;
}

/** Refuses a query document longer than the limit before it is even parsed. */
export function documentLengthLimit(config: Config) {
  const max = config.limits.maxDocumentLength;
  return (req: Request, res: Response, next: NextFunction) => {
    const query = (req.body as { query?: unknown } | undefined)?.query ?? req.query.query;
    if (max > 0 && typeof query === 'string' && query.length > max) {
      res.status(400).json({
        errors: [{ message: `The query document is ${query.length} characters long; at most ${max} are accepted.`, extensions: { code: 'BAD_REQUEST' } }],
      });
      return;
    }
    next();
  };
}
