import { sql } from 'drizzle-orm';
import type { OrgType } from '../../../contracts/orgs.js';
import type { Db, Tx } from '../platform/db.js';
import { hashPassword } from '../platform/passwords.js';
import type { PersonalDataCipher } from '../platform/personal-data.js';
import { bulkInsert, reserveIds } from './bulk.js';
import { seedActivitiesDemo } from './activities-demo.js';
import type { DemoContext, DemoPlace } from './context.js';
import { seedDuesDemo } from './dues-demo.js';
import { seedLearningDemo } from './learning-demo.js';
import { seedServingDemo } from './serving-demo.js';
import { seedInboxDemo } from './inbox-demo.js';
import { seedNewsDemo } from './news-demo.js';
import { seedNoticesDemo } from './notices-demo.js';
import { seedResponsibilityDemo } from './responsibility-demo.js';
import { seedAssessmentDemo } from './assessment-demo.js';
import { seedJudgingDemo } from './judging-demo.js';
import { seedRankingsDemo } from './rankings-demo.js';
import { seedMonthlyRatingsDemo } from './monthly-ratings-demo.js';
import { seedStandardizationDemo } from './standardization-demo.js';
import { createReadOnlyDemoAccounts, seedLiaisonsDemo } from './liaisons-demo.js';
import { seedIdeasDemo } from './ideas-demo.js';
import { seedElectionsDemo } from './elections-demo.js';
import { seedPledgesDemo } from './pledges-demo.js';
import { seedOrgLifeDemo } from './org-life-demo.js';
import { seedCommendationsDemo } from './commendations-demo.js';
import { seedLessonsDemo } from './lessons-demo.js';
import { seedBrandsDemo } from './brands-demo.js';
import { seedAppraisalsDemo } from './appraisals-demo.js';
import { seedPublicNoticesDemo } from './public-notices-demo.js';
import { BUREAUS, PeopleGenerator, createRandom, isoDate, personName, type Random } from './generate.js';
import { COMMUNITIES, MEMBER_COLUMNS, ORG_COLUMNS, STAGE_EVENT_COLUMNS, memberRow, stageEventRows, type MemberRow, type OrgRow } from './rows.js';
import { CHINA_UTC_OFFSET_MS, chinaDate } from '../../../contracts/china-time.js';
import type { MemberStage } from '../../../contracts/members.js';

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const r = await db.execute<{ n: number } & Record<string, unknown>>(sql`select (select count(*) from orgs)::int + (select count(*) from users)::int as n`);
  return Number(r.rows[0]?.n ?? 0) === 0;
}

export interface DemoSummary {
  orgs: number;
  members: number;
  accounts: { username: string; password: string; description: string }[];
}

/** The demo's accounts: fixed names and passwords, printed at first start and in the README. */
export const DEMO_ACCOUNTS = {
  admin: { username: 'admin', password: 'demo-admin-2025', description: '平台管理员：管理全部党组织、党员、账号与系统设置' },
  bureau: { username: 'bureau', password: 'demo-bureau-2025', description: '市财政局机关党委管理员：管理本机关党委及所属党总支、党支部' },
  secretary: { username: 'secretary', password: 'demo-secretary-2025', description: '市财政局预算处党支部书记：管理本支部党员、发展党员、组织生活' },
  member: { username: 'member', password: 'demo-member-2025', description: '普通党员（市财政局预算处党支部）：个人中心、学习、参加活动' },
  liaison: { username: 'liaison', password: 'demo-liaison-2025', description: '市财政局机关党委组织委员，联系预算处党支部：只读查看该支部、记录旁听' },
  inspector: { username: 'inspector', password: 'demo-inspector-2025', description: '督查（只读）：查看市财政局机关党委及所属组织，不能修改' },
} as const;

export const DEMO_MEMBER_TARGET = 2_000;
const DEMO_SEED = 20_251_123;
const DAY = 86_400_000;

type BranchKind = 'department' | 'retirees' | 'none';

interface PlannedOrg {
  row: Omit<OrgRow, 'id' | 'parentId' | 'path'>;
  parent: PlannedOrg | null;
  bureau: string;
  kind: BranchKind;
  /** Relative size before scaling to the member target. */
  weight: number;
  id?: string;
  path?: string;
  members: MemberRow[];
}

/**
 * The demo organisation: 市直机关工委 with the organ committees of fourteen municipal bureaus,
 * their general branches, branches named after departments, a few groups and one temporary
 * branch; about 2,000 members with consistent personal data and pipeline dates; terms of which
 * some are due and two overdue; a few transfers and audit entries; and the demo accounts.
 * Everything, with every module's year of demo data, is written in one transaction with multi-row statements.
 */
export async function seedDemo(db: Db, cipher: PersonalDataCipher): Promise<DemoSummary> {
  const random = createRandom(DEMO_SEED);
  const people = new PeopleGenerator(random);
  const today = people.today;
  const plan = planTree(random, today);
  // argon2 runs on the thread pool while the rows are generated
  const hashes = Promise.all(Object.values(DEMO_ACCOUNTS).map((a) => hashPassword(a.password)));

  return db.transaction(async (tx) => {
    const orgIds = await reserveIds(tx, 'orgs', plan.length);
    plan.forEach((org, i) => {
      org.id = orgIds[i]!;
      org.path = org.parent ? `${org.parent.path}.${org.id}` : org.id;
    });
    const branches = plan.filter((o) => o.kind !== 'none');
    const sizes = scaleSizes(branches.map((b) => b.weight), DEMO_MEMBER_TARGET);
    const memberIds = await reserveIds(tx, 'members', DEMO_MEMBER_TARGET);
    let next = 0;
    branches.forEach((branch, b) => {
      for (let i = 0; i < sizes[b]!; i++) branch.members.push(makeMember(branch, i, memberIds[next++]!));
    });
    const budget = plan.find((o) => o.row.name === '预算处党支部' && o.bureau === '市财政局')!;
    forceStages(budget, people);
    assignLeaders(plan, random);

    await bulkInsert(tx, 'orgs', ORG_COLUMNS, plan.map((o) => ({ ...o.row, id: o.id!, parentId: o.parent?.id ?? null, path: o.path! })), { overridingIds: true });
    const members = branches.flatMap((b) => b.members);
    await bulkInsert(tx, 'members', MEMBER_COLUMNS, members, { overridingIds: true });
    await bulkInsert(tx, 'member_stage_events', STAGE_EVENT_COLUMNS, stageEventRows(members));

    const accounts = await createAccounts(tx, plan, budget, await hashes);
    // the demo accounts' members live somewhere, so that their 双报到 page has a community
    await tx.execute(sql`update members set residence_community = ${COMMUNITIES[0]!}
                          where id in (select member_id from users where member_id is not null) and residence_community is null`);
    await addHistory(tx, plan, random, today, accounts);
    const top = plan.find((o) => !o.parent)!;
    const place = (o: PlannedOrg) => ({ id: o.id!, path: o.path! });
    const demoMember = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`select member_id::text as id from users where id = ${accounts.member}`)).rows[0]!.id;
    await seedDuesDemo(tx, { root: place(top), committee: place(budget.parent!), branch: place(budget) }, accounts, demoMember);
    const named = (o: PlannedOrg): DemoPlace => ({ id: o.id!, path: o.path!, name: o.row.name });
    const memberOf = async (userId: string) => (await tx.execute<{ id: string } & Record<string, unknown>>(sql`select member_id::text as id from users where id = ${userId}`)).rows[0]!.id;
    const context: DemoContext = {
      tx, cipher, random, today: chinaDate(Date.now()), root: named(top), committee: named(budget.parent!), branch: named(budget),
      committees: [budget.parent!, ...plan.filter((o) => o.parent === top && o !== budget.parent)].map(named),
      branches: branches.map(named),
      users: accounts,
      members: { bureau: await memberOf(accounts.bureau), secretary: await memberOf(accounts.secretary), member: demoMember },
    };
    const [, , , , liaisonHash, inspectorHash] = await hashes;
    const readOnlyUsers = await createReadOnlyDemoAccounts(context, {
      liaison: { username: DEMO_ACCOUNTS.liaison.username, hash: liaisonHash! }, inspector: { username: DEMO_ACCOUNTS.inspector.username, hash: inspectorHash! },
    });
    await seedActivitiesDemo(context);
    await seedLearningDemo(context);
    await seedServingDemo(context);
    await seedInboxDemo(context);
    await seedNewsDemo(context);
    await seedNoticesDemo(context);
    await seedResponsibilityDemo(context);
    await seedAssessmentDemo(context);
    await seedJudgingDemo(context);
    await seedRankingsDemo(context);
    await seedMonthlyRatingsDemo(context);
    await seedStandardizationDemo(context);
    await seedLiaisonsDemo(context, readOnlyUsers);
    await seedIdeasDemo(context);
    await seedElectionsDemo(context);
    await seedPledgesDemo(context);
    await seedOrgLifeDemo(context);
    await seedCommendationsDemo(context);
    await seedLessonsDemo(context);
    await seedBrandsDemo(context);
    await seedAppraisalsDemo(context);
    await seedPublicNoticesDemo(context);
    return {
      orgs: plan.length,
      members: members.length,
      accounts: Object.values(DEMO_ACCOUNTS).map(({ username, password, description }) => ({ username, password, description })),
    };
  });

  function makeMember(branch: PlannedOrg, index: number, id: string): MemberRow {
    const retiree = branch.kind === 'retirees';
    // most development work happens among young staff; retirees are all full members
    const stage: MemberStage = retiree ? 'full' : random.weighted(STAGES);
    const young = stage !== 'full' || random.chance(0.2);
    const person = people.person(retiree ? { minAge: 60, maxAge: 88 } : young ? { minAge: 23, maxAge: 35 } : { minAge: 26, maxAge: 59.5 });
    return memberRow(cipher, {
      id,
      orgId: branch.id!,
      orgPath: branch.path!,
      person,
      workUnit: branch.bureau,
      post: retiree ? '退休干部' : index === 0 ? random.pick(['处长', '副处长']) : young && random.chance(0.6) ? random.pick(['一级科员', '科员', '四级主任科员']) : people.post(),
      pipeline: people.pipeline(person.birthDate, stage),
      residenceCommunity: random.chance(0.75) ? random.pick(COMMUNITIES) : null,
      // a few retired members have died; their records stay on file, off the roll
      left: retiree && index > 2 && random.chance(0.03) ? deceased(today - random.int(30, 600) * DAY) : null,
    });
  }
}

function deceased(day: number): MemberRow['left'] {
  return { at: new Date(day + 5 * DAY + 9 * 3600_000).toISOString(), on: isoDate(day), reason: 'deceased' };
}

const STAGES = weightedStages();
function weightedStages() {
  const pairs: [MemberStage, number][] = [['applicant', 14], ['activist', 14], ['candidate', 9], ['probationary', 18], ['full', 945]];
  let total = 0;
  const cumulative: number[] = [];
  for (const [, w] of pairs) cumulative.push((total += w));
  return { items: pairs.map(([s]) => s), cumulative, total };
}

/** Stretches relative sizes to add up to exactly `target`. */
function scaleSizes(weights: number[], target: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(3, Math.floor((w / total) * target)));
  let rest = target - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; rest !== 0; i = (i + 1) % sizes.length) {
    const step = rest > 0 ? 1 : -1;
    if (sizes[i]! + step >= 3) { sizes[i]! += step; rest -= step; }
  }
  return sizes;
}

function planTree(random: Random, today: number): PlannedOrg[] {
  const plan: PlannedOrg[] = [];
  let sort = 0;
  const add = (parent: PlannedOrg | null, name: string, type: OrgType, bureau: string, kind: BranchKind = 'none', weight = 0): PlannedOrg => {
    const isBranch = type === 'branch';
    // 条例: 党委每届五年，党总支、党支部每届三年; groups and temporary branches have no term
    const termYears = type === 'work_committee' || type === 'organ_committee' ? 5 : type === 'general_branch' || isBranch ? 3 : 0;
    const termStart = termYears ? today - random.int(30, termYears * 365 - 120) * DAY : null;
    const org: PlannedOrg = {
      parent, bureau, kind, weight, members: [],
      row: {
        name, type,
        secretaryName: null, contactName: null, contactPhone: type === 'group' ? null : `025-8${String(random.int(0, 9_999_999)).padStart(7, '0')}`,
        address: type === 'group' ? null : BUREAUS.find((b) => b.name === bureau)?.address ?? '北京东路 41 号',
        foundedOn: isoDate(Date.UTC(random.int(1992, 2012), random.int(0, 11), random.int(1, 28))),
        termStart: termStart === null ? null : isoDate(termStart),
        termEnd: termStart === null ? null : isoDate(termStart + termYears * 365 * DAY + DAY),
        sortOrder: sort++,
      },
    };
    plan.push(org);
    return org;
  };
  const department = () => random.normal(30, 8);
  const retirees = () => random.int(45, 70);

  const root = add(null, '市直机关工委', 'work_committee', '市直机关工委');
  for (const bureau of BUREAUS.slice(0, 14)) {
    const committee = add(root, `${bureau.name}机关党委`, 'organ_committee', bureau.name);
    const branch = (parent: PlannedOrg, department: string, weight: number) => add(parent, `${department}党支部`, 'branch', bureau.name, 'department', weight);
    if (bureau.name === '市财政局') {
      for (const d of ['办公室', '预算处', '国库处', '税政处', '经济建设处', '会计处', '人事处']) {
        const b = branch(committee, d, department());
        if (d === '预算处') { add(b, '第一党小组', 'group', bureau.name); add(b, '第二党小组', 'group', bureau.name); }
      }
      add(committee, '离退休干部党支部', 'branch', bureau.name, 'retirees', retirees());
    } else if (bureau.name === '市教育局') {
      const first = add(committee, '机关第一党总支', 'general_branch', bureau.name);
      for (const d of ['办公室', '基础教育处', '职业教育处']) branch(first, d, department());
      const second = add(committee, '机关第二党总支', 'general_branch', bureau.name);
      for (const d of ['高等教育处', '人事处', '计划财务处']) branch(second, d, department());
      const retired = add(committee, '离退休干部党总支', 'general_branch', bureau.name);
      add(retired, '离退休干部第一党支部', 'branch', bureau.name, 'retirees', retirees());
      add(retired, '离退休干部第二党支部', 'branch', bureau.name, 'retirees', retirees());
    } else if (bureau.name === '市卫生健康委员会') {
      for (const d of bureau.departments.slice(0, 5)) {
        const b = branch(committee, d, department());
        if (d === '医政医管处') add(b, '医疗质量党小组', 'group', bureau.name);
      }
      const relief = add(committee, '对口支援医疗队临时党支部', 'temporary_branch', bureau.name);
      relief.row.foundedOn = isoDate(today - 120 * DAY);
    } else {
      const count = random.int(3, 4);
      bureau.departments.slice(0, count).forEach((d, i) => {
        const b = branch(committee, d, department());
        if (bureau.name === '市发展和改革委员会' && i === 1) { add(b, '第一党小组', 'group', bureau.name); add(b, '第二党小组', 'group', bureau.name); }
      });
      if (random.chance(0.4)) add(committee, '离退休干部党支部', 'branch', bureau.name, 'retirees', retirees());
    }
  }
  // re-elections the console should flag: three due within 90 days, two overdue
  const termed = plan.filter((o) => o.row.type === 'branch' && o.row.termEnd);
  const due = [termed[3]!, termed[11]!, termed[20]!];
  due.forEach((o, i) => setTerm(o, today + [12, 45, 80][i]! * DAY, 3));
  setTerm(termed[8]!, today - 25 * DAY, 3);
  setTerm(termed[16]!, today - 130 * DAY, 3);
  return plan;
}

function setTerm(org: PlannedOrg, end: number, years: number) {
  org.row.termEnd = isoDate(end);
  org.row.termStart = isoDate(end - years * 365 * DAY - DAY);
}

/** The secretary's branch shows every pipeline stage. */
function forceStages(branch: PlannedOrg, people: PeopleGenerator) {
  const stages: MemberStage[] = ['applicant', 'activist', 'candidate', 'probationary', 'probationary'];
  stages.forEach((stage, i) => {
    const m = branch.members[branch.members.length - 1 - i]!;
    m.pipeline = people.pipeline(m.birthDate, stage);
    m.left = null;
  });
  for (const m of branch.members.slice(0, 8)) {
    if (m.pipeline.stage !== 'full') m.pipeline = people.pipeline(m.birthDate, 'full');
    m.left = null;
  }
}

/** Secretaries and contacts are members of the org (or of its first branch). */
function assignLeaders(plan: PlannedOrg[], random: Random) {
  const firstBranchUnder = (org: PlannedOrg): PlannedOrg | undefined =>
    plan.find((o) => o.members.length > 0 && o.path!.startsWith(org.path + '.'));
  for (const org of plan) {
    const source = org.members.length ? org : org.parent ? firstBranchUnder(org) : undefined;
    if (!source) {
      org.row.secretaryName = org.row.type === 'group' ? null : personName(random, random.chance(0.6) ? 'male' : 'female');
      continue;
    }
    const full = source.members.filter((m) => m.pipeline.stage === 'full' && !m.left);
    if (org === source) {
      org.row.secretaryName = full[0]!.name;
      org.row.contactName = full[1]!.name;
    } else {
      // committee and general-branch leaders sit in their first branch
      const leader = org.row.type === 'organ_committee' ? full[2]! : full[3]!;
      if (org.row.type === 'organ_committee') leader.post = '副局长';
      org.row.secretaryName = leader.name;
      org.row.contactName = full[4]!.name;
    }
  }
  for (const group of plan.filter((o) => o.row.type === 'group')) {
    const branch = group.parent!;
    const pool = branch.members.filter((m) => m.pipeline.stage === 'full');
    group.row.secretaryName = pool[5 + (group.row.sortOrder % 3)]!.name;
  }
}

interface DemoUsers { admin: string; bureau: string; secretary: string; member: string }

async function createAccounts(tx: Tx, plan: PlannedOrg[], budget: PlannedOrg, hashes: string[]): Promise<DemoUsers> {
  const committee = budget.parent!;
  const secretaryMember = budget.members[0]!;
  const ordinary = budget.members.find((m, i) => i > 4 && m.pipeline.stage === 'full' && !m.left)!;
  const bureauOffice = plan.find((o) => o.parent === committee && o.members.length)!;
  const bureauMember = bureauOffice.members.find((m) => m.post === '副局长') ?? bureauOffice.members[2]!;
  const [adminHash, bureauHash, secretaryHash, memberHash] = hashes as [string, string, string, string];
  const insertUser = async (username: string, displayName: string, hash: string, memberId: string | null) =>
    (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into users (username, display_name, password_hash, member_id) values (${username}, ${displayName}, ${hash}, ${memberId}) returning id::text`)).rows[0]!.id;
  const admin = await insertUser(DEMO_ACCOUNTS.admin.username, '平台管理员', adminHash, null);
  const bureau = await insertUser(DEMO_ACCOUNTS.bureau.username, bureauMember.name, bureauHash, bureauMember.id);
  const secretary = await insertUser(DEMO_ACCOUNTS.secretary.username, secretaryMember.name, secretaryHash, secretaryMember.id);
  const member = await insertUser(DEMO_ACCOUNTS.member.username, ordinary.name, memberHash, ordinary.id);
  await tx.execute(sql`insert into user_roles (user_id, role, org_id) values
    (${admin}, 'platform_admin', null),
    (${bureau}, 'org_admin', ${committee.id!}), (${bureau}, 'member', null),
    (${secretary}, 'org_admin', ${budget.id!}), (${secretary}, 'member', null),
    (${member}, 'member', null)`);
  return { admin, bureau, secretary, member };
}

/**
 * A little history so that the transfer and audit screens are not empty: accepted, returned and
 * open transfers (one waiting for the demo secretary's branch), with their audit entries.
 */
async function addHistory(tx: Tx, plan: PlannedOrg[], random: Random, today: number, users: DemoUsers) {
  const branchOf = (bureau: string, name: string) => plan.find((o) => o.bureau === bureau && o.row.name === name)!;
  const budget = branchOf('市财政局', '预算处党支部');
  const transfers: { member: MemberRow; from: PlannedOrg; to: PlannedOrg; status: 'issued' | 'accepted' | 'returned'; reason: string; daysAgo: number; note?: string }[] = [];
  const pickMember = (org: PlannedOrg) => {
    const m = org.members.find((x, i) => i > 5 && x.pipeline.stage === 'full' && !x.left && !transfers.some((t) => t.member === x))!;
    return m;
  };
  const move = (member: MemberRow, from: PlannedOrg, to: PlannedOrg) => {
    from.members.splice(from.members.indexOf(member), 1);
    to.members.push(member);
    member.orgId = to.id!;
    member.orgPath = to.path!;
    member.workUnit = to.bureau;
  };
  const accepted = [
    { from: branchOf('市教育局', '人事处党支部'), to: budget, reason: '工作调动', daysAgo: 240 },
    { from: plan.find((o) => o.bureau === '市审计局' && o.kind === 'department')!, to: plan.find((o) => o.bureau === '市统计局' && o.kind === 'department')!, reason: '干部交流', daysAgo: 95 },
  ];
  for (const a of accepted) {
    const member = pickMember(a.from);
    transfers.push({ member, from: a.from, to: a.to, status: 'accepted', reason: a.reason, daysAgo: a.daysAgo });
    move(member, a.from, a.to);
    await tx.execute(sql`update members set org_id = ${a.to.id!}, org_path = ${a.to.path!}::ltree, work_unit = ${a.to.bureau} where id = ${member.id}`);
  }
  const returnedFrom = plan.find((o) => o.bureau === '市民政局' && o.kind === 'department')!;
  const returnedTo = plan.find((o) => o.bureau === '市住房和城乡建设局' && o.kind === 'department')!;
  transfers.push({ member: pickMember(returnedFrom), from: returnedFrom, to: returnedTo, status: 'returned', reason: '工作调动', daysAgo: 30, note: '转入单位信息有误，请核实后重新开具' });
  const treasury = branchOf('市财政局', '国库处党支部');
  transfers.push({ member: pickMember(treasury), from: treasury, to: plan.find((o) => o.bureau === '市发展和改革委员会' && o.kind === 'department')!, status: 'issued', reason: '岗位交流', daysAgo: 3 });
  const transport = plan.find((o) => o.bureau === '市交通运输局' && o.kind === 'department')!;
  transfers.push({ member: pickMember(transport), from: transport, to: budget, status: 'issued', reason: '工作调动', daysAgo: 1 });

  const at = (daysAgo: number, hour = 10) => new Date(today - daysAgo * DAY + hour * 3600_000 - CHINA_UTC_OFFSET_MS).toISOString();
  const audits: { at: string; userId: string; username: string; action: string; targetType: string; targetId: string; orgPath: string; detail: string }[] = [];
  for (const t of transfers) {
    const issuedAt = at(t.daysAgo + (t.status === 'issued' ? 0 : random.int(2, 6)));
    const decidedAt = t.status === 'issued' ? null : at(t.daysAgo, 15);
    const id = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into transfers (member_id, from_org_id, to_org_id, from_path, to_path, status, reason, issued_by, issued_at, decided_by, decided_at, decision_note)
      values (${t.member.id}, ${t.from.id!}, ${t.to.id!}, ${t.from.path!}::ltree, ${t.to.path!}::ltree, ${t.status}, ${t.reason}, ${users.admin}, ${issuedAt},
              ${decidedAt ? users.admin : null}, ${decidedAt}, ${t.note ?? null})
      returning id::text`)).rows[0]!.id;
    const detail = JSON.stringify({ member: t.member.name, from: t.from.row.name, to: t.to.row.name, reason: t.reason });
    audits.push({ at: issuedAt, userId: users.admin, username: 'admin', action: 'transfer.issue', targetType: 'transfer', targetId: id, orgPath: t.from.path!, detail });
    if (decidedAt) audits.push({ at: decidedAt, userId: users.admin, username: 'admin', action: t.status === 'accepted' ? 'transfer.accept' : 'transfer.return', targetType: 'transfer', targetId: id, orgPath: t.to.path!, detail });
  }
  for (const m of budget.members.filter((x) => x.pipeline.stage !== 'full')) {
    const on = m.pipeline.joinedOn ?? m.pipeline.candidateOn ?? m.pipeline.activistOn ?? m.pipeline.appliedOn!;
    audits.push({ at: new Date(Date.parse(on + 'T02:00:00Z')).toISOString(), userId: users.secretary, username: 'secretary', action: 'member.advance_stage', targetType: 'member', targetId: m.id, orgPath: budget.path!, detail: JSON.stringify({ name: m.name, stage: m.pipeline.stage }) });
  }
  const due = plan.filter((o) => o.row.termEnd && Date.parse(o.row.termEnd) < today + 90 * DAY);
  for (const o of due) audits.push({ at: at(random.int(200, 400)), userId: users.admin, username: 'admin', action: 'org.update', targetType: 'org', targetId: o.id!, orgPath: o.path!, detail: JSON.stringify({ termStart: o.row.termStart, termEnd: o.row.termEnd }) });
  audits.sort((a, b) => a.at.localeCompare(b.at));
  await bulkInsert(tx, 'audit_log', [
    { name: 'at', type: 'timestamptz', value: (a) => a.at },
    { name: 'user_id', type: 'bigint', value: (a) => a.userId },
    { name: 'username', type: 'text', value: (a) => a.username },
    { name: 'ip', type: 'text', value: () => '10.12.3.21' },
    { name: 'action', type: 'text', value: (a) => a.action },
    { name: 'target_type', type: 'text', value: (a) => a.targetType },
    { name: 'target_id', type: 'text', value: (a) => a.targetId },
    { name: 'org_path', type: 'ltree', value: (a) => a.orgPath },
    { name: 'detail', type: 'jsonb', value: (a) => a.detail },
  ], audits);
}
