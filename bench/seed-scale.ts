/**
 * The city-scale data set: fills the configured PostgreSQL database (DATABASE_URL) with a whole
 * city's organ party organisation.
 *
 *   npm run seed:scale -- --orgs 15000 --members 250000 [--seed 2025]
 *
 * Bulk loading: ids are reserved from the identity sequences, rows are generated in batches
 * and written as `insert … select from unnest(arrays)` (bulk.ts), one batch in flight while the
 * next is generated, all in one transaction; the secondary indexes of the big tables are
 * dropped for the load and rebuilt at the end (as pg_restore does). Progress: one line on stderr.
 *
 * Later modules add their data as one more step in STEPS (a function of the ScaleContext).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { readConfig } from '../server/src/platform/config.js';
import { openDatabase, type Database, type Tx } from '../server/src/platform/db.js';
import { migrate } from '../server/src/platform/migrate.js';
import { createCipher, loadDataKey, type PersonalDataCipher } from '../server/src/platform/personal-data.js';
import { bulkInsertSql, reserveIds } from '../server/src/demo/bulk.js';
import { planCityTree, type CityOrg } from '../server/src/demo/city-tree.js';
import { PeopleGenerator, createRandom, isoDate, personName, type Random, type Stage } from '../server/src/demo/generate.js';
import { COMMUNITIES, MEMBER_COLUMNS, ORG_COLUMNS, STAGE_EVENT_COLUMNS, memberRow, stageEventRows, type MemberRow, type OrgRow } from '../server/src/demo/rows.js';

export interface ScaleOptions { orgs: number; members: number; seed: number }

/** What one step may read and add to: the generated orgs and members, and the open transaction. */
export interface ScaleContext {
  tx: Tx;
  cipher: PersonalDataCipher;
  random: Random;
  people: PeopleGenerator;
  options: ScaleOptions;
  orgs: (CityOrg & { id: string; path: string })[];
  /** Compact: what later steps need to attach data to members. */
  members: { id: string; orgIndex: number; stage: Stage }[];
  progress: Progress;
}

export interface ScaleStep {
  name: string;
  /** Share of the progress bar. */
  weight: number;
  run(ctx: ScaleContext): Promise<void>;
}

// ---------- progress ----------

export class Progress {
  private done = 0;
  private lastDraw = 0;
  private label = '';
  private readonly started = performance.now();
  constructor(private readonly total: number) {}
  step(label: string) { this.label = label; this.draw(true); }
  advance(units: number) { this.done += units; this.draw(false); }
  private lastShare = -1;
  private draw(force: boolean) {
    const now = performance.now();
    const share = Math.min(1, this.done / this.total);
    // a terminal gets one line redrawn 5 times a second; a log gets a line per 10%
    if (!force && (process.stderr.isTTY ? now - this.lastDraw < 200 : share - this.lastShare < 0.1)) return;
    this.lastDraw = now;
    this.lastShare = share;
    const width = 30;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
    const line = `${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${((now - this.started) / 1000).toFixed(1)} s  ${this.label}`;
    process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  }
  finish() { this.draw(true); if (process.stderr.isTTY) process.stderr.write('\n'); }
}

// ---------- steps ----------

const DAY = 86_400_000;
const BATCH = 10_000;

const orgsStep: ScaleStep = {
  name: 'orgs',
  weight: 3,
  async run(ctx) {
    const { random, tx } = ctx;
    const tree = planCityTree(random, ctx.options);
    const ids = await reserveIds(tx, 'orgs', tree.length);
    const today = ctx.people.today;
    ctx.orgs = [];
    const rows: OrgRow[] = tree.map((o, i) => {
      const id = ids[i]!;
      const parent = o.parent >= 0 ? ctx.orgs[o.parent]! : null;
      const path = parent ? `${parent.path}.${id}` : id;
      ctx.orgs.push({ ...o, id, path });
      const years = o.type === 'group' ? 0 : o.type === 'branch' || o.type === 'general_branch' ? 3 : 5;
      // about one in twelve terms ends within 90 days or is overdue
      const termStart = today - random.int(30, years * 365 + 60) * DAY;
      return {
        id, parentId: parent?.id ?? null, path, name: o.name, type: o.type,
        secretaryName: personName(random, random.chance(0.6) ? 'male' : 'female'),
        contactName: o.type === 'group' ? null : personName(random, random.chance(0.5) ? 'male' : 'female'),
        contactPhone: o.type === 'group' ? null : `025-8${String(random.int(0, 9_999_999)).padStart(7, '0')}`,
        address: null,
        foundedOn: isoDate(Date.UTC(random.int(1985, 2018), random.int(0, 11), random.int(1, 28))),
        termStart: years ? isoDate(termStart) : null,
        termEnd: years ? isoDate(termStart + years * 365 * DAY + DAY) : null,
        sortOrder: i,
      };
    });
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      await tx.execute(bulkInsertSql('orgs', ORG_COLUMNS, ORG_COLUMNS.map((c) => batch.map(c.value)), { overridingIds: true }));
      ctx.progress.advance((batch.length / rows.length) * this.weight);
    }
  },
};

const STAGE_WEIGHTS: [Stage, number][] = [['applicant', 12], ['activist', 12], ['candidate', 8], ['probationary', 18], ['full', 950]];

const membersStep: ScaleStep = {
  name: 'members (encrypting ID numbers and phones)',
  weight: 60,
  async run(ctx) {
    const { random, people, tx, cipher } = ctx;
    const total = ctx.options.members;
    const ids = await reserveIds(tx, 'members', total);
    const stageTotal = STAGE_WEIGHTS.reduce((n, [, w]) => n + w, 0);
    const pickStage = (): Stage => {
      let r = random.next() * stageTotal;
      for (const [stage, w] of STAGE_WEIGHTS) if ((r -= w) < 0) return stage;
      return 'full';
    };
    const places: number[] = [];
    ctx.orgs.forEach((o, i) => { for (let k = 0; k < o.size; k++) places.push(i); });
    let next = 0;
    const makeBatch = (): MemberRow[] => {
      const batch: MemberRow[] = [];
      for (; batch.length < BATCH && next < total; next++) {
        const org = ctx.orgs[places[next]!]!;
        const stage = org.retirees ? 'full' : pickStage();
        const young = stage !== 'full' || random.chance(0.2);
        const person = people.person(org.retirees ? { minAge: 60, maxAge: 88 } : young ? { minAge: 23, maxAge: 35 } : { minAge: 26, maxAge: 59.5 });
        const deceased = org.retirees && random.chance(0.01) ? people.today - random.int(30, 900) * DAY : null;
        batch.push(memberRow(cipher, {
          id: ids[next]!, orgId: org.id, orgPath: org.path, person, workUnit: org.workUnit,
          post: org.retirees ? '退休干部' : people.post(),
          pipeline: people.pipeline(person.birthDate, stage),
          residenceCommunity: random.chance(0.7) ? random.pick(COMMUNITIES) : null,
          left: deceased === null ? null : { at: new Date(deceased + 7 * DAY).toISOString(), on: isoDate(deceased), reason: 'deceased' },
        }));
        ctx.members.push({ id: ids[next]!, orgIndex: places[next]!, stage });
      }
      return batch;
    };
    // one batch in PostgreSQL while the next is generated and encrypted here
    let inFlight: Promise<unknown> = Promise.resolve();
    while (next < total) {
      const batch = makeBatch();
      const events = stageEventRows(batch);
      await inFlight;
      inFlight = (async () => {
        await tx.execute(bulkInsertSql('members', MEMBER_COLUMNS, MEMBER_COLUMNS.map((c) => batch.map(c.value)), { overridingIds: true }));
        await tx.execute(bulkInsertSql('member_stage_events', STAGE_EVENT_COLUMNS, STAGE_EVENT_COLUMNS.map((c) => events.map(c.value))));
        ctx.progress.advance((batch.length / total) * this.weight);
      })();
    }
    await inFlight;
  },
};

// ---------- question bank (daily quiz) ----------

const QUESTION_COLUMNS = [
  { name: 'org_id', type: 'bigint' }, { name: 'org_path', type: 'ltree' }, { name: 'type', type: 'text' }, { name: 'stem', type: 'text' },
  { name: 'options', type: 'jsonb' }, { name: 'answer', type: 'jsonb' }, { name: 'difficulty', type: 'text' }, { name: 'explanation', type: 'text' },
] as const;

const TOPICS = ['党章', '《中国共产党支部工作条例（试行）》', '《中国共产党党和国家机关基层组织工作条例》', '三会一课制度', '民主评议党员', '党费收缴', '发展党员工作细则', '组织生活会'];

/** 600 questions of the work committee's bank, half of them offered in the daily quiz. */
const questionsStep: ScaleStep = {
  name: 'question bank',
  weight: 1,
  async run(ctx) {
    const { random, tx } = ctx;
    const root = ctx.orgs[0]!;
    const types = ['single', 'multiple', 'true_false', 'fill_blank'] as const;
    const rows = Array.from({ length: 600 }, (_, i) => {
      const type = types[i % types.length]!;
      const topic = random.pick(TOPICS);
      const options = type === 'single' || type === 'multiple' ? ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `${topic}的第${key}项表述` })) : [];
      const answer = type === 'single' ? random.pick(['A', 'B', 'C', 'D']) : type === 'multiple' ? ['A', 'C'] : type === 'true_false' ? random.chance(0.5) : [['按期']];
      return [root.id, root.path, type, `关于${topic}，第${i + 1}题：下列说法${type === 'true_false' ? '是否正确' : '正确的是'}？`,
        JSON.stringify(options), JSON.stringify(answer), random.pick(['easy', 'medium', 'hard']), `依据${topic}。`];
    });
    await tx.execute(bulkInsertSql('questions', QUESTION_COLUMNS, QUESTION_COLUMNS.map((_, k) => rows.map((r) => r[k]!))));
    await tx.execute(sql`update questions set is_daily = true where id % 2 = 0`);
    ctx.progress.advance(this.weight);
  },
};

// ---------- activities (三会一课) with attendance ----------

const ACTIVITY_COLUMNS = [
  { name: 'id', type: 'bigint' }, { name: 'org_id', type: 'bigint' }, { name: 'org_path', type: 'ltree' }, { name: 'type', type: 'text' },
  { name: 'title', type: 'text' }, { name: 'starts_at', type: 'timestamptz' }, { name: 'ends_at', type: 'timestamptz' }, { name: 'place', type: 'text' },
  { name: 'status', type: 'text' }, { name: 'check_in_opens_at', type: 'timestamptz' }, { name: 'check_in_closes_at', type: 'timestamptz' },
  { name: 'check_in_code', type: 'text' }, { name: 'summary', type: 'text' }, { name: 'published_at', type: 'timestamptz' },
  { name: 'closed_at', type: 'timestamptz' }, { name: 'search_text', type: 'text' },
] as const;
const PARTICIPANT_COLUMNS = [
  { name: 'activity_id', type: 'bigint' }, { name: 'member_id', type: 'bigint' }, { name: 'state', type: 'text' },
  { name: 'checked_in_at', type: 'timestamptz' }, { name: 'check_in_method', type: 'text' }, { name: 'read_at', type: 'timestamptz' },
] as const;
const ACTIVITY_TITLES = { branch_committee_meeting: '支委会', branch_general_meeting: '支部党员大会', party_lesson: '党课' } as const;

/**
 * 三会一课 of every branch since the start of the previous quarter (not a whole year: ~1M
 * attendance rows instead of ~4M keep the seed within its time): a 支委会 a month (the first five
 * members as the committee), a 党员大会 and a 党课 a quarter with every party member, each held
 * with a chance of 85–90% so that the compliance report has done, due and overdue units. All
 * closed, attendance present 85% · late 3% · leave 7% · absent 5%.
 */
const activitiesStep: ScaleStep = {
  name: 'activities and attendance (this and last quarter)',
  weight: 20,
  async run(ctx) {
    const { random, tx } = ctx;
    const today = ctx.people.today;
    const now = new Date(today);
    const byOrg = new Map<number, string[]>();
    for (const m of ctx.members) {
      if (m.stage !== 'probationary' && m.stage !== 'full') continue;
      let list = byOrg.get(m.orgIndex);
      if (!list) byOrg.set(m.orgIndex, (list = []));
      list.push(m.id);
    }
    const quarterStart = (offset: number) => Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 - offset * 3, 1);
    const monthStart = (offset: number) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset, 1);
    type Planned = { orgIndex: number; type: keyof typeof ACTIVITY_TITLES; startsAt: number };
    const planned: Planned[] = [];
    const dayIn = (start: number, days: number) => start + random.int(2, days) * DAY + random.int(8, 16) * 3_600_000 - 8 * 3_600_000;
    ctx.orgs.forEach((o, orgIndex) => {
      if ((o.type !== 'branch' && o.type !== 'temporary_branch') || !byOrg.has(orgIndex)) return;
      for (let k = 0; k < 4; k++) if (random.chance(0.88)) planned.push({ orgIndex, type: 'branch_committee_meeting', startsAt: dayIn(monthStart(k), 25) });
      for (let k = 0; k < 2; k++) {
        if (random.chance(0.87)) planned.push({ orgIndex, type: 'branch_general_meeting', startsAt: dayIn(quarterStart(k), 80) });
        if (random.chance(0.85)) planned.push({ orgIndex, type: 'party_lesson', startsAt: dayIn(quarterStart(k), 80) });
      }
    });
    const held = planned.filter((a) => a.startsAt < today);
    const ids = await reserveIds(tx, 'activities', held.length);
    const iso = (t: number) => new Date(t).toISOString();
    let participants: (string | null)[][] = PARTICIPANT_COLUMNS.map(() => []);
    let pending = 0;
    const flush = async () => {
      if (pending === 0) return;
      await tx.execute(bulkInsertSql('activity_participants', PARTICIPANT_COLUMNS, participants));
      participants = PARTICIPANT_COLUMNS.map(() => []);
      pending = 0;
    };
    for (let start = 0; start < held.length; start += BATCH) {
      const batch = held.slice(start, start + BATCH);
      const rows = batch.map((a, i) => {
        const org = ctx.orgs[a.orgIndex]!;
        const title = `${org.name}${ACTIVITY_TITLES[a.type]}`;
        const ends = a.startsAt + 2 * 3_600_000;
        return [ids[start + i]!, org.id, org.path, a.type, title, iso(a.startsAt), iso(ends), '党员活动室', 'closed', iso(a.startsAt - 30 * 60_000), iso(ends),
          String(random.int(0, 999_999)).padStart(6, '0'), '按计划召开，会议记录已归档。', iso(a.startsAt - 3 * DAY), iso(ends + 3_600_000), title];
      });
      await tx.execute(bulkInsertSql('activities', ACTIVITY_COLUMNS, ACTIVITY_COLUMNS.map((_, k) => rows.map((r) => r[k]!)), { overridingIds: true }));
      batch.forEach((a, i) => {
        const members = byOrg.get(a.orgIndex)!;
        const invited = a.type === 'branch_committee_meeting' ? members.slice(0, 5) : members;
        for (const memberId of invited) {
          const r = random.next();
          const state = r < 0.85 ? 'present' : r < 0.88 ? 'late' : r < 0.95 ? 'leave' : 'absent';
          const attended = state === 'present' || state === 'late';
          const values = [ids[start + i]!, memberId, state, attended ? iso(a.startsAt + (state === 'late' ? 10 : -5) * 60_000) : null,
            attended ? (random.chance(0.7) ? 'qr' : 'code') : null, iso(a.startsAt - 2 * DAY)];
          values.forEach((v, k) => participants[k]!.push(v));
          pending++;
        }
      });
      if (pending >= 5 * BATCH) await flush();
      ctx.progress.advance((batch.length / held.length) * this.weight);
    }
    await flush();
  },
};

// ---------- points ----------

const LEDGER_COLUMNS = [
  { name: 'member_id', type: 'bigint' }, { name: 'org_path', type: 'ltree' }, { name: 'rule', type: 'text' }, { name: 'source_type', type: 'text' },
  { name: 'source_id', type: 'text' }, { name: 'points', type: 'int' }, { name: 'occurred_on', type: 'date' },
] as const;

/**
 * Points of the last 10 days (the week's leaderboard and the previous one): each member on a
 * given day earned with a chance of 20% — daily quiz answers or articles read. ~500,000 entries.
 */
const pointsStep: ScaleStep = {
  name: 'points ledger (last 10 days)',
  weight: 8,
  async run(ctx) {
    const { random, tx } = ctx;
    const days = Array.from({ length: 10 }, (_, k) => isoDate(ctx.people.today - k * DAY));
    let rows: (string | number)[][] = LEDGER_COLUMNS.map(() => []);
    let n = 0;
    const flush = async () => {
      if (rows[0]!.length === 0) return;
      await tx.execute(bulkInsertSql('points_ledger', LEDGER_COLUMNS, rows));
      rows = LEDGER_COLUMNS.map(() => []);
    };
    for (let i = 0; i < ctx.members.length; i++) {
      const m = ctx.members[i]!;
      const org = ctx.orgs[m.orgIndex]!;
      for (const day of days) {
        if (!random.chance(0.2)) continue;
        const quiz = random.chance(0.6);
        const values = [m.id, org.path, quiz ? 'daily_quiz_correct' : 'article_read', 'seed', `seed-${++n}`, quiz ? 2 * random.int(1, 5) : random.int(1, 5), day];
        values.forEach((v, k) => rows[k]!.push(v));
      }
      if (rows[0]!.length >= 5 * BATCH) await flush();
      if (i % BATCH === 0) ctx.progress.advance((BATCH / ctx.members.length) * this.weight);
    }
    await flush();
  },
};

/**
 * One step per module that has data at scale. Later modules (activities, quiz answers, points…)
 * append theirs here: `{ name, weight, run: async (ctx) => … }`, writing with bulkInsertSql in
 * batches and reporting ctx.progress.advance().
 */
export const STEPS: ScaleStep[] = [orgsStep, membersStep, questionsStep, activitiesStep, pointsStep];

/** Tables whose secondary indexes are rebuilt after the load rather than maintained row by row. */
const REINDEXED_TABLES = ['members', 'member_stage_events', 'activities', 'activity_participants', 'points_ledger'];

export async function seedScale(database: Database, cipher: PersonalDataCipher, options: ScaleOptions): Promise<{ seconds: Record<string, number> }> {
  const random = createRandom(options.seed);
  const progress = new Progress(STEPS.reduce((n, s) => n + s.weight, 0) + 25);
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>) => {
    const t = performance.now();
    const result = await work();
    seconds[name] = Math.round((performance.now() - t) / 100) / 10;
    return result;
  };
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
    await tx.execute(sql`set local synchronous_commit = off`);
    const indexes = (await tx.execute<{ name: string; def: string } & Record<string, unknown>>(sql`
      select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = current_schema() and i.tablename in (${sql.join(REINDEXED_TABLES.map((t) => sql`${t}`), sql`, `)})
         and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`)).rows;
    for (const index of indexes) await tx.execute(sql.raw(`drop index ${index.name}`));
    const ctx: ScaleContext = { tx, cipher, random, people: new PeopleGenerator(random), options, orgs: [], members: [], progress };
    for (const step of STEPS) {
      progress.step(step.name);
      await timed(step.name, () => step.run(ctx));
    }
    progress.step(`rebuilding ${indexes.length} indexes`);
    await timed('indexes', async () => {
      for (const index of indexes) {
        await tx.execute(sql.raw(index.def));
        progress.advance(25 / indexes.length);
      }
    });
  });
  progress.step('vacuum analyze');
  await timed('vacuum analyze', () => database.db.execute(sql`vacuum (analyze) orgs, members, member_stage_events, org_member_counts, activities, activity_participants, points_ledger, questions`));
  progress.finish();
  return { seconds };
}

async function main() {
  const { values } = parseArgs({
    options: { orgs: { type: 'string', default: '15000' }, members: { type: 'string', default: '250000' }, seed: { type: 'string', default: '2025' } },
    strict: true,
  });
  const options: ScaleOptions = { orgs: Number(values.orgs), members: Number(values.members), seed: Number(values.seed) };
  if (!Number.isInteger(options.orgs) || !Number.isInteger(options.members) || options.orgs < 400 || options.members < 1) {
    throw new Error('--orgs (≥ 400) and --members must be whole numbers');
  }
  const config = readConfig();
  if (!config.databaseUrl) throw new Error('seed:scale needs DATABASE_URL (a PostgreSQL server); the embedded database is for the demo');
  await ensureDatabase(config.databaseUrl);
  const database = await openDatabase({ url: config.databaseUrl });
  try {
    await migrate(database);
    const existing = (await database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from orgs`)).rows[0]!.n;
    if (Number(existing) > 0) throw new Error(`the database already has ${existing} orgs: seed:scale fills an empty database (create a new one, e.g. dangjian_bench)`);
    const cipher = createCipher(loadDataKey(config.dataKey, config.dataDir));
    const started = performance.now();
    const { seconds } = await seedScale(database, cipher, options);
    const total = (performance.now() - started) / 1000;
    console.log(`seed:scale: ${options.orgs} orgs, ${options.members} members in ${total.toFixed(1)} s (${Object.entries(seconds).map(([k, v]) => `${k} ${v} s`).join(', ')})`);
  } finally {
    await database.close();
  }
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!found.rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write('\n');
    console.error(`seed:scale: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
