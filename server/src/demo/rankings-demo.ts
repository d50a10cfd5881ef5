import { sql } from 'drizzle-orm';
import type { Tx } from '../platform/db.js';
import { textArray } from '../platform/sql.js';
import { listIndicatorSources } from '../modules/assessment/indicators-service.js';
import { computePeriodResults, periodsOf } from '../modules/rankings/service.js';
import type { DemoContext, DemoPlace } from './context.js';
import { createRandom } from './generate.js';

/** The seven 讲/比 pairs of a 机关党建 赛马, with their weights. */
const PAIRS: [string, number][] = [
  ['讲政治·比忠诚', 2], ['讲学习·比素质', 1], ['讲担当·比作为', 1.5], ['讲服务·比奉献', 1], ['讲规矩·比执行', 1], ['讲创新·比实效', 1], ['讲廉洁·比作风', 1],
];
/** 讲规矩·比执行 is the 三会一课 completion when that indicator is offered, else scored by hand. */
const COMPUTED: Record<string, string> = { '讲规矩·比执行': 'activities.three_meetings_completion' };

type Row = Record<string, unknown>;

/**
 * 赛马 of the demo tree: the 工委's campaign of the year ranks the fourteen 机关党委 and all branches
 * on the seven pairs, two quarters computed and published (so the board shows movement arrows to the
 * bureau's and the secretary's admins); the finance bureau's own monthly campaign of its branches, one
 * month published and the next computed. Scores come from a seeded generator: the same every time.
 */
export async function seedRankingsDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, users, today } = context;
  const random = createRandom(20261207);
  const year = Number(today.slice(0, 4));
  const offered = new Set(listIndicatorSources().map((s) => s.code));

  const city = await campaign(tx, {
    org: root, by: users.admin, name: `${year}年度机关党建“赛马”比拼`, kind: 'quarterly', year,
    groups: [{ name: '机关党委', rule: sql`nlevel(o.path) = nlevel(${root.path}::ltree) + 1`, kind: 'level', depth: 1 }, { name: '党支部', rule: sql`o.type = 'branch'`, kind: 'type', type: 'branch' }],
    dimensions: PAIRS.map(([name, weight]) => ({ name, weight, code: offered.has(COMPUTED[name] ?? '') ? COMPUTED[name]! : null })),
  });
  const bureau = await campaign(tx, {
    org: committee, by: users.bureau, name: `${committee.name}支部对表晒绩`, kind: 'monthly', year,
    groups: [{ name: '党支部', rule: sql`o.type = 'branch'`, kind: 'type', type: 'branch' }],
    dimensions: [{ name: '讲学习·比素质', weight: 1, code: null }, { name: '讲服务·比奉献', weight: 1, code: null }, { name: '讲担当·比作为', weight: 2, code: null }],
  });

  // each org has a level it tends to, so the two periods move a little, not at random
  for (const c of [city, bureau]) {
    const base = new Map(c.orgs.map((o) => [o, random.int(60, 95)]));
    for (const period of c.periods.slice(0, 2)) {
      const rows: [string, string, string][] = [];
      for (const dim of c.manual) for (const org of c.orgs) rows.push([dim, org, String(Math.min(100, base.get(org)! + random.int(-8, 8)))]);
      await tx.execute(sql`insert into ranking_manual_scores (period_id, dimension_id, org_id, score, updated_by)
        select ${period}, t.d, t.o, t.s, ${c.by} from unnest(${textArray(rows.map((r) => r[0]))}::bigint[], ${textArray(rows.map((r) => r[1]))}::bigint[],
          ${textArray(rows.map((r) => r[2]))}::numeric[]) t (d, o, s)`);
      await computePeriodResults(tx, period);
    }
  }
  await tx.execute(sql`update ranking_periods set status = 'published', published_at = now()
    where id = any(${textArray([...city.periods.slice(0, 2), bureau.periods[0]!])}::bigint[])`);
}

interface DemoCampaign {
  org: DemoPlace; by: string; name: string; kind: 'monthly' | 'quarterly'; year: number;
  groups: { name: string; rule: ReturnType<typeof sql>; kind: 'level' | 'type'; depth?: number; type?: string }[];
  dimensions: { name: string; weight: number; code: string | null }[];
}

async function campaign(tx: Tx, c: DemoCampaign): Promise<{ by: string; periods: string[]; manual: string[]; orgs: string[] }> {
  const id = (await tx.execute<{ id: string } & Row>(sql`insert into ranking_campaigns (org_id, org_path, name, period_kind, year, created_by)
    values (${c.org.id}, ${c.org.path}::ltree, ${c.name}, ${c.kind}, ${c.year}, ${c.by}) returning id::text`)).rows[0]!.id;
  const dims = (await tx.execute<{ id: string; source: string } & Row>(sql`insert into ranking_dimensions (campaign_id, position, name, weight, source, indicator_code)
    select ${id}, t.p, t.n, t.w, case when t.c = '' then 'manual' else 'indicator' end, nullif(t.c, '')
    from unnest(${textArray(c.dimensions.map((_, i) => String(i + 1)))}::int[], ${textArray(c.dimensions.map((d) => d.name))}::text[],
                ${textArray(c.dimensions.map((d) => String(d.weight)))}::numeric[], ${textArray(c.dimensions.map((d) => d.code ?? ''))}::text[]) t (p, n, w, c)
    returning id::text, source`)).rows;
  for (const [i, g] of c.groups.entries()) {
    const group = (await tx.execute<{ id: string } & Row>(sql`insert into ranking_peer_groups (campaign_id, position, name, rule_kind, rule_depth, rule_type)
      values (${id}, ${i + 1}, ${g.name}, ${g.kind}, ${g.depth ?? null}, ${g.type ?? null}) returning id::text`)).rows[0]!.id;
    await tx.execute(sql`insert into ranking_group_members (campaign_id, group_id, org_id)
      select ${id}, ${group}, o.id from orgs o where o.path <@ ${c.org.path}::ltree and o.id <> ${c.org.id} and o.dissolved_at is null and ${g.rule}
      on conflict do nothing`);
  }
  const periods = periodsOf(c.kind, c.year);
  const periodIds = (await tx.execute<{ id: string } & Row>(sql`insert into ranking_periods (campaign_id, seq, label, from_date, to_date)
    select ${id}, t.seq, t.label, t.f, t.t from unnest(${textArray(periods.map((p) => String(p.seq)))}::int[], ${textArray(periods.map((p) => p.label))}::text[],
      ${textArray(periods.map((p) => p.from))}::date[], ${textArray(periods.map((p) => p.to))}::date[]) t (seq, label, f, t)
    returning id::text`)).rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
  const orgs = (await tx.execute<{ id: string } & Row>(sql`select org_id::text as id from ranking_group_members where campaign_id = ${id} order by org_id`)).rows.map((r) => r.id);
  return { by: c.by, periods: periodIds, manual: dims.filter((d) => d.source === 'manual').map((d) => d.id), orgs };
}
