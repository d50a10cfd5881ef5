import type { LeaveReason } from '../../../contracts/members.js';
import type { OrgType } from '../../../contracts/orgs.js';
import { memberSearchText } from '../modules/members/search-text.js';
import { maskIdNumber, maskPhone, type PersonalDataCipher } from '../platform/personal-data.js';
import { simplify } from '../platform/i18n.js';
import type { BulkColumn, Cell } from './bulk.js';
import { stageEvents, type PipelineDates, type Person } from './generate.js';

/**
 * Rows of the generated organisation in the shape of the foundation tables, shared by the demo
 * (seed-demo.ts) and the scale data set (bench/seed-scale.ts), so both write personal data the
 * way the members module does: encrypted, blind-indexed and masked.
 */

export interface OrgRow {
  id: string;
  parentId: string | null;
  path: string;
  name: string;
  type: OrgType;
  secretaryName: string | null;
  contactName: string | null;
  contactPhone: string | null;
  address: string | null;
  foundedOn: string | null;
  termStart: string | null;
  termEnd: string | null;
  sortOrder: number;
}

type Columns<T> = readonly (BulkColumn & { value: (row: T) => Cell })[];

export const ORG_COLUMNS: Columns<OrgRow> = [
  { name: 'id', type: 'bigint', value: (o) => o.id },
  { name: 'parent_id', type: 'bigint', value: (o) => o.parentId },
  { name: 'path', type: 'ltree', value: (o) => o.path },
  { name: 'name', type: 'text', value: (o) => o.name },
  { name: 'type', type: 'text', value: (o) => o.type },
  { name: 'secretary_name', type: 'text', value: (o) => o.secretaryName },
  { name: 'contact_name', type: 'text', value: (o) => o.contactName },
  { name: 'contact_phone', type: 'text', value: (o) => o.contactPhone },
  { name: 'address', type: 'text', value: (o) => o.address },
  { name: 'founded_on', type: 'date', value: (o) => o.foundedOn },
  { name: 'term_start', type: 'date', value: (o) => o.termStart },
  { name: 'term_end', type: 'date', value: (o) => o.termEnd },
  { name: 'sort_order', type: 'int', value: (o) => o.sortOrder },
  { name: 'search_text', type: 'text', value: (o) => simplify(o.name) },
];

export interface MemberRow {
  id: string;
  orgId: string;
  orgPath: string;
  name: string;
  gender: string;
  ethnicity: string;
  birthDate: string;
  idNumberEnc: string;
  idNumberHash: string;
  idNumberMasked: string;
  idNumberLast4: string;
  phoneEnc: string;
  phoneHash: string;
  phoneMasked: string;
  phoneLast4: string;
  education: string;
  workUnit: string;
  post: string;
  pipeline: PipelineDates;
  residenceCommunity: string | null;
  searchText: string;
  /** Left the party roll (a soft state): when it was recorded, the day and the reason. */
  left: { at: string; on: string; reason: LeaveReason } | null;
}

const searchTexts = new Map<string, string>();
/** Names repeat a lot in a city (王伟, 张敏…): pinyin is computed once per distinct name. */
function cachedSearchText(name: string): string {
  let text = searchTexts.get(name);
  if (text === undefined) {
    text = memberSearchText(name);
    searchTexts.set(name, text);
  }
  return text;
}

export function memberRow(cipher: PersonalDataCipher, fields: {
  id: string; orgId: string; orgPath: string; person: Person; workUnit: string; post: string; pipeline: PipelineDates;
  residenceCommunity: string | null; left?: MemberRow['left'];
}): MemberRow {
  const { person } = fields;
  return {
    id: fields.id,
    orgId: fields.orgId,
    orgPath: fields.orgPath,
    name: person.name,
    gender: person.gender,
    ethnicity: person.ethnicity,
    birthDate: person.birthDate,
    idNumberEnc: cipher.encrypt(person.idNumber),
    idNumberHash: cipher.blindIndex(person.idNumber),
    idNumberMasked: maskIdNumber(person.idNumber),
    idNumberLast4: person.idNumber.slice(-4),
    phoneEnc: cipher.encrypt(person.phone),
    phoneHash: cipher.blindIndex(person.phone),
    phoneMasked: maskPhone(person.phone),
    phoneLast4: person.phone.slice(-4),
    education: person.education,
    workUnit: fields.workUnit,
    post: fields.post,
    pipeline: fields.pipeline,
    residenceCommunity: fields.residenceCommunity,
    searchText: cachedSearchText(person.name),
    left: fields.left ?? null,
  };
}

export const MEMBER_COLUMNS: Columns<MemberRow> = [
  { name: 'id', type: 'bigint', value: (m) => m.id },
  { name: 'org_id', type: 'bigint', value: (m) => m.orgId },
  { name: 'org_path', type: 'ltree', value: (m) => m.orgPath },
  { name: 'name', type: 'text', value: (m) => m.name },
  { name: 'gender', type: 'text', value: (m) => m.gender },
  { name: 'ethnicity', type: 'text', value: (m) => m.ethnicity },
  { name: 'birth_date', type: 'date', value: (m) => m.birthDate },
  { name: 'id_number_enc', type: 'text', value: (m) => m.idNumberEnc },
  { name: 'id_number_hash', type: 'text', value: (m) => m.idNumberHash },
  { name: 'id_number_masked', type: 'text', value: (m) => m.idNumberMasked },
  { name: 'id_number_last4', type: 'text', value: (m) => m.idNumberLast4 },
  { name: 'phone_enc', type: 'text', value: (m) => m.phoneEnc },
  { name: 'phone_hash', type: 'text', value: (m) => m.phoneHash },
  { name: 'phone_masked', type: 'text', value: (m) => m.phoneMasked },
  { name: 'phone_last4', type: 'text', value: (m) => m.phoneLast4 },
  { name: 'education', type: 'text', value: (m) => m.education },
  { name: 'work_unit', type: 'text', value: (m) => m.workUnit },
  { name: 'post', type: 'text', value: (m) => m.post },
  { name: 'stage', type: 'text', value: (m) => m.pipeline.stage },
  { name: 'applied_on', type: 'date', value: (m) => m.pipeline.appliedOn },
  { name: 'activist_on', type: 'date', value: (m) => m.pipeline.activistOn },
  { name: 'candidate_on', type: 'date', value: (m) => m.pipeline.candidateOn },
  { name: 'joined_on', type: 'date', value: (m) => m.pipeline.joinedOn },
  { name: 'converted_on', type: 'date', value: (m) => m.pipeline.convertedOn },
  { name: 'residence_community', type: 'text', value: (m) => m.residenceCommunity },
  { name: 'search_text', type: 'text', value: (m) => m.searchText },
  { name: 'left_at', type: 'timestamptz', value: (m) => m.left?.at ?? null },
  { name: 'left_on', type: 'date', value: (m) => m.left?.on ?? null },
  { name: 'left_reason', type: 'text', value: (m) => m.left?.reason ?? null },
];

export interface StageEventRow { memberId: string; stage: string; occurredOn: string }

export const STAGE_EVENT_COLUMNS: Columns<StageEventRow> = [
  { name: 'member_id', type: 'bigint', value: (e) => e.memberId },
  { name: 'stage', type: 'text', value: (e) => e.stage },
  { name: 'occurred_on', type: 'date', value: (e) => e.occurredOn },
];

export function stageEventRows(members: readonly MemberRow[]): StageEventRow[] {
  const rows: StageEventRow[] = [];
  for (const m of members) for (const e of stageEvents(m.pipeline)) rows.push({ memberId: m.id, stage: e.stage, occurredOn: e.occurredOn });
  return rows;
}

/** Communities members live in and report to (双报到). */
export const COMMUNITIES = [
  '玄武区梅园新村街道长江新村社区', '玄武区新街口街道丹凤街社区', '秦淮区夫子庙街道钞库街社区', '秦淮区月牙湖街道华阳佳园社区',
  '建邺区南苑街道吉庆社区', '建邺区兴隆街道奥体社区', '鼓楼区宁海路街道颐和路社区', '鼓楼区湖南路街道马台街社区',
  '栖霞区尧化街道尧林仙居社区', '雨花台区赛虹桥街道虹苑社区', '江宁区东山街道竹山社区', '浦口区江浦街道求雨山社区',
];
