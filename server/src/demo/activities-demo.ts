import { sql } from 'drizzle-orm';
import type { ActivityStatus, ActivityType, AttendanceState } from '../../../contracts/activities.js';
import type { BookingPurpose, BookingStatus } from '../../../contracts/venues.js';
import { chinaDate, chinaDateTime, chinaInstant } from '../../../contracts/china-time.js';
import { simplify } from '../platform/i18n.js';
import { bulkInsert, reserveIds, type Cell, type ColumnType } from './bulk.js';
import type { DemoContext } from './context.js';
import { personName, type Random } from './generate.js';

/*
 * A year of organizational life and the venues, written as the activities and venues services write
 * them (statuses their state machines reach, sign-in windows, attendance, 补学 on close, points for
 * attending on close, audit entries), all in a few multi-row statements:
 * - 三会一课 of every branch (支委会 monthly, 支部党员大会 and 党课 quarterly), 党小组会 of every
 *   group monthly and a 主题党日 a month, over the twelve months before this one and this one: most
 *   held on their day, a few cancelled or never held, and some units that missed the last period and
 *   have not yet caught up, so that the 三会一课 report shows overdue units beside done ones;
 * - oath ceremonies, political birthdays, open classes and a seminar, some in the coming weeks;
 * - for 预算处党支部, a 党课 happening now, open for sign-in with its 6-digit code (shown on the
 *   organizer's check-in screen and written in the agenda), the demo member not yet signed in;
 * - three venues with halls, a year of visits (recorded headcounts), confirmed and pending bookings,
 *   and the service stations.
 */

const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Column types bulk.ts does not name: the arrays are cast by name all the same. */
const BOOL = 'boolean' as ColumnType;
const TIME = 'time' as ColumnType;
const NUMERIC = 'numeric' as ColumnType;

type Col<T> = { name: string; type: ColumnType; value: (row: T) => Cell };

interface Unit {
  id: string; path: string; name: string; type: string; parentId: string | null; secretary: string | null; foundedOn: string | null;
}
interface PartyMember { id: string; orgId: string; orgPath: string; stage: string; joinedMonth: number | null }

interface Planned {
  id: string; org: Unit; type: ActivityType; title: string; topic: string | null; agenda: string | null;
  startsAt: number; endsAt: number; opensAt: number; place: string | null; venueId: string | null; bookingId: string | null; host: string | null;
  isPublic: boolean; bringTake: boolean; status: ActivityStatus; createdAt: number; publishedAt: number | null; closedAt: number | null;
  cancelledAt: number | null; cancelReason: string | null; createdBy: string; code: string; selection: string;
  invitees: string[]; fixed: Map<string, AttendanceState>; walkIns: boolean;
  /** The one happening now: open for sign-in, some already signed in. */
  live: boolean;
  /** Filled with the attendance: what closing it reported. */
  closing: { markedAbsent: number; makeUpTasks: number; pointsAwardedTo: number };
  minutes: string | null; resolutions: string | null; summary: string | null;
}

interface ParticipantRow {
  activityId: string; memberId: string; state: AttendanceState; registeredAt: number | null; leaveReason: string | null;
  checkedInAt: number | null; method: 'qr' | 'code' | 'organizer' | null; readAt: number | null;
}
interface MakeUpRow { activityId: string; memberId: string; orgPath: string; reason: 'absent' | 'leave'; status: 'open' | 'done'; note: string | null; createdAt: number; doneAt: number | null }
interface AuditRow { at: number; userId: string; username: string; action: string; targetType: string; targetId: string; orgPath: string | null; detail: string }

// ---------- content ----------

const TYPE_NAMES: Record<ActivityType, string> = {
  branch_general_meeting: '支部党员大会', branch_committee_meeting: '支委会', group_meeting: '党小组会', party_lesson: '党课', theme_day: '主题党日',
  oath_ceremony: '入党宣誓仪式', party_birthday: '政治生日会', seminar: '专题研讨', open_lesson: '开放式党课', live_lesson: '直播课',
  org_life_meeting: '组织生活会', democratic_life_meeting: '民主生活会', study_group: '中心组学习',
};

const GENERAL_TOPICS = [
  '学习贯彻党的二十届三中全会精神，研究部署支部重点工作',
  '听取支部委员会工作报告，开展民主评议党员',
  '讨论预备党员转正事宜，审议支部年度党建工作计划',
  '通报党费收缴使用情况，研究推进“我为群众办实事”项目',
  '学习《中国共产党纪律处分条例》，开展警示教育',
  '总结半年党建和业务工作，部署下一阶段任务',
];
const COMMITTEE_TOPICS = [
  '研究本月“三会一课”安排和主题党日活动方案',
  '研究发展党员工作，确定入党积极分子培养联系人',
  '分析党员思想状况，研究谈心谈话安排',
  '研究党费收缴、党员教育培训和志愿服务安排',
  '研究落实上级党委工作部署，细化支部任务分工',
  '听取党小组工作情况汇报，研究支部阵地建设',
];
const LESSON_TOPICS = [
  '以党的创新理论凝心铸魂',
  '严守政治纪律和政治规矩',
  '发扬斗争精神，增强斗争本领',
  '在本职岗位上践行全心全意为人民服务的宗旨',
  '读懂党章中党员的义务和权利',
  '从党的百年奋斗历程中汲取奋进力量',
  '锲而不舍落实中央八项规定精神',
];
const THEME_TOPICS = [
  '重温入党誓词，牢记初心使命',
  '走进社区开展志愿服务',
  '参观党建展示中心，接受党性教育',
  '学习党章，对照检查找差距',
  '廉政教育进家庭，共筑清廉家风',
  '“学思想、强党性、重实践、建新功”交流分享',
  '开展“亮身份、作表率”岗位实践',
];
const GROUP_TOPICS = [
  '学习习近平新时代中国特色社会主义思想有关篇目，交流学习体会',
  '组织学习党章，结合工作开展讨论',
  '交流本月思想和工作情况，征集对支部工作的意见建议',
  '开展批评与自我批评，组织党员谈心谈话',
];
const AGENDAS: Partial<Record<ActivityType, string>> = {
  branch_general_meeting: '一、集中学习有关文件精神\n二、支部书记通报支部工作情况\n三、审议有关事项并表决\n四、党员交流发言\n五、支部书记作总结讲话',
  branch_committee_meeting: '一、传达上级党组织有关工作要求\n二、研究本月支部工作安排\n三、议定有关事项，明确责任分工',
  group_meeting: '一、集中学习\n二、党员交流发言\n三、党小组长小结',
  party_lesson: '一、支部书记讲授专题党课\n二、党员交流学习体会\n三、布置学习任务',
  theme_day: '一、重温入党誓词\n二、集中学习\n三、开展主题实践活动\n四、交流分享',
};
const SUMMARIES = [
  '会议按计划召开，议程完整，党员发言踊跃，形成的决定已分工落实。',
  '通过学习，党员进一步统一了思想认识，结合岗位提出了改进措施，已纳入支部工作台账跟踪落实。',
  '活动组织有序，党员参与度高，会后已将学习材料发送请假和缺席党员补学。',
  '议定事项已报机关党委备案，相关工作按时间节点推进。',
];
const RESOLUTIONS = [
  '会议审议通过了支部下一阶段党建工作安排。',
  '会议同意将有关同志列为入党积极分子，指定培养联系人。',
  '会议通过了民主评议党员结果，报上级党组织备案。',
  '会议同意有关预备党员按期转为正式党员，报上级党组织审批。',
];
const PLACES = ['机关党员活动室', '本处会议室', '局机关三楼第二会议室', '党员之家'];
const LEAVE_REASONS = ['出差', '参加市里专项工作会议', '病假', '外出培训', '年休假', '陪护家人就医'];
const CANCEL_REASONS = ['因集中开展专项工作，会议另行安排', '因主要负责同志出差，会议延期', '与上级党委集中学习安排冲突，本次取消'];
const MAKE_UP_NOTES = ['已阅读会议记录并撰写学习体会。', '已观看活动录像，学习了会议精神。', '已向支部书记当面汇报学习情况。'];

// ---------- dates (China days as 'YYYY-MM-DD') ----------

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => dayOf(dayMs(d) + n * DAY);
const monthStart = (today: string, offset: number) => {
  const y = Number(today.slice(0, 4)), m = Number(today.slice(5, 7)) - 1 - offset;
  return dayOf(Date.UTC(y, m, 1));
};
const addMonths = (d: string, n: number) => dayOf(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1 + n, 1));
const quarterStart = (today: string, offset: number) => {
  const y = Number(today.slice(0, 4)), m = Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 - offset * 3;
  return dayOf(Date.UTC(y, m, 1));
};
const isWeekday = (d: string) => { const w = new Date(dayMs(d)).getUTCDay(); return w >= 1 && w <= 5; };
const at = (d: string, time: string) => chinaInstant(d, time).getTime();
const monthName = (d: string) => `${Number(d.slice(5, 7))}月`;
const quarterName = (d: string) => `${d.slice(0, 4)}年第${['一', '二', '三', '四'][Math.floor((Number(d.slice(5, 7)) - 1) / 3)]}季度`;

function weekdayIn(random: Random, from: string, to: string): string {
  const span = Math.round((dayMs(to) - dayMs(from)) / DAY);
  for (let i = 0; i < 12; i++) {
    const d = addDays(from, random.int(0, span));
    if (isWeekday(d)) return d;
  }
  return from;
}

export async function seedActivitiesDemo(ctx: DemoContext): Promise<void> {
  const { tx, random, today } = ctx;
  const now = Date.now();
  const historyStart = monthStart(today, 12);

  // The platform kept these orgs for the year of history written below: an org's record dates from
  // its founding, at most from the start of that year (the 三会一课 report excuses orgs founded this period).
  await tx.execute(sql`update orgs set created_at = (greatest(coalesce(founded_on, ${historyStart}::date), ${addDays(historyStart, -30)}::date)::timestamp + interval '9 hours') at time zone 'Asia/Shanghai'
    where path <@ ${ctx.root.path}::ltree and created_at > (greatest(coalesce(founded_on, ${historyStart}::date), ${addDays(historyStart, -30)}::date)::timestamp + interval '9 hours') at time zone 'Asia/Shanghai'`);

  const units = (await tx.execute<{ id: string; path: string; name: string; type: string; parent_id: string | null; secretary_name: string | null; founded_on: string | null } & Record<string, unknown>>(sql`
    select id::text, path::text, name, type, parent_id::text, secretary_name, founded_on::text from orgs where path <@ ${ctx.root.path}::ltree and dissolved_at is null order by path`)).rows
    .map((r): Unit => ({ id: r.id, path: r.path, name: r.name, type: r.type, parentId: r.parent_id, secretary: r.secretary_name, foundedOn: r.founded_on }));
  const unitById = new Map(units.map((u) => [u.id, u]));
  const members = (await tx.execute<{ id: string; org_id: string; org_path: string; stage: string; joined_month: number | null } & Record<string, unknown>>(sql`
    select id::text, org_id::text, org_path::text, stage, extract(month from joined_on)::int as joined_month from members
     where org_path <@ ${ctx.root.path}::ltree and left_at is null and stage in ('probationary', 'full') order by org_id, id`)).rows
    .map((r): PartyMember => ({ id: r.id, orgId: r.org_id, orgPath: r.org_path, stage: r.stage, joinedMonth: r.joined_month === null ? null : Number(r.joined_month) }));
  const byOrg = new Map<string, PartyMember[]>();
  for (const m of members) byOrg.set(m.orgId, [...(byOrg.get(m.orgId) ?? []), m]);
  const memberById = new Map(members.map((m) => [m.id, m]));

  const users = ctx.users;
  const usernames: Record<string, string> = { [users.admin]: 'admin', [users.bureau]: 'bureau', [users.secretary]: 'secretary', [users.member]: 'member' };
  const organizerOf = (path: string) => (path === ctx.branch.path || path.startsWith(ctx.branch.path + '.')) ? users.secretary
    : path === ctx.committee.path || path.startsWith(ctx.committee.path + '.') ? users.bureau : users.admin;
  const audits: AuditRow[] = [];
  const code = () => String(random.int(0, 999_999)).padStart(6, '0');

  // ---------- venues, halls, stations ----------
  const venueSpecs = [
    { org: ctx.root, name: '市直机关党建展示中心', kind: 'exhibition_hall', address: '北京东路 41 号市级机关大院 3 号楼', opens: '09:00', closes: '17:00',
      description: '市直机关党员教育基地，设序厅、奋斗历程展厅、新时代成就展厅、宣誓厅和报告厅，可接待参观、宣誓、党课等活动。',
      halls: [['序厅', 'area', 60], ['奋斗历程展厅', 'hall', 40], ['新时代成就展厅', 'hall', 40], ['宣誓厅', 'hall', 120], ['报告厅', 'hall', 200]] as const },
    { org: ctx.root, name: '市直机关党性锤炼中心', kind: 'tempering_centre', address: '江宁区牛首山路 88 号', opens: '08:30', closes: '17:30',
      description: '开展党性教育、情景教学和入党宣誓的现场教学点。',
      halls: [['党课教室', 'hall', 100], ['情景教学区', 'area', 60], ['宣誓广场', 'area', 200]] as const },
    { org: ctx.committee, name: '市财政局党员活动中心', kind: 'service_centre', address: '北京东路 63 号财政大楼 2 楼', opens: '09:00', closes: '17:30',
      description: '市财政局机关党委党员活动阵地，供局属各支部开展组织生活、政治生日、读书分享等活动。',
      halls: [['党员活动室', 'hall', 40], ['党建书屋', 'hall', 20], ['多功能会议室', 'hall', 60]] as const },
  ];
  const venueIds = await reserveIds(tx, 'venues', venueSpecs.length);
  const hallCount = venueSpecs.reduce((n, v) => n + v.halls.length, 0);
  const hallIds = await reserveIds(tx, 'venue_halls', hallCount);
  type HallRef = { id: string; name: string; capacity: number };
  const venues = venueSpecs.map((v, i) => ({ ...v, id: venueIds[i]!, hallRefs: [] as HallRef[] }));
  let h = 0;
  const hallRows: { id: string; venueId: string; name: string; kind: string; capacity: number; opens: string; closes: string; sort: number }[] = [];
  for (const v of venues) {
    v.halls.forEach(([name, kind, capacity], sort) => {
      const id = hallIds[h++]!;
      v.hallRefs.push({ id, name, capacity });
      hallRows.push({ id, venueId: v.id, name, kind, capacity, opens: v.opens, closes: v.closes, sort });
    });
  }
  const venueCreated = at(addDays(historyStart, -20), '10:00');
  await bulkInsert(tx, 'venues', cols<typeof venues[number]>([
    ['id', 'bigint', (v) => v.id], ['org_id', 'bigint', (v) => v.org.id], ['org_path', 'ltree', (v) => v.org.path], ['name', 'text', (v) => v.name],
    ['kind', 'text', (v) => v.kind], ['address', 'text', (v) => v.address], ['description', 'text', (v) => v.description],
    ['contact_name', 'text', () => personName(random, random.chance(0.5) ? 'male' : 'female')], ['contact_phone', 'text', () => `025-8${String(random.int(0, 9_999_999)).padStart(7, '0')}`],
    ['opens_at', TIME, (v) => v.opens], ['closes_at', TIME, (v) => v.closes],
    ['created_at', 'timestamptz', () => iso(venueCreated)], ['updated_at', 'timestamptz', () => iso(venueCreated)],
  ]), venues, { overridingIds: true });
  await bulkInsert(tx, 'venue_halls', cols<typeof hallRows[number]>([
    ['id', 'bigint', (r) => r.id], ['venue_id', 'bigint', (r) => r.venueId], ['name', 'text', (r) => r.name], ['kind', 'text', (r) => r.kind],
    ['capacity', 'int', (r) => r.capacity], ['sort_order', 'int', (r) => r.sort], ['opens_at', TIME, (r) => r.opens], ['closes_at', TIME, (r) => r.closes],
  ]), hallRows, { overridingIds: true });
  for (const v of venues) audits.push({ at: venueCreated, userId: organizerOf(v.org.path), username: usernames[organizerOf(v.org.path)]!, action: 'venue.create', targetType: 'venue', targetId: v.id, orgPath: v.org.path, detail: JSON.stringify({ name: v.name, kind: v.kind }) });

  const stations = [
    ['玄武区梅园新村街道党群服务站', '玄武区长江路 292 号', 118.7966, 32.0454],
    ['秦淮区夫子庙街道党群服务站', '秦淮区平江府路 38 号', 118.7891, 32.0217],
    ['鼓楼区宁海路街道党群服务站', '鼓楼区宁海路 122 号', 118.7627, 32.0597],
    ['建邺区南苑街道党群服务站', '建邺区南湖路 58 号', 118.7468, 32.0232],
    ['市级机关大院党员服务站', '北京东路 41 号市级机关大院 1 号楼一楼', 118.8015, 32.0561],
    ['市财政局“财心为民”服务站', '北京东路 63 号财政大楼一楼大厅', 118.8039, 32.0559],
  ] as const;
  await bulkInsert(tx, 'service_stations', cols<typeof stations[number]>([
    ['org_id', 'bigint', (s) => (s[0].startsWith('市财政局') ? ctx.committee.id : ctx.root.id)], ['org_path', 'ltree', (s) => (s[0].startsWith('市财政局') ? ctx.committee.path : ctx.root.path)],
    ['name', 'text', (s) => s[0]], ['address', 'text', (s) => s[1]], ['longitude', NUMERIC, (s) => s[2].toFixed(6)], ['latitude', NUMERIC, (s) => s[3].toFixed(6)],
    ['hours', 'text', () => '周一至周五 9:00—17:00，周六 9:00—12:00'], ['contact_name', 'text', () => personName(random, random.chance(0.5) ? 'male' : 'female')],
    ['contact_phone', 'text', () => `025-8${String(random.int(0, 9_999_999)).padStart(7, '0')}`],
    ['description', 'text', () => '提供党员报到、组织关系转接咨询、党员志愿服务对接和群众诉求收集。'],
    ['search_text', 'text', (s) => simplify(`${s[0]} ${s[1]}`)],
    ['created_at', 'timestamptz', () => iso(venueCreated)], ['updated_at', 'timestamptz', () => iso(venueCreated)],
  ]), stations);

  // ---------- bookings ----------
  const SLOTS = [['09:00', '10:30'], ['10:30', '12:00'], ['14:00', '15:30'], ['15:30', '17:00']] as const;
  const taken = new Set<string>();
  interface BookingPlan {
    id?: string; venue: typeof venues[number]; date: string; slot: number; halls: HallRef[]; unitOrg: Unit | null; unitName: string; requestedBy: string;
    expected: number; actual: number | null; purpose: BookingPurpose; status: BookingStatus; note: string | null; decisionNote: string | null;
    createdAt: number; decidedAt: number | null; decidedBy: string | null; visitedAt: number | null; contact: string; phone: string;
  }
  const bookings: BookingPlan[] = [];
  const EXTERNAL_UNITS = ['玄武区梅园新村街道党工委', '南京市第十三中学党委', '江苏省人民医院行政第三党支部', '鼓楼区宁海路社区党委', '市级机关退休干部党员读书会', '南京邮电大学经济学院学生党支部', '建邺区南苑街道党工委', '秦淮区税务局第二党支部'];
  const committeesAndBranches = units.filter((u) => u.type === 'organ_committee' || u.type === 'branch');
  const book = (spec: { venue: typeof venues[number]; date: string; slot: number; halls?: HallRef[]; unit?: Unit | null; unitName?: string; purpose: BookingPurpose; status: BookingStatus; expected?: number; note?: string | null }): BookingPlan | null => {
    const key = `${spec.venue.id}|${spec.date}|${spec.slot}`;
    if (taken.has(key)) return null;
    taken.add(key);
    const halls = spec.halls ?? pickHalls(random, spec.venue.hallRefs);
    const cap = Math.min(...halls.map((x) => x.capacity));
    const expected = spec.expected ?? Math.min(cap, random.int(12, Math.max(13, Math.min(cap, 60))));
    const unit = spec.unit === undefined ? null : spec.unit;
    const requestedBy = unit ? organizerOf(unit.path) : users.admin;
    const startsAt = at(spec.date, SLOTS[spec.slot]![0]);
    const endsAt = at(spec.date, SLOTS[spec.slot]![1]);
    const createdAt = Math.min(now - 2 * HOUR, startsAt - random.int(4, 20) * DAY - random.int(0, 6) * HOUR);
    const decided = spec.status !== 'pending' && spec.status !== 'cancelled';
    const decidedAt = decided ? Math.min(now - HOUR, createdAt + random.int(3, 30) * HOUR) : null;
    const plan: BookingPlan = {
      venue: spec.venue, date: spec.date, slot: spec.slot, halls, unitOrg: unit, unitName: spec.unitName ?? unit?.name ?? random.pick(EXTERNAL_UNITS), requestedBy,
      expected, actual: spec.status === 'visited' ? Math.max(1, expected - random.int(0, Math.min(6, expected - 1))) : null,
      purpose: spec.purpose, status: spec.status, note: spec.note ?? null,
      decisionNote: spec.status === 'declined' ? '该时段展厅布展调整，暂停接待，请改约其他日期。' : spec.status === 'confirmed' || spec.status === 'visited' ? '已确认，请提前 10 分钟到达序厅集合。' : null,
      createdAt, decidedAt, decidedBy: decided ? organizerOf(spec.venue.org.path) : null,
      visitedAt: spec.status === 'visited' ? endsAt + random.int(1, 5) * HOUR : null,
      contact: personName(random, random.chance(0.5) ? 'male' : 'female'), phone: `139${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
    };
    bookings.push(plan);
    return plan;
  };
  const V = { centre: venues[0]!, tempering: venues[1]!, bureau: venues[2]! };
  const hall = (v: typeof venues[number], name: string) => v.hallRefs.find((x) => x.name === name)!;
  const weekdayNear = (d: string, dir: 1 | -1) => { let x = d; while (!isWeekday(x)) x = addDays(x, dir); return x; };
  const financeUnits = units.filter((u) => (u.path + '.').startsWith(ctx.committee.path + '.') && (u.type === 'branch' || u.type === 'organ_committee'));
  const branchUnit = unitById.get(ctx.branch.id)!;
  const committeeUnit = unitById.get(ctx.committee.id)!;
  const rootUnit = unitById.get(ctx.root.id)!;

  // bookings that activities below are held on
  const pastOathDate = weekdayNear(addDays(today, -random.int(80, 100)), -1);
  const pastOath = book({ venue: V.tempering, date: pastOathDate, slot: 0, halls: [hall(V.tempering, '宣誓广场')], unit: committeeUnit, purpose: 'oath_ceremony', status: 'visited', expected: 40, note: '新党员入党宣誓，另需音响一套' })!;
  const pastLessonDates = [weekdayNear(addDays(today, -random.int(150, 170)), -1), weekdayNear(addDays(today, -random.int(40, 55)), -1)];
  const pastLessons = pastLessonDates.map((d) => book({ venue: V.centre, date: d, slot: 2, halls: [hall(V.centre, '报告厅')], unit: rootUnit, purpose: 'lecture', status: 'visited', expected: 150 })!);
  const nextOathDate = weekdayNear(addDays(today, random.int(12, 18)), 1);
  const nextOath = book({ venue: V.centre, date: nextOathDate, slot: 0, halls: [hall(V.centre, '宣誓厅'), hall(V.centre, '序厅')], unit: rootUnit, purpose: 'oath_ceremony', status: 'confirmed', expected: 50 })!;
  const nextLessonDate = weekdayNear(addDays(today, random.int(7, 10)), 1);
  const nextLesson = book({ venue: V.tempering, date: nextLessonDate, slot: 2, halls: [hall(V.tempering, '党课教室')], unit: rootUnit, purpose: 'lecture', status: 'confirmed', expected: 90 })!;
  const birthdayDate = weekdayNear(addDays(today, random.int(5, 9)), 1);
  const nextBirthday = book({ venue: V.bureau, date: birthdayDate, slot: 2, halls: [hall(V.bureau, '党员活动室')], unit: branchUnit, purpose: 'party_birthday', status: 'confirmed', expected: 20 })!;

  const PURPOSES: BookingPurpose[] = ['visit', 'visit', 'visit', 'visit', 'visit', 'visit', 'org_life', 'lecture', 'oath_ceremony', 'party_birthday', 'seminar', 'salon'];
  const randomPast = (venue: typeof venues[number], count: number, unitPool: Unit[]) => {
    for (let i = 0; i < count; i++) {
      const date = weekdayIn(random, addDays(today, -360), addDays(today, -2));
      const r = random.next();
      const status: BookingStatus = r < 0.88 ? 'visited' : r < 0.94 ? 'declined' : 'cancelled';
      book({ venue, date, slot: random.int(0, 3), unit: random.chance(0.55) ? random.pick(unitPool) : null, purpose: random.pick(PURPOSES), status });
    }
  };
  randomPast(V.centre, 34, committeesAndBranches);
  randomPast(V.tempering, 22, committeesAndBranches);
  randomPast(V.bureau, 14, financeUnits);
  const upcoming = (venue: typeof venues[number], status: BookingStatus, unitPool: Unit[], count: number) => {
    for (let i = 0; i < count; i++) {
      const date = weekdayIn(random, addDays(today, 2), addDays(today, 30));
      book({ venue, date, slot: random.int(0, 3), unit: random.chance(0.6) ? random.pick(unitPool) : null, purpose: random.pick(PURPOSES), status,
        note: status === 'pending' ? random.pick(['请安排讲解员一名', '部分同志年龄较大，请预留座位', '计划参观后在序厅合影', null]) : null });
    }
  };
  upcoming(V.centre, 'confirmed', committeesAndBranches, 3);
  upcoming(V.tempering, 'confirmed', committeesAndBranches, 2);
  upcoming(V.bureau, 'confirmed', financeUnits, 2);
  upcoming(V.centre, 'pending', committeesAndBranches, 2);
  upcoming(V.tempering, 'pending', committeesAndBranches, 1);
  upcoming(V.bureau, 'pending', financeUnits.filter((u) => u.id !== ctx.branch.id), 2);
  bookings.sort((a, b) => at(a.date, SLOTS[a.slot]![0]) - at(b.date, SLOTS[b.slot]![0]));
  const bookingIds = await reserveIds(tx, 'venue_bookings', bookings.length);
  bookings.forEach((b, i) => { b.id = bookingIds[i]!; });
  const slotOf = (b: BookingPlan) => ({ startsAt: at(b.date, SLOTS[b.slot]![0]), endsAt: at(b.date, SLOTS[b.slot]![1]) });
  await bulkInsert(tx, 'venue_bookings', cols<BookingPlan>([
    ['id', 'bigint', (b) => b.id!], ['venue_id', 'bigint', (b) => b.venue.id], ['unit_org_id', 'bigint', (b) => b.unitOrg?.id ?? null], ['unit_name', 'text', (b) => b.unitName],
    ['unit_key', 'text', (b) => (b.unitOrg ? `org:${b.unitOrg.id}` : `name:${simplify(b.unitName).replace(/\s+/g, '').toLowerCase()}`)],
    ['contact_name', 'text', (b) => b.contact], ['contact_phone', 'text', (b) => b.phone], ['visit_date', 'date', (b) => b.date],
    ['starts_at', 'timestamptz', (b) => iso(slotOf(b).startsAt)], ['ends_at', 'timestamptz', (b) => iso(slotOf(b).endsAt)],
    ['expected_headcount', 'int', (b) => b.expected], ['actual_headcount', 'int', (b) => b.actual], ['purpose', 'text', (b) => b.purpose], ['status', 'text', (b) => b.status],
    ['note', 'text', (b) => b.note], ['decision_note', 'text', (b) => b.decisionNote], ['requested_by', 'bigint', (b) => b.requestedBy],
    ['decided_by', 'bigint', (b) => b.decidedBy], ['decided_at', 'timestamptz', (b) => isoOrNull(b.decidedAt)], ['visited_at', 'timestamptz', (b) => isoOrNull(b.visitedAt)],
    ['created_at', 'timestamptz', (b) => iso(b.createdAt)],
  ]), bookings, { overridingIds: true });
  const bookingHalls = bookings.flatMap((b) => b.halls.map((x) => ({ b, hallId: x.id })));
  await bulkInsert(tx, 'venue_booking_halls', cols<typeof bookingHalls[number]>([
    ['booking_id', 'bigint', (r) => r.b.id!], ['hall_id', 'bigint', (r) => r.hallId], ['starts_at', 'timestamptz', (r) => iso(slotOf(r.b).startsAt)],
    ['ends_at', 'timestamptz', (r) => iso(slotOf(r.b).endsAt)], ['is_holding', BOOL, (r) => (r.b.status === 'declined' || r.b.status === 'cancelled' ? 'false' : 'true')],
  ]), bookingHalls);
  for (const b of bookings) {
    const path = b.venue.org.path;
    const detail = JSON.stringify({ venueId: b.venue.id, unitName: b.unitName, date: b.date, purpose: b.purpose, expectedHeadcount: b.expected });
    audits.push({ at: b.createdAt, userId: b.requestedBy, username: usernames[b.requestedBy]!, action: 'booking.create', targetType: 'venue_booking', targetId: b.id!, orgPath: path, detail });
    if (b.decidedAt) {
      const action = b.status === 'declined' ? 'booking.decline' : 'booking.confirm';
      audits.push({ at: b.decidedAt, userId: b.decidedBy!, username: usernames[b.decidedBy!]!, action, targetType: 'venue_booking', targetId: b.id!, orgPath: path, detail: JSON.stringify({ from: 'pending', to: b.status === 'declined' ? 'declined' : 'confirmed' }) });
    }
    if (b.status === 'cancelled') audits.push({ at: b.createdAt + 2 * DAY, userId: b.requestedBy, username: usernames[b.requestedBy]!, action: 'booking.cancel', targetType: 'venue_booking', targetId: b.id!, orgPath: path, detail: JSON.stringify({ from: 'pending', to: 'cancelled' }) });
    if (b.visitedAt) audits.push({ at: b.visitedAt, userId: b.decidedBy!, username: usernames[b.decidedBy!]!, action: 'booking.visit', targetType: 'venue_booking', targetId: b.id!, orgPath: path, detail: JSON.stringify({ from: 'confirmed', to: 'visited', actualHeadcount: b.actual }) });
  }

  // ---------- activities ----------
  const plans: Omit<Planned, 'id'>[] = [];
  const partyIds = (orgId: string) => (byOrg.get(orgId) ?? []).map((m) => m.id);
  const selectionOf = (orgIds: string[], memberIds: string[] = [], includeSubOrgs = false) =>
    JSON.stringify({ orgIds, includeSubOrgs, stages: ['probationary', 'full'], memberIds });

  /** An activity at a time, with the status the service would show for it now. */
  const plan = (p: {
    org: Unit; type: ActivityType; title: string; topic?: string | null; agenda?: string | null; day: string; time: string; hours: number;
    invitees: string[]; selection: string; place?: string | null; venueId?: string | null; booking?: BookingPlan | null; isPublic?: boolean; bringTake?: boolean;
    missed?: 'cancelled'; walkIns?: boolean; host?: string | null;
  }) => {
    const startsAt = p.booking ? slotOf(p.booking).startsAt : at(p.day, p.time);
    const endsAt = p.booking ? slotOf(p.booking).endsAt : startsAt + p.hours * HOUR;
    const createdBy = organizerOf(p.org.path);
    const createdAt = Math.min(now - 3 * HOUR, startsAt - random.int(5, 15) * DAY - random.int(0, 5) * HOUR);
    let status: ActivityStatus;
    let publishedAt: number | null = Math.min(now - 2 * HOUR, createdAt + random.int(2, 30) * HOUR);
    let closedAt: number | null = null, cancelledAt: number | null = null, cancelReason: string | null = null;
    if (p.missed) {
      status = 'cancelled';
      cancelledAt = Math.min(now - HOUR, startsAt - random.int(1, 3) * DAY);
      cancelReason = random.pick(CANCEL_REASONS);
    } else if (startsAt > now) {
      if (startsAt - now > 21 * DAY) { status = 'draft'; publishedAt = null; } else status = 'published';
    } else if (endsAt < now - 3 * DAY || (endsAt < now && random.chance(0.6))) {
      status = 'closed';
      closedAt = Math.min(now - 10 * MINUTE, endsAt + random.int(1, 72) * HOUR);
    } else status = 'published';
    const venueId = p.booking ? p.booking.venue.id : p.venueId ?? null;
    plans.push({
      org: p.org, type: p.type, title: p.title, topic: p.topic ?? null, agenda: p.agenda ?? AGENDAS[p.type] ?? null, startsAt, endsAt, opensAt: startsAt - 30 * MINUTE,
      place: p.booking ? `${p.booking.venue.name}${p.booking.halls.map((x) => x.name).join('、')}` : p.place ?? random.pick(PLACES),
      venueId, bookingId: p.booking?.id ?? null, host: p.host === undefined ? p.org.secretary : p.host, isPublic: p.isPublic ?? false, bringTake: p.bringTake ?? false,
      status, createdAt, publishedAt, closedAt, cancelledAt, cancelReason, createdBy, code: code(), selection: p.selection, invitees: p.invitees, fixed: new Map(),
      walkIns: p.walkIns ?? false, live: false, closing: { markedAbsent: 0, makeUpTasks: 0, pointsAwardedTo: 0 }, minutes: null, resolutions: null, summary: null,
    });
    return plans[plans.length - 1]!;
  };

  const cadenceUnits = units.filter((u) => (u.type === 'branch' || u.type === 'temporary_branch') && (byOrg.get(u.id)?.length ?? 0) > 0);
  const groups = units.filter((u) => u.type === 'group');
  const startOf = (u: Unit) => (u.foundedOn && u.foundedOn > historyStart ? u.foundedOn : historyStart);
  // units that missed the last period and have not caught up: the report's overdue rows
  const overdue = new Set<string>();
  const financeOther = cadenceUnits.find((u) => u.name === '税政处党支部' && u.path.startsWith(ctx.committee.path + '.'));
  if (financeOther) overdue.add(`${financeOther.id}|branch_committee_meeting`);
  const others = cadenceUnits.filter((u) => !u.path.startsWith(ctx.committee.path + '.'));
  for (let i = 0; i < 4 && others.length; i++) overdue.add(`${others[(i * 7 + 3) % others.length]!.id}|${i % 2 ? 'branch_general_meeting' : 'branch_committee_meeting'}`);
  const budgetGroups = groups.filter((g) => g.parentId === ctx.branch.id);
  if (budgetGroups[1]) overdue.add(`${budgetGroups[1].id}|group_meeting`);

  /** One activity per period of a unit, over the year; the current period's only if its day has come or is near. */
  const cadence = (u: Unit, type: ActivityType, months: 1 | 3, make: (periodStart: string, k: number) => { title: string; topic: string; invitees: string[]; selection: string; place?: string; venueId?: string | null },
    skip: (periodStart: string) => boolean = () => false) => {
    const periods = months === 1 ? 13 : 5;
    for (let k = periods - 1; k >= 0; k--) {
      const start = months === 1 ? monthStart(today, k) : quarterStart(today, k);
      const end = addDays(addMonths(start, months), -1);
      // a year: the periods that began in the last twelve months
      if (start < historyStart || end < startOf(u) || skip(start)) continue;
      const isCurrent = k === 0, isPrevious = k === 1;
      if ((isCurrent || isPrevious) && overdue.has(`${u.id}|${type}`)) continue;
      // 预算处's 党课 of this quarter is the one happening now (below)
      if (isCurrent && type === 'party_lesson' && u.id === ctx.branch.id) continue;
      const day = weekdayIn(random, start < startOf(u) ? startOf(u) : start, end);
      if (isCurrent && day === today) continue;
      if (!isCurrent && random.chance(0.07)) {
        if (random.chance(0.4)) plan({ org: u, type, ...make(start, k), day, time: random.pick(['09:00', '14:30']), hours: 1.5, missed: 'cancelled' });
        continue;
      }
      plan({ org: u, type, ...make(start, k), day, time: random.pick(['09:00', '09:30', '14:30', '15:00']), hours: type === 'branch_committee_meeting' || type === 'group_meeting' ? 1 : 2 });
    }
  };

  for (const u of cadenceUnits) {
    const all = partyIds(u.id);
    const committee = all.slice(0, Math.min(5, all.length));
    const whole = selectionOf([u.id]);
    const isBudget = u.id === ctx.branch.id;
    cadence(u, 'branch_committee_meeting', 1, (s, k) => ({ title: `${monthName(s)}支委会`, topic: COMMITTEE_TOPICS[(k + u.name.length) % COMMITTEE_TOPICS.length]!, invitees: committee, selection: selectionOf([], committee) }));
    cadence(u, 'branch_general_meeting', 3, (s, k) => ({ title: `${quarterName(s)}支部党员大会`, topic: GENERAL_TOPICS[(k + u.name.length) % GENERAL_TOPICS.length]!, invitees: all, selection: whole }));
    cadence(u, 'party_lesson', 3, (s, k) => {
      const topic = LESSON_TOPICS[(k * 3 + u.name.length) % LESSON_TOPICS.length]!;
      const atBureau = u.path.startsWith(ctx.committee.path + '.') && !isBudget && random.chance(0.5);
      return { title: `专题党课：${topic}`, topic, invitees: all, selection: whole, ...(atBureau ? { place: `${V.bureau.name}党员活动室`, venueId: V.bureau.id } : {}) };
    });
    // 主题党日 is combined with the 党员大会 or 党课 of the month when there is one (主题党日+三会一课)
    const combined = new Set(plans.filter((p) => p.org === u && (p.type === 'branch_general_meeting' || p.type === 'party_lesson') && p.status !== 'cancelled').map((p) => chinaDate(p.startsAt).slice(0, 7)));
    cadence(u, 'theme_day', 1, (s, k) => {
      const topic = THEME_TOPICS[(k + u.name.length * 2) % THEME_TOPICS.length]!;
      return { title: `${monthName(s)}主题党日：${topic}`, topic, invitees: all, selection: whole };
    }, (s) => combined.has(s.slice(0, 7)) || (isBudget && s === monthStart(today, 0)));
  }
  for (const g of groups) {
    const siblings = groups.filter((x) => x.parentId === g.parentId);
    const index = siblings.indexOf(g);
    const pool = partyIds(g.parentId!).filter((_, i) => i % siblings.length === index);
    if (pool.length === 0) continue;
    cadence(g, 'group_meeting', 1, (s, k) => ({ title: `${g.name}${monthName(s)}党小组会`, topic: GROUP_TOPICS[(k + index) % GROUP_TOPICS.length]!, invitees: pool, selection: selectionOf([], pool) }));
  }

  // 预算处党支部: this month's 主题党日 in the coming days (三带来 open), and the 党课 happening now
  const budgetAll = partyIds(ctx.branch.id);
  const budgetThemeDay = weekdayNear(addDays(today, random.int(3, 6)), 1);
  const themeDay = plan({ org: branchUnit, type: 'theme_day', title: `${monthName(budgetThemeDay)}主题党日：围绕年度预算编制开展“三带来三带走”`, topic: '党员带着金点子、意见建议和志愿服务项目来，带着学习收获和工作思路走',
    agenda: '一、重温入党誓词\n二、“三带来”交流：金点子、意见建议、志愿服务项目\n三、支部书记点评\n四、“三带走”：每人写下一条收获', day: budgetThemeDay, time: '14:30', hours: 2,
    invitees: budgetAll, selection: selectionOf([ctx.branch.id]), bringTake: true });
  // the demo member has not opened these notices yet
  themeDay.fixed.set(ctx.members.member, 'invited');
  const lessonTopic = '深入学习贯彻党的二十届三中全会精神，在预算管理改革中走在前列';
  const nowStart = Math.min(now + 15 * MINUTE, at(addDays(chinaDate(now), 1), '00:00') - 90 * MINUTE);
  const nowLesson: Omit<Planned, 'id'> = {
    org: branchUnit, type: 'party_lesson', title: `专题党课：${lessonTopic}`, topic: lessonTopic, agenda: '',
    startsAt: nowStart, endsAt: nowStart + 2 * HOUR, opensAt: Math.min(now - 15 * MINUTE, nowStart - 30 * MINUTE), place: '财政大楼 5 楼党员活动室', venueId: null, bookingId: null,
    host: branchUnit.secretary, isPublic: false, bringTake: false, status: 'published', createdAt: now - 6 * DAY, publishedAt: now - 5 * DAY, closedAt: null,
    cancelledAt: null, cancelReason: null, createdBy: users.secretary, code: String(random.int(100_000, 999_999)), selection: selectionOf([ctx.branch.id]),
    invitees: budgetAll, fixed: new Map([[ctx.members.member, 'invited']]), walkIns: false, live: true, closing: { markedAbsent: 0, makeUpTasks: 0, pointsAwardedTo: 0 }, minutes: null, resolutions: null, summary: null,
  };
  nowLesson.agenda = `一、支部书记讲授专题党课（约 60 分钟）\n二、党员交流学习体会\n三、布置下阶段学习任务\n签到：扫描会场大屏上的二维码，或在“我的活动”中输入签到码 ${nowLesson.code}`;
  plans.push(nowLesson);

  // political birthdays: 预算处 last month and (at the bureau's centre) in the coming days; a few other branches
  const birthdayOf = (u: Unit, month: number) => {
    const found = (byOrg.get(u.id) ?? []).filter((m) => m.joinedMonth === month).map((m) => m.id);
    return found.length >= 2 ? found : partyIds(u.id).filter((_, i) => i % 6 === month % 6).slice(0, 6);
  };
  const lastMonth = monthStart(today, 1);
  plan({ org: branchUnit, type: 'party_birthday', title: `${monthName(lastMonth)}政治生日会`, topic: '为本月入党的同志过政治生日，赠送政治生日贺卡，重温入党志愿书', day: weekdayIn(random, lastMonth, addDays(lastMonth, 25)), time: '16:00', hours: 1,
    invitees: birthdayOf(branchUnit, Number(lastMonth.slice(5, 7))), selection: selectionOf([], birthdayOf(branchUnit, Number(lastMonth.slice(5, 7)))), agenda: '一、重温入党誓词\n二、赠送政治生日贺卡\n三、过生日的同志谈入党初心' });
  plan({ org: branchUnit, type: 'party_birthday', title: `${monthName(birthdayDate)}政治生日会`, topic: '为本月入党的同志过政治生日', day: birthdayDate, time: '14:00', hours: 1.5, booking: nextBirthday,
    invitees: birthdayOf(branchUnit, Number(birthdayDate.slice(5, 7))), selection: selectionOf([], birthdayOf(branchUnit, Number(birthdayDate.slice(5, 7)))), agenda: '一、重温入党誓词\n二、赠送政治生日贺卡\n三、过生日的同志谈入党初心' });
  for (const u of cadenceUnits.filter((_, i) => i % 9 === 4).slice(0, 6)) {
    const d = weekdayIn(random, addDays(today, -300), addDays(today, -10));
    const ids = birthdayOf(u, Number(d.slice(5, 7)));
    if (ids.length) plan({ org: u, type: 'party_birthday', title: `${monthName(d)}政治生日会`, topic: '为本月入党的同志过政治生日', day: d, time: '16:00', hours: 1, invitees: ids, selection: selectionOf([], ids) });
  }

  // oath ceremonies: the bureau's, held at the tempering centre; the city's, in the coming weeks at the exhibition centre
  const probationaryIn = (path: string) => members.filter((m) => m.stage === 'probationary' && (m.orgPath === path || m.orgPath.startsWith(path + '.'))).map((m) => m.id);
  const financeNew = probationaryIn(ctx.committee.path);
  const financeOath = financeNew.length ? financeNew : partyIds(ctx.branch.id).slice(0, 5);
  plan({ org: committeeUnit, type: 'oath_ceremony', title: '市财政局新党员入党宣誓仪式', topic: '新党员面向党旗庄严宣誓，老党员代表寄语', day: pastOathDate, time: '09:00', hours: 1.5, booking: pastOath,
    invitees: financeOath, selection: JSON.stringify({ orgIds: [ctx.committee.id], includeSubOrgs: true, stages: ['probationary'], memberIds: [] }),
    agenda: '一、奏唱国歌\n二、新党员面向党旗宣誓\n三、新党员代表发言\n四、机关党委书记讲话' });
  const cityNew = probationaryIn(ctx.root.path);
  plan({ org: rootUnit, type: 'oath_ceremony', title: '市直机关新党员集体入党宣誓仪式', topic: '市直机关各单位新党员集中宣誓，参观党建展示中心', day: nextOathDate, time: '09:00', hours: 1.5, booking: nextOath,
    invitees: cityNew, selection: JSON.stringify({ orgIds: [ctx.root.id], includeSubOrgs: true, stages: ['probationary'], memberIds: [] }),
    agenda: '一、参观序厅\n二、新党员面向党旗宣誓\n三、领誓人领誓\n四、工委领导讲话', host: '市直机关工委组织部' });

  // open classes of the work committee: two held (walk-ins signed in), one in the coming days, open to the public
  const openTopics = ['“中国式现代化”的理论与实践', '新时代机关党建高质量发展', '以钉钉子精神抓好工作落实'];
  pastLessons.forEach((b, i) => plan({ org: rootUnit, type: 'open_lesson', title: `市直机关开放式党课：${openTopics[i]!}`, topic: openTopics[i]!, day: b.date, time: '14:00', hours: 1.5, booking: b,
    invitees: [], selection: '{}', walkIns: true, host: random.pick(['市委党校教授', '市直机关工委副书记']) }));
  plan({ org: rootUnit, type: 'open_lesson', title: `市直机关开放式党课：${openTopics[2]!}`, topic: openTopics[2]!, day: nextLessonDate, time: '14:00', hours: 1.5, booking: nextLesson,
    invitees: [], selection: '{}', isPublic: true, host: '市委党校教授' });

  // seminars of the bureau's young cadres: one held, one in the coming weeks
  const young = members.filter((m) => m.orgPath.startsWith(ctx.committee.path + '.')).map((m) => m.id).filter((_, i) => i % 7 === 2).slice(0, 24);
  const seminarTopics = ['青年理论学习小组：财政政策如何更好服务高质量发展', '青年理论学习小组：以数字化改革提升预算绩效管理'];
  plan({ org: committeeUnit, type: 'seminar', title: seminarTopics[0]!, topic: seminarTopics[0]!, day: weekdayIn(random, addDays(today, -70), addDays(today, -40)), time: '15:00', hours: 2,
    invitees: young, selection: selectionOf([], young), place: `${V.bureau.name}多功能会议室`, venueId: V.bureau.id });
  plan({ org: committeeUnit, type: 'seminar', title: seminarTopics[1]!, topic: seminarTopics[1]!, day: weekdayNear(addDays(today, random.int(15, 20)), 1), time: '15:00', hours: 2,
    invitees: young, selection: selectionOf([], young), place: `${V.bureau.name}多功能会议室`, venueId: V.bureau.id, bringTake: true });

  // the demo member's 补学: on leave at one meeting (made up), absent at the latest one (still to do)
  const memberClosed = plans.filter((p) => p.org.id === ctx.branch.id && p.status === 'closed' && (p.type === 'branch_general_meeting' || p.type === 'theme_day' || p.type === 'party_lesson')
    && p.invitees.includes(ctx.members.member)).sort((a, b) => a.startsAt - b.startsAt);
  const latest = memberClosed[memberClosed.length - 1];
  const earlier = memberClosed[memberClosed.length - 3];
  if (latest) latest.fixed.set(ctx.members.member, 'absent');
  if (earlier) earlier.fixed.set(ctx.members.member, 'leave');
  // the bureau's member on leave at the latest closed meeting they were called to: 我的补学 has a task on any day
  // (left to chance, some days it had none)
  const bureauClosed = plans.filter((p) => p.status === 'closed' && p.invitees.includes(ctx.members.bureau)).sort((a, b) => a.startsAt - b.startsAt);
  bureauClosed[bureauClosed.length - 1]?.fixed.set(ctx.members.bureau, 'leave');

  const ids = await reserveIds(tx, 'activities', plans.length);
  const activities: Planned[] = plans.map((p, i) => ({ ...p, id: ids[i]! }));

  // ---------- participants, records, 补学 ----------
  const participants: ParticipantRow[] = [];
  const makeUps: MakeUpRow[] = [];
  const walkInPool = members.map((m) => m.id);
  for (const a of activities) {
    const ended = a.endsAt < now;
    const started = a.startsAt <= now;
    const rows: ParticipantRow[] = [];
    const invitees = a.walkIns ? pickSome(random, walkInPool, random.int(90, 140)) : a.invitees;
    for (const memberId of invitees) {
      const row: ParticipantRow = { activityId: a.id, memberId, state: 'invited', registeredAt: null, leaveReason: null, checkedInAt: null, method: null, readAt: null };
      if (a.publishedAt !== null && random.chance(started ? 0.93 : 0.55)) row.readAt = Math.min(now - MINUTE, a.publishedAt + random.int(1, 40) * HOUR);
      if (a.walkIns) {
        Object.assign(row, { state: 'present', readAt: null, checkedInAt: a.startsAt - random.int(1, 25) * MINUTE, method: random.chance(0.8) ? 'qr' : 'code' });
      } else if (a.status === 'published' || a.status === 'closed') {
        const r = random.next();
        let state: AttendanceState;
        if (a.live) state = r < 0.4 ? 'present' : r < 0.47 ? 'leave' : 'invited';
        else if (!started) state = r < 0.3 ? 'registered' : r < 0.35 ? 'leave' : 'invited';
        else state = r < 0.82 ? 'present' : r < 0.86 ? 'late' : r < 0.94 ? 'leave' : a.status === 'closed' ? 'absent' : 'invited';
        state = a.fixed.get(memberId) ?? state;
        row.state = state;
        if (state === 'present' || state === 'late') {
          row.checkedInAt = state === 'present' ? Math.max(a.opensAt + MINUTE, Math.min(now - MINUTE, a.startsAt - random.int(1, 25) * MINUTE)) : a.startsAt + random.int(2, 20) * MINUTE;
          row.method = random.chance(0.7) ? 'qr' : random.chance(0.9) ? 'code' : 'organizer';
        }
        if (state === 'leave') row.leaveReason = random.pick(LEAVE_REASONS);
        if ((state === 'registered' || ((state === 'present' || state === 'late') && random.chance(0.3))) && a.publishedAt !== null) {
          row.registeredAt = Math.min(now - MINUTE, a.publishedAt + random.int(1, 48) * HOUR, a.startsAt - MINUTE);
        }
        if (state !== 'invited') row.readAt ??= Math.min(now - MINUTE, (a.publishedAt ?? a.createdAt) + random.int(1, 30) * HOUR, row.checkedInAt ?? Infinity);
      }
      if (a.fixed.get(memberId) === 'invited') row.readAt = null;
      rows.push(row);
    }
    participants.push(...rows);
    const count = (s: AttendanceState[]) => rows.filter((r) => s.includes(r.state)).length;
    if (a.status === 'closed') {
      const total = rows.length, attended = count(['present', 'late']), leave = count(['leave']), absent = count(['absent']);
      a.closing = { markedAbsent: absent, makeUpTasks: absent + leave, pointsAwardedTo: attended };
      const hasMinutes = a.walkIns || random.chance(0.94);
      a.minutes = hasMinutes ? minutesOf(a, total, attended, leave, absent) : null;
      a.summary = random.chance(0.9) ? random.pick(SUMMARIES) : null;
      a.resolutions = a.type === 'branch_general_meeting' || a.type === 'branch_committee_meeting' ? random.pick(RESOLUTIONS) : null;
      for (const r of rows) {
        if (r.state !== 'absent' && r.state !== 'leave') continue;
        const age = now - a.closedAt!;
        let done = random.chance(age > 45 * DAY ? 0.9 : age > 10 * DAY ? 0.6 : 0.2);
        const fixed = a.fixed.get(r.memberId);
        if (fixed && r.memberId === ctx.members.member) done = fixed === 'leave';
        const doneAt = done ? Math.min(now - HOUR, a.closedAt! + random.int(1, 20) * DAY + random.int(0, 8) * HOUR) : null;
        makeUps.push({ activityId: a.id, memberId: r.memberId, orgPath: memberById.get(r.memberId)?.orgPath ?? a.org.path, reason: r.state, status: done ? 'done' : 'open',
          note: done ? random.pick(MAKE_UP_NOTES) : null, createdAt: a.closedAt!, doneAt });
      }
    } else if (a.status === 'published' && ended && random.chance(0.5)) {
      a.minutes = minutesOf(a, rows.length, count(['present', 'late']), count(['leave']), count(['absent', 'invited', 'registered']));
    }
  }

  await bulkInsert(tx, 'activities', cols<Planned>([
    ['id', 'bigint', (a) => a.id], ['org_id', 'bigint', (a) => a.org.id], ['org_path', 'ltree', (a) => a.org.path], ['type', 'text', (a) => a.type],
    ['title', 'text', (a) => a.title], ['topic', 'text', (a) => a.topic], ['agenda', 'text', (a) => a.agenda], ['starts_at', 'timestamptz', (a) => iso(a.startsAt)],
    ['ends_at', 'timestamptz', (a) => iso(a.endsAt)], ['place', 'text', (a) => a.place], ['venue_id', 'bigint', (a) => a.venueId], ['venue_booking_id', 'bigint', (a) => a.bookingId],
    ['host_name', 'text', (a) => a.host], ['is_public', BOOL, (a) => String(a.isPublic)], ['asks_bring_and_take', BOOL, (a) => String(a.bringTake)], ['status', 'text', (a) => a.status],
    ['check_in_opens_at', 'timestamptz', (a) => iso(a.opensAt)], ['check_in_closes_at', 'timestamptz', (a) => iso(a.endsAt)], ['check_in_code', 'text', (a) => a.code],
    ['minutes', 'text', (a) => a.minutes], ['resolutions', 'text', (a) => a.resolutions], ['summary', 'text', (a) => a.summary], ['selection', 'jsonb', (a) => a.selection],
    ['search_text', 'text', (a) => simplify(`${a.title} ${a.topic ?? ''} ${a.host ?? ''}`)], ['created_by', 'bigint', (a) => a.createdBy],
    ['created_at', 'timestamptz', (a) => iso(a.createdAt)], ['updated_at', 'timestamptz', (a) => iso(Math.max(a.createdAt, a.publishedAt ?? 0, a.closedAt ?? 0, a.cancelledAt ?? 0))],
    ['published_at', 'timestamptz', (a) => isoOrNull(a.publishedAt)], ['closed_at', 'timestamptz', (a) => isoOrNull(a.closedAt)],
    ['cancelled_at', 'timestamptz', (a) => isoOrNull(a.cancelledAt)], ['cancel_reason', 'text', (a) => a.cancelReason],
  ]), activities, { overridingIds: true });
  await bulkInsert(tx, 'activity_participants', cols<ParticipantRow>([
    ['activity_id', 'bigint', (r) => r.activityId], ['member_id', 'bigint', (r) => r.memberId], ['state', 'text', (r) => r.state],
    ['registered_at', 'timestamptz', (r) => isoOrNull(r.registeredAt)], ['leave_reason', 'text', (r) => r.leaveReason], ['checked_in_at', 'timestamptz', (r) => isoOrNull(r.checkedInAt)],
    ['check_in_method', 'text', (r) => r.method], ['read_at', 'timestamptz', (r) => isoOrNull(r.readAt)],
  ]), participants, { batchSize: 20_000 });
  await bulkInsert(tx, 'make_up_tasks', cols<MakeUpRow>([
    ['activity_id', 'bigint', (r) => r.activityId], ['member_id', 'bigint', (r) => r.memberId], ['org_path', 'ltree', (r) => r.orgPath], ['reason', 'text', (r) => r.reason],
    ['status', 'text', (r) => r.status], ['note', 'text', (r) => r.note], ['created_at', 'timestamptz', (r) => iso(r.createdAt)], ['done_at', 'timestamptz', (r) => isoOrNull(r.doneAt)],
  ]), makeUps);

  // attending earns points once the record is closed (rule activity_attend, under its daily cap), as closeActivity
  // awards them. The platform admin switched the rule on at the start of the month three months ago (recorded as the
  // points module records it); records closed before then earned nothing, as closeActivity awards nothing under a disabled rule.
  const rule = (await tx.execute<{ points: number; daily_cap: number } & Record<string, unknown>>(sql`
    select points, daily_cap from point_rules where code = 'activity_attend' and is_enabled`)).rows[0];
  if (rule) {
    const enabledAt = at(monthStart(today, 3), '09:00');
    await tx.execute(sql`update point_rules set updated_at = ${iso(enabledAt)}::timestamptz where code = 'activity_attend'`);
    const state = { code: 'activity_attend', name: '参加组织生活', points: Number(rule.points), dailyCap: Number(rule.daily_cap), weeklyCap: null };
    audits.push({ at: enabledAt, userId: users.admin, username: 'admin', action: 'points.rule_update', targetType: 'point_rule', targetId: 'activity_attend', orgPath: null,
      detail: JSON.stringify({ before: { ...state, isEnabled: false }, after: { ...state, isEnabled: true } }) });
    const attendedBy = new Map<string, ParticipantRow[]>();
    for (const p of participants) if (p.state === 'present' || p.state === 'late') attendedBy.set(p.activityId, [...(attendedBy.get(p.activityId) ?? []), p]);
    const earned = new Map<string, number>();
    const ledger: { memberId: string; orgPath: string; sourceId: string; points: number; day: string; at: number }[] = [];
    for (const a of activities.filter((x) => x.status === 'closed' && x.closedAt! >= enabledAt).sort((x, y) => x.closedAt! - y.closedAt! || Number(x.id) - Number(y.id))) {
      const day = chinaDate(a.startsAt);
      for (const p of attendedBy.get(a.id) ?? []) {
        const key = `${p.memberId}|${day}`;
        const before = earned.get(key) ?? 0;
        const points = Math.max(0, Math.min(Number(rule.points), Number(rule.daily_cap) - before));
        earned.set(key, before + points);
        ledger.push({ memberId: p.memberId, orgPath: memberById.get(p.memberId)!.orgPath, sourceId: `${a.id}:${p.memberId}`, points, day, at: a.closedAt! });
      }
    }
    await bulkInsert(tx, 'points_ledger', cols<typeof ledger[number]>([
      ['member_id', 'bigint', (r) => r.memberId], ['org_path', 'ltree', (r) => r.orgPath], ['rule', 'text', () => 'activity_attend'],
      ['source_type', 'text', () => 'activity_attendance'], ['source_id', 'text', (r) => r.sourceId], ['points', 'int', (r) => r.points],
      ['occurred_on', 'date', (r) => r.day], ['created_at', 'timestamptz', (r) => iso(r.at)],
    ]), ledger, { batchSize: 100_000 });
  }

  for (const a of activities) {
    const username = usernames[a.createdBy]!;
    const push = (t: number, action: string, detail: Record<string, unknown>) => audits.push({ at: t, userId: a.createdBy, username, action, targetType: 'activity', targetId: a.id, orgPath: a.org.path, detail: JSON.stringify(detail) });
    push(a.createdAt, 'activity.create', { orgId: a.org.id, type: a.type, title: a.title, startsAt: iso(a.startsAt), endsAt: iso(a.endsAt), ids: [a.id], invited: a.walkIns ? 0 : a.invitees.length });
    if (a.publishedAt !== null) push(a.publishedAt, 'activity.publish', { participants: a.walkIns ? 0 : a.invitees.length });
    if (a.cancelledAt !== null) push(a.cancelledAt, 'activity.cancel', { reason: a.cancelReason });
    if (a.closedAt !== null) {
      if (a.minutes || a.summary) push(a.closedAt - 5 * MINUTE, 'activity.record', { fields: [a.minutes ? 'minutes' : null, a.summary ? 'summary' : null, a.resolutions ? 'resolutions' : null].filter(Boolean) });
      push(a.closedAt, 'activity.close', a.closing);
    }
  }
  audits.sort((a, b) => a.at - b.at);
  await bulkInsert(tx, 'audit_log', cols<AuditRow>([
    ['at', 'timestamptz', (a) => iso(a.at)], ['user_id', 'bigint', (a) => a.userId], ['username', 'text', (a) => a.username], ['ip', 'text', () => '10.12.3.21'],
    ['action', 'text', (a) => a.action], ['target_type', 'text', (a) => a.targetType], ['target_id', 'text', (a) => a.targetId], ['org_path', 'ltree', (a) => a.orgPath],
    ['detail', 'jsonb', (a) => a.detail],
  ]), audits, { batchSize: 10_000 });
  // the demo member's own completed 补学 are audited with the task's id
  await tx.execute(sql`
    insert into audit_log (at, user_id, username, ip, action, target_type, target_id, org_path, detail)
    select t.done_at, ${users.member}, 'member', '10.12.3.58', 'activity.complete_make_up', 'make_up_task', t.id::text, t.org_path, jsonb_build_object('activityId', t.activity_id::text)
      from make_up_tasks t where t.member_id = ${ctx.members.member} and t.status = 'done' order by t.done_at`);
}

function minutesOf(a: Omit<Planned, 'id'>, total: number, attended: number, leave: number, absent: number): string {
  return [
    `时间：${chinaDateTime(a.startsAt)}—${chinaDateTime(a.endsAt).slice(11)}`,
    `地点：${a.place ?? ''}`,
    `主持人：${a.host ?? ''}`,
    a.walkIns ? `签到参加：${attended}人` : `应到${total}人，实到${attended}人，请假${leave}人，缺席${absent}人。`,
    `议题：${a.topic ?? TYPE_NAMES[a.type]}`,
    a.agenda ? `议程：\n${a.agenda}` : '',
    '会议情况：与会党员围绕议题逐项学习讨论，结合岗位实际交流发言，主持人作小结并提出工作要求。',
  ].filter(Boolean).join('\n');
}

function pickHalls(random: Random, halls: { id: string; name: string; capacity: number }[]) {
  const first = random.int(0, halls.length - 1);
  const count = random.chance(0.6) ? 1 : Math.min(2, halls.length);
  return Array.from({ length: count }, (_, i) => halls[(first + i) % halls.length]!);
}

function pickSome<T>(random: Random, items: readonly T[], count: number): T[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, items.length)) picked.add(random.int(0, items.length - 1));
  return [...picked].sort((a, b) => a - b).map((i) => items[i]!);
}

const iso = (t: number) => new Date(t).toISOString();
const isoOrNull = (t: number | null) => (t === null ? null : iso(t));
function cols<T>(list: [string, ColumnType, (row: T) => Cell][]): Col<T>[] {
  return list.map(([name, type, value]) => ({ name, type, value }));
}

