/**
 * GB/T 2260 region codes. Codes nest by prefix (`21` ⊃ `2103` ⊃ `210302`), so every subtree is a
 * contiguous range of codes: a scope test is a range scan the database serves from a btree index.
 */

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

const CODE = /^\d{6}$/;

export function isRegionCode(code: string): boolean {
  return CODE.test(code);
}

export function regionLevel(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'PROVINCE';
  if (code.endsWith('00')) return 'CITY';
  return 'COUNTY';
}

/** The prefix shared by every code in the region's subtree: 2, 4 or 6 digits. */
export function regionPrefix(code: string): string {
  switch (regionLevel(code)) {
    case 'PROVINCE':
      return code.slice(0, 2);
    case 'CITY':
      return code.slice(0, 4);
    default:
      return code;
  }
}

export function parentRegionCode(code: string): string | null {
  switch (regionLevel(code)) {
    case 'PROVINCE':
      return null;
    case 'CITY':
      return `${code.slice(0, 2)}0000`;
    default:
      return `${code.slice(0, 4)}00`;
  }
}

/** The half-open range [from, to) of 6-digit codes that start with `prefix`. */
export function prefixRange(prefix: string): { from: string; to: string } {
  // The empty prefix is the whole country; no GB/T 2260 code is 999999.
  if (prefix === '') return { from: '000000', to: '999999' };
  const next = String(Number(prefix) + 1).padStart(prefix.length, '0');
  return { from: prefix.padEnd(6, '0'), to: next.padEnd(6, '0') };
}

export function isWithinPrefix(code: string, prefix: string): boolean {
  return code.startsWith(prefix);
}

/**
 * The prefix of the part of a region's subtree that lies in a caller's subtree: the longer of the
 * two when one holds the other, null when they do not meet. Subtrees either nest or are disjoint.
 */
export function sharedSubtree(prefix: string, scopePrefix: string): string | null {
  if (prefix.startsWith(scopePrefix)) return prefix;
  if (scopePrefix.startsWith(prefix)) return scopePrefix;
  return null;
}
