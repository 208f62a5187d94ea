import { decodeCursor, encodeCursor, pageSize, toConnection } from './pagination';

describe('cursor pagination', () => {
  it('round-trips a sort key through an opaque cursor', () => {
    const key = ['210302', '辽宁弘扬律师事务所', '6f1c0a4e-0000-4000-8000-000000000001'];
    expect(decodeCursor(encodeCursor(key), 3)).toEqual(key);
  });

  it('rejects a cursor it did not make, naming the argument', () => {
    expect(() => decodeCursor('not-a-cursor', 3)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }));
    expect(() => decodeCursor(encodeCursor(['a']), 3)).toThrow(/cursor/);
  });

  it('caps the page size instead of serving any size asked for', () => {
    expect(pageSize(undefined, 100)).toBe(20);
    expect(pageSize(100, 100)).toBe(100);
    expect(() => pageSize(101, 100)).toThrow(/between 1 and 100/);
    expect(() => pageSize(0, 100)).toThrow(/between 1 and 100/);
    expect(() => pageSize(99999999, 100)).toThrow(/between 1 and 100/);
  });

  it('uses the extra row only to tell that another page follows', () => {
    const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
    const page = toConnection(rows, 2, 3, (r) => [r.k], false);
    expect(page.edges.map((e) => e.node.k)).toEqual(['a', 'b']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(page.pageInfo.endCursor!, 1)).toEqual(['b']);
    const last = toConnection(rows.slice(2), 2, 3, (r) => [r.k], true);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
