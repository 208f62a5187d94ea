import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isListType, isNonNullType, isObjectType, isInterfaceType, isSpecifiedScalarType, type GraphQLField, type GraphQLSchema, type GraphQLOutputType } from 'graphql';
import { PROJECT_ROOT } from '../config';

/** What a report needs of one field: its column heading, what it holds, and how to show it. */
export interface FieldTerm {
  /** The column heading: the Chinese term of the description, else its first words, else the field's name. */
  heading: string;
  description: string;
  /** The named type of the field's value. */
  type: string;
  /** A list of values (or of records). */
  list: boolean;
  /** A fraction in [0, 1] shown as a percentage. */
  rate: boolean;
}

/** Every object type's fields by name, as the published schema describes them. */
export type SchemaTerms = Record<string, Record<string, FieldTerm>>;

/** A parenthesized term in Chinese: `(组织覆盖率)`, not `(e.g. 党建工作示范点)` nor `(GB/T 2260)`. */
const CHINESE_TERM = /[(（]([\u3400-\u9fff\u3000-\u303f\uff01-\uff5e·、]+)[)）]/;

const MOST_WORDS = 5;

/** The Chinese term a description gives in parentheses, if any. */
export function chineseTerm(description: string | null | undefined): string | undefined {
  return CHINESE_TERM.exec(description ?? '')?.[1];
}

/**
 * A field's column heading. The schema's descriptions are in English with the Chinese term in
 * parentheses where the domain has one, so that term is the heading analysts know; a field whose
 * own description has none takes its type's (a `region` is a 行政区划, a `coverageStatus` a
 * 党组织覆盖情况); otherwise the description's first clause, without its article; otherwise the
 * field's own name.
 */
export function headingOf(description: string | null | undefined, fieldName: string, typeDescription?: string | null): string {
  const text = (description ?? '').trim();
  const term = chineseTerm(text) ?? chineseTerm(typeDescription);
  if (term) return term;
  const clause = text.split(/[.:;,(—]|\s-\s|\n/)[0].trim().replace(/^(the|a|an)\s+/i, '');
  if (!clause) return fieldName;
  const words = clause.split(/\s+/).slice(0, MOST_WORDS).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The `rate` fields of the schema, and every `…Rate`, are fractions in [0, 1]. */
export function isRateField(fieldName: string, namedType: string): boolean {
  return namedType === 'Float' && (fieldName === 'rate' || /Rate$/.test(fieldName));
}

/** A nested column's heading: each step's heading, outermost first (`党组织·名称`). */
export function joinHeadings(headings: readonly string[]): string {
  return headings.join('·');
}

function isList(type: GraphQLOutputType): boolean {
  const nullable = isNonNullType(type) ? type.ofType : type;
  return isListType(nullable);
}

const hidden = (field: GraphQLField<unknown, unknown>) => field.astNode?.directives?.some((directive) => directive.name.value === 'inaccessible') ?? false;

/** What a report shows of one field of the schema. */
export function fieldTerm(field: GraphQLField<unknown, unknown>): FieldTerm {
  const namedType = getNamedType(field.type);
  return {
    heading: headingOf(field.description, field.name, isSpecifiedScalarType(namedType) ? null : namedType.description),
    description: field.description ?? '',
    type: namedType.name,
    list: isList(field.type),
    rate: isRateField(field.name, namedType.name),
  };
}

/** The terms of every object and interface type a client can query. */
export function schemaTerms(schema: GraphQLSchema): SchemaTerms {
  const terms: SchemaTerms = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || type.name.startsWith('join__') || type.name.startsWith('link__')) continue;
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const fields: Record<string, FieldTerm> = {};
    for (const field of Object.values(type.getFields())) {
      if (!hidden(field)) fields[field.name] = fieldTerm(field);
    }
    terms[type.name] = fields;
  }
  return terms;
}

/** The published supergraph's schema, with the descriptions every heading comes from. */
export function loadSupergraphSchema(file = join(PROJECT_ROOT, 'supergraph.graphql')): GraphQLSchema {
  return buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
}
