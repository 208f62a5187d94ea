import type DataLoader from 'dataloader';

export * from '../../../../shared/src/references';

/**
 * A record of another subgraph this one refers to (`ref` makes the reference), or null where the
 * caller's tier cannot read it (`visible`, one of the request's tier loaders): the other end of a
 * transfer letter, a guest member's formal branch or workplace. The owning subgraph would refuse
 * the entity, and the gateway would report a null in a non-null field.
 */
export async function visibleRef<R>(id: string | null, visible: DataLoader<string, boolean>, ref: (id: string) => R): Promise<R | null> {
  if (!id) return null;
  return (await visible.load(id)) ? ref(id) : null;
}
