import {
  getNamedType,
  isObjectType,
  Kind,
  parse,
  print,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldTerm, joinHeadings } from './terms';

/** One column of a report: a leaf of the rows' records, flattened (`partyOrganization.name`). */
export interface ReportColumn {
  /** The response keys from the record to the value. */
  path: string[];
  /** `a.b`: the path joined, as the explorer and the CSV know the column. */
  key: string;
  heading: string;
  rate: boolean;
  /** The value is a list (shown as its items joined). */
  list: boolean;
}

/** An operation made to page through its first connection, and how to read each page. */
export interface PagedOperation {
  /** The document to send: the operation with `after: $<cursor variable>` and `pageInfo { hasNextPage endCursor }` on its connection. */
  query: string;
  operationName: string;
  /** The response keys from `data` to the connection. */
  connectionPath: string[];
  /** The variable that carries the cursor of the next page. */
  cursorVariable: string;
  /** The variable that sets the page size, when the operation has one. */
  pageSizeVariable: string | undefined;
  columns: ReportColumn[];
}

const field = (name: string, selections?: FieldNode[]): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

const fields = (set: SelectionSetNode | undefined): FieldNode[] => (set?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);

const responseKey = (node: FieldNode) => node.alias?.value ?? node.name.value;

/** A Relay connection type: one whose records sit at `edges.node`, with a `pageInfo`. */
function isConnection(type: GraphQLObjectType): boolean {
  const f = type.getFields();
  return f.edges !== undefined && f.pageInfo !== undefined;
}

/** The columns of a record's selection, depth first: leaves as they are, objects flattened with their parents' headings. */
export function selectionColumns(type: GraphQLObjectType, set: SelectionSetNode | undefined, prefix: string[] = [], headings: string[] = []): ReportColumn[] {
  const columns: ReportColumn[] = [];
  for (const node of fields(set)) {
    if (node.name.value === '__typename') continue;
    const definition: GraphQLField<unknown, unknown> | undefined = type.getFields()[node.name.value];
    if (!definition) continue;
    const named = getNamedType(definition.type);
    const { heading, rate, list } = fieldTerm(definition);
    const path = [...prefix, responseKey(node)];
    if (isObjectType(named) && node.selectionSet && !list) {
      columns.push(...selectionColumns(named, node.selectionSet, path, [...headings, heading]));
    } else {
      columns.push({ path, key: path.join('.'), heading: joinHeadings([...headings, heading]), rate, list });
    }
  }
  return columns;
}

/**
 * Makes an operation page through its first connection: the first field, depth first, whose type
 * is a Relay connection and whose records are selected (`edges { node { … } }`). A connection
 * without `after` gets `after: $after` and the variable; one without `pageInfo`'s cursor fields
 * gets them. The columns are the leaves the operation selects on each record.
 */
export function pagedOperation(schema: GraphQLSchema, source: string, operationName?: string): PagedOperation {
  const document = parse(source);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) throw new Error(operationName ? `the document has no operation ${operationName}` : 'the document has no operation');
  if (operation.operation !== 'query') throw new Error(`${operation.name?.value ?? 'the operation'} is not a query: only a query is exported`);

  type Found = { node: FieldNode; type: GraphQLObjectType; path: string[]; replace: (node: FieldNode) => void };
  const find = (type: GraphQLObjectType, set: SelectionSetNode, path: string[], rebuild: (set: SelectionSetNode) => void): Found | undefined => {
    const selections = [...set.selections];
    for (let i = 0; i < selections.length; i++) {
      const node = selections[i];
      if (node.kind !== Kind.FIELD || !node.selectionSet) continue;
      const definition = type.getFields()[node.name.value];
      const named = definition && getNamedType(definition.type);
      if (!named || !isObjectType(named)) continue;
      const replace = (next: FieldNode) => {
        selections[i] = next;
        rebuild({ ...set, selections });
      };
      if (isConnection(named) && fields(node.selectionSet).some((edges) => edges.name.value === 'edges' && fields(edges.selectionSet).some((n) => n.name.value === 'node'))) {
        return { node, type: named, path: [...path, responseKey(node)], replace };
      }
      const inner = find(named, node.selectionSet, [...path, responseKey(node)], (nextSet) => replace({ ...node, selectionSet: nextSet }));
      if (inner) return inner;
    }
    return undefined;
  };

  let rebuilt = operation;
  const found = find(schema.getQueryType()!, operation.selectionSet, [], (set) => (rebuilt = { ...rebuilt, selectionSet: set }));
  if (!found) throw new Error(`${operation.name?.value ?? 'the operation'} selects no connection (a field with edges { node { … } } and pageInfo) to page through`);

  const argument = (name: string) => found.node.arguments?.find((a) => a.name.value === name);
  const variableOf = (name: string) => {
    const value = argument(name)?.value;
    return value?.kind === Kind.VARIABLE ? value.name.value : undefined;
  };
  const defined = new Set((operation.variableDefinitions ?? []).map((d) => d.variable.name.value));
  let cursorVariable = variableOf('after');
  let connectionField = found.node;
  if (!cursorVariable) {
    if (argument('after')) throw new Error('the connection\'s `after` is fixed in the operation: it cannot be paged');
    cursorVariable = defined.has('after') ? 'exportAfter' : 'after';
    connectionField = {
      ...connectionField,
      arguments: [...(connectionField.arguments ?? []), { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'after' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: cursorVariable } } }],
    };
  }
  const pageInfo = fields(connectionField.selectionSet).find((f) => f.name.value === 'pageInfo' && !f.alias);
  const hasCursorFields = pageInfo && ['hasNextPage', 'endCursor'].every((name) => fields(pageInfo.selectionSet).some((f) => f.name.value === name && !f.alias));
  if (!hasCursorFields) {
    connectionField = {
      ...connectionField,
      selectionSet: { kind: Kind.SELECTION_SET, selections: [...connectionField.selectionSet!.selections, field('pageInfo', [field('hasNextPage'), field('endCursor')])] },
    };
  }
  found.replace(connectionField);
  if (!defined.has(cursorVariable)) {
    rebuilt = {
      ...rebuilt,
      variableDefinitions: [
        ...(rebuilt.variableDefinitions ?? []),
        { kind: Kind.VARIABLE_DEFINITION, variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: cursorVariable } }, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } } },
      ],
    };
  }

  const edges = fields(found.node.selectionSet).find((f) => f.name.value === 'edges')!;
  const nodeSelection = fields(edges.selectionSet).find((f) => f.name.value === 'node')!;
  const nodeType = getNamedType(found.type.getFields().edges.type) as GraphQLObjectType;
  const recordType = getNamedType(nodeType.getFields().node.type);
  if (!isObjectType(recordType)) throw new Error('the connection\'s records are not objects');

  const others = document.definitions.filter((d) => d !== operation);
  return {
    query: print({ ...document, definitions: [...others, rebuilt] }),
    operationName: operation.name?.value ?? '',
    connectionPath: [...found.path.slice(0, -1), responseKey(connectionField)],
    cursorVariable,
    pageSizeVariable: variableOf('first'),
    columns: selectionColumns(recordType, nodeSelection.selectionSet),
  };
}

/** A record's value at a column, as a cell holds it: lists joined, missing values empty. */
export function cellValue(record: unknown, column: ReportColumn): string | number | boolean | null {
  let value: unknown = record;
  for (const key of column.path) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((item) => (item !== null && typeof item === 'object' ? JSON.stringify(item) : String(item))).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number | boolean;
}
