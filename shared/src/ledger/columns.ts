/**
 * The columns of each ledger (工作台账) as the stations keep them: the Chinese header of each
 * column, the import input field it fills, and how its cells are read. A template is written from
 * these, and a file is read by them.
 */

export type LedgerKind = 'institutions' | 'organizations' | 'members';

export const LEDGER_KINDS: readonly LedgerKind[] = ['institutions', 'organizations', 'members'];

/** How a column's cells are read. */
export type CellType =
  /** Free text, kept as written apart from the spaces around it: names. */
  | 'text'
  /** Codes, numbers and licences: full-width characters made half-width, no spaces, capital letters. */
  | 'code'
  | 'date'
  /** One of an enumeration, by its Chinese term or its GraphQL value. */
  | 'enum'
  /** Several codes in one cell, separated by commas, semicolons, 、 or line breaks. */
  | 'codes';

export interface Column {
  /** The input field of the import mutation. */
  field: string;
  /** The header of the column in a ledger. */
  header: string;
  /** Other headers seen in the stations' ledgers for the same column. */
  aliases?: readonly string[];
  required: boolean;
  type: CellType;
  /** For an enumeration: each GraphQL value and its Chinese term. */
  values?: Readonly<Record<string, string>>;
  /** What the template's example row holds. */
  example: string;
}

const SECTOR = { LAW_FIRM: '律师事务所', NOTARY_OFFICE: '公证处', JUDICIAL_APPRAISAL: '司法鉴定机构', GRASSROOTS_LEGAL_SERVICE: '基层法律服务所' };

export const LEDGERS: Readonly<Record<LedgerKind, { title: string; mutation: string; input: string; columns: readonly Column[] }>> = {
  institutions: {
    title: '机构台账',
    mutation: 'importInstitutions',
    input: 'ImportInstitutionInput',
    columns: [
      { field: 'name', header: '机构名称', required: true, type: 'text', example: '辽宁示例律师事务所' },
      { field: 'kind', header: '行业类别', required: true, type: 'enum', values: SECTOR, example: '律师事务所' },
      { field: 'licenseNumber', header: '执业许可证号', aliases: ['统一社会信用代码'], required: true, type: 'code', example: '31210000MD0000001X' },
      { field: 'regionCode', header: '所在地区代码', aliases: ['地区代码', '行政区划代码'], required: true, type: 'code', example: '210302' },
      { field: 'headOfficeLicenseNumber', header: '总所执业许可证号', required: false, type: 'code', example: '' },
      { field: 'approvedOn', header: '批准设立日期', aliases: ['批准日期', '设立日期'], required: false, type: 'date', example: '2015-03-01' },
      { field: 'state', header: '执业状态', aliases: ['状态'], required: false, type: 'enum', values: { OPERATING: '在业', CLOSED: '已注销' }, example: '在业' },
    ],
  },
  organizations: {
    title: '党组织台账',
    mutation: 'importPartyOrganizations',
    input: 'ImportPartyOrganizationInput',
    columns: [
      { field: 'name', header: '党组织名称', required: true, type: 'text', example: '中共辽宁示例律师事务所支部委员会' },
      {
        field: 'kind',
        header: '党组织类型',
        required: true,
        type: 'enum',
        values: { INDUSTRY_COMMITTEE: '行业党委', GENERAL_BRANCH: '党总支', STANDALONE_BRANCH: '单独党支部', JOINT_BRANCH: '联合党支部', TEMPORARY_BRANCH: '临时党支部' },
        example: '联合党支部',
      },
      { field: 'sector', header: '行业类别', required: true, type: 'enum', values: SECTOR, example: '律师事务所' },
      { field: 'regionCode', header: '所在地区代码', aliases: ['地区代码', '行政区划代码'], required: true, type: 'code', example: '210302' },
      { field: 'parentName', header: '上级党组织', required: false, type: 'text', example: '' },
      { field: 'institutionLicenseNumbers', header: '覆盖机构执业许可证号', required: false, type: 'codes', example: '31210000MD0000001X' },
      { field: 'foundedOn', header: '成立日期', required: true, type: 'date', example: '2018-07-01' },
    ],
  },
  members: {
    title: '人员台账',
    mutation: 'importMembers',
    input: 'ImportMemberInput',
    columns: [
      { field: 'name', header: '姓名', required: true, type: 'text', example: '张示例' },
      { field: 'gender', header: '性别', required: true, type: 'enum', values: { MALE: '男', FEMALE: '女' }, example: '女' },
      { field: 'ethnicity', header: '民族', required: true, type: 'text', example: '汉族' },
      { field: 'birthDate', header: '出生日期', required: true, type: 'date', example: '1985-06-15' },
      { field: 'idNumber', header: '公民身份号码', aliases: ['身份证号', '身份证号码'], required: true, type: 'code', example: '210302198506150000' },
      {
        field: 'education',
        header: '学历',
        required: false,
        type: 'enum',
        values: { SECONDARY: '高中及以下', JUNIOR_COLLEGE: '大专', BACHELOR: '本科', MASTER: '硕士研究生', DOCTORATE: '博士研究生' },
        example: '本科',
      },
      { field: 'phone', header: '手机号码', aliases: ['手机号', '联系电话'], required: false, type: 'code', example: '13800000000' },
      { field: 'institutionLicenseNumber', header: '执业机构执业许可证号', aliases: ['执业机构许可证号'], required: false, type: 'code', example: '31210000MD0000001X' },
      {
        field: 'practice',
        header: '执业类别',
        required: false,
        type: 'enum',
        values: { LAWYER: '律师', NOTARY: '公证员', APPRAISER: '司法鉴定人', GRASSROOTS_LEGAL_WORKER: '基层法律服务工作者' },
        example: '律师',
      },
      { field: 'licenseNumber', header: '执业证号', aliases: ['执业证号码'], required: false, type: 'code', example: '12103201510000000' },
      { field: 'regionCode', header: '所属地区代码', aliases: ['地区代码'], required: false, type: 'code', example: '' },
    ],
  },
};
