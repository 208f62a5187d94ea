import { Kind, valueFromASTUntyped, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * What the fields named `fieldName` anywhere below the field being resolved ask for in their
 * argument `argumentName`, as the request gives it (a literal, or a variable's value): a resolver
 * that reads ahead for its subfields reads only what they will ask. `undefined` stands for an
 * argument left out; `null` in the answer means "every value" to most callers, so they handle both.
 *
 * Fields under fragments count, and so do fields that `@skip` or `@include` may leave out: reading
 * a little more than is asked is harmless, reading less is not.
 */
export function argumentsAskedBelow(info: GraphQLResolveInfo, fieldName: string, argumentName: string): unknown[] {
  const values: unknown[] = [];
  const seenFragments = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === fieldName) {
          const argument = selection.arguments?.find((a) => a.name.value === argumentName);
          values.push(argument ? valueFromASTUntyped(argument.value, info.variableValues) : undefined);
        }
        visit(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return values;
}
