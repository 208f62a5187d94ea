import { cursorCodec, pageSize, toConnection } from './pagination';

const UUID = '6f1c0a4e-0000-4000-8000-000000000001';
const badCursor = expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) });

describe('cursor pagination', () => {
  const institutions = cursorCodec('institutions', ['region', 'text', 'uuid'], { regionCode: '210300', filter: { kind: 'LAW_FIRM' } });

  it('round-trips a sort key through an opaque cursor', () => {
    const key = ['210302', '辽宁弘扬律师事务所', UUID];
    expect(institutions.decode(institutions.encode(key))).toEqual(key);
  });

  it('rejects a cursor it did not make, naming the argument', () => {
    expect(() => institutions.decode('not-a-cursor')).toThrow(badCursor);
    expect(() => institutions.decode(institutions.encode(['a']))).toThrow(/cursor/);
  });

  it('rejects a cursor whose parts are not of their kind, before any SQL sees them', () => {
    expect(() => institutions.decode(institutions.encode(['210302', 'x', 'not-a-uuid']))).toThrow(badCursor);
    expect(() => institutions.decode(institutions.encode(['21030', 'x', UUID]))).toThrow(badCursor);
    const audit = cursorCodec('audit', ['timestamp', 'integer']);
    expect(() => audit.decode(audit.encode(['yesterday', '1']))).toThrow(badCursor);
    expect(audit.decode(audit.encode(['2019-12-01T09:30:00.000Z', '12']))).toEqual(['2019-12-01T09:30:00.000Z', '12']);
  });

  it('rejects a cursor of another list, or of the same list under another filter or region', () => {
    const cursor = institutions.encode(['210302', 'x', UUID]);
    expect(() => cursorCodec('members', ['region', 'text', 'uuid'], { regionCode: '210300', filter: { kind: 'LAW_FIRM' } }).decode(cursor)).toThrow(badCursor);
    expect(() => cursorCodec('institutions', ['region', 'text', 'uuid'], { regionCode: '210400', filter: { kind: 'LAW_FIRM' } }).decode(cursor)).toThrow(badCursor);
    expect(() => cursorCodec('institutions', ['region', 'text', 'uuid'], { regionCode: '210300', filter: { kind: 'NOTARY_OFFICE' } }).decode(cursor)).toThrow(badCursor);
    // The same filter written in another order, or with an absent value spelled null, is the same list.
    expect(cursorCodec('institutions', ['region', 'text', 'uuid'], { filter: { nameContains: null, kind: 'LAW_FIRM' }, regionCode: '210300' }).decode(cursor)).toEqual(['210302', 'x', UUID]);
  });

  it('caps the page size instead of serving any size asked for', () => {
    expect(pageSize(undefined, 100)).toBe(20);
    expect(pageSize(100, 100)).toBe(100);
    expect(() => pageSize(101, 100)).toThrow(/between 1 and 100/);
    expect(() => pageSize(0, 100)).toThrow(/between 1 and 100/);
    expect(() => pageSize(99999999, 100)).toThrow(/between 1 and 100/);
  });

  it('uses the extra row only to tell that another page follows', () => {
    const letters = cursorCodec('letters', ['text']);
    const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
    const page = toConnection(rows, 2, 3, (r) => [r.k], false, letters);
    expect(page.edges.map((e) => e.node.k)).toEqual(['a', 'b']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(letters.decode(page.pageInfo.endCursor!)).toEqual(['b']);
    const last = toConnection(rows.slice(2), 2, 3, (r) => [r.k], true, letters);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
