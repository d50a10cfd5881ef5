import { sql } from 'drizzle-orm';
import { indexUnindexedLearning } from '../modules/search/index-text.js';
import type { DemoContext } from './context.js';

type Author = 'admin' | 'bureau' | 'secretary';
interface DemoNews {
  column: 0 | 1 | 2;
  title: string;
  summary: string;
  paragraphs: string[];
  author: Author;
  reviewer: Author | null;
  status: 'published' | 'submitted' | 'returned' | 'draft';
  isPublic: boolean;
  daysAgo: number;
  returnReason?: string;
}

/** 专栏: a campaign's column and the work committee's news, and the bureau's own. */
const COLUMNS = [
  { place: 'root', name: '学习贯彻党的二十届四中全会精神', description: '市直机关学习贯彻全会精神的部署、做法和成效' },
  { place: 'root', name: '机关党建动态', description: '市直机关工委及各单位党建工作动态' },
  { place: 'committee', name: '财政党建', description: '市财政局机关党委党建工作' },
] as const;

const NEWS: DemoNews[] = [
  { column: 0, title: '市直机关工委召开会议传达学习全会精神', summary: '工委理论学习中心组专题学习，部署市直机关学习宣传贯彻工作。',
    paragraphs: ['市直机关工委召开理论学习中心组学习会议，传达学习党的二十届四中全会精神。', '会议要求，各机关党组织要把学习宣传贯彻全会精神作为当前和今后一个时期的首要政治任务，推动全会精神在机关落地生根。'],
    author: 'bureau', reviewer: 'admin', status: 'published', isPublic: true, daysAgo: 20 },
  { column: 0, title: '市直机关举办全会精神专题宣讲报告会', summary: '市委宣讲团成员作专题辅导，各单位党员干部600余人参加。',
    paragraphs: ['报告会围绕全会的重大意义、主要内容和贯彻要求作了深入阐释。', '与会党员干部表示，要把学习成果转化为推动高质量发展的实际行动。'],
    author: 'bureau', reviewer: 'admin', status: 'published', isPublic: true, daysAgo: 12 },
  { column: 0, title: '各机关党委开展全会精神学习研讨', summary: '以支部为单位组织研讨交流，做到学习全覆盖。',
    paragraphs: ['各机关党委结合主题党日，组织党员围绕全会精神开展研讨交流。', '预算处党支部结合财政工作实际，交流学习体会12篇。'],
    author: 'bureau', reviewer: 'admin', status: 'published', isPublic: false, daysAgo: 6 },
  { column: 1, title: '市直机关“三会一课”规范化建设推进会召开', summary: '推广基层党支部标准化规范化建设经验。',
    paragraphs: ['会议通报了上半年“三会一课”落实情况，对下一步规范化建设作出部署。', '五个党支部作了经验交流。'],
    author: 'bureau', reviewer: 'admin', status: 'published', isPublic: true, daysAgo: 35 },
  { column: 1, title: '市直机关开展“我为群众办实事”实践活动成效明显', summary: '各单位累计为群众办实事200余件，群众满意度持续提升。',
    paragraphs: ['市直机关各级党组织聚焦群众急难愁盼问题，推动一批民生实事落地见效。', '活动中，党员干部深入社区报到，认领微心愿，开展志愿服务。'],
    author: 'bureau', reviewer: 'admin', status: 'published', isPublic: true, daysAgo: 3 },
  { column: 1, title: '机关党建与业务融合工作座谈会纪要', summary: '内部交流材料，请各机关党委结合实际参考。',
    paragraphs: ['座谈会围绕党建与业务深度融合的路径方法开展交流。'],
    author: 'bureau', reviewer: 'admin', status: 'published', isPublic: false, daysAgo: 9 },
  { column: 2, title: '预算处党支部开展主题党日活动', summary: '重温入党誓词，赴党性锤炼中心开展现场教学。',
    paragraphs: ['预算处党支部组织全体党员开展主题党日活动，重温入党誓词。', '党员们表示，要立足岗位，在预算编制和绩效管理中当先锋、作表率。'],
    author: 'secretary', reviewer: 'bureau', status: 'published', isPublic: true, daysAgo: 15 },
  { column: 2, title: '市财政局机关党委召开党建工作推进会', summary: '部署下半年党建重点任务。',
    paragraphs: ['会议总结了上半年党建工作，部署了下半年重点任务。'],
    author: 'bureau', reviewer: 'admin', status: 'published', isPublic: false, daysAgo: 25 },
  { column: 2, title: '预算处党支部与社区开展共建活动', summary: '党员走进社区，为居民讲解惠民政策。',
    paragraphs: ['预算处党支部党员走进共建社区，面对面为居民讲解财政惠民政策。'],
    author: 'secretary', reviewer: null, status: 'submitted', isPublic: true, daysAgo: 1 },
  { column: 2, title: '预算处党支部读书分享会', summary: '',
    paragraphs: ['支部组织开展读书分享会。'],
    author: 'secretary', reviewer: 'bureau', status: 'returned', isPublic: false, daysAgo: 2, returnReason: '请补充活动时间、参加人数和活动照片' },
];

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * News columns with reviewed items (most published, some on the public portal, one waiting for the
 * bureau's review, one returned to the secretary), indexed for search with the learning content the
 * learning demo wrote directly.
 */
export async function seedNewsDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, users } = context;
  const places = { root, committee };
  const columnIds = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into news_columns (org_id, org_path, name, description, created_by, created_at) values
    ${sql.join(COLUMNS.map((c) => sql`(${places[c.place].id}, ${places[c.place].path}::ltree, ${c.name}, ${c.description}, ${users.admin}, now() - interval '60 days')`), sql`, `)}
    returning id::text`)).rows.map((r) => r.id);
  await tx.execute(sql`
    insert into news_items (column_id, org_id, org_path, title, summary, body_html, body_text, is_public, status, author_user_id, author_name,
                            submitted_at, reviewed_by, reviewer_name, reviewed_at, return_reason, published_at, created_at, updated_at)
    select c.id, c.org_id, c.org_path, v.title, nullif(v.summary, ''), v.body_html, v.body_text, v.is_public, v.status, v.author, au.display_name,
           case when v.status <> 'draft' then v.at end, v.reviewer, ru.display_name, case when v.reviewer is not null then v.at end, v.return_reason,
           case when v.status = 'published' then v.at end, v.at - interval '1 day', v.at
      from (values ${sql.join(NEWS.map((n) => sql`(${columnIds[n.column]}::bigint, ${n.title}::text, ${n.summary}::text,
              ${n.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}::text, ${n.paragraphs.join('\n')}::text, ${n.isPublic}::boolean, ${n.status}::text,
              ${users[n.author]}::bigint, ${n.reviewer ? users[n.reviewer] : null}::bigint, ${n.returnReason ?? null}::text, now() - ${`${n.daysAgo} days`}::interval)`), sql`, `)})
           as v (column_id, title, summary, body_html, body_text, is_public, status, author, reviewer, return_reason, at)
      join news_columns c on c.id = v.column_id
      join users au on au.id = v.author
      left join users ru on ru.id = v.reviewer`);
  // the demo's texts are simplified Chinese already: lower case is their normal form
  await tx.execute(sql`
    insert into search_texts (source_type, source_id, org_path, title, excerpt, title_search, search_text, visibility, published_at)
    select 'news', n.id::text, n.org_path, n.title, left(regexp_replace(concat_ws(' ', n.summary, n.body_text), '\\s+', ' ', 'g'), 120), lower(n.title),
           lower(concat_ws(E'\\n', n.title, n.summary, n.body_text)), case when n.is_public then 'public' else 'tree' end, n.published_at
      from news_items n where n.status = 'published'`);
  await indexUnindexedLearning(tx);
}
