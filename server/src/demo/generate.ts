import { addYears, type Education, type MemberStage } from '../../../contracts/members.js';
import { withIdCheckDigit } from '../platform/personal-data.js';

/**
 * Plausible people for the demo organisation and the scale data set: one seeded generator, so
 * the same seed gives the same city. Nothing here touches the database; seed-demo.ts and
 * bench/seed-scale.ts turn the people into rows.
 */

// ---------- seeded randomness ----------

export interface Random {
  /** [0, 1) */
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(table: WeightedTable<T>): T;
  /** Normally distributed (Box–Muller), for sizes that cluster around a mean. */
  normal(mean: number, sd: number): number;
}

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (table) => {
      const r = next() * table.total;
      // binary search over the cumulative weights
      let lo = 0, hi = table.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (table.cumulative[mid]! > r) hi = mid; else lo = mid + 1;
      }
      return table.items[lo]!;
    },
    normal: (mean, sd) => {
      const u = 1 - next(), v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
  return random;
}

/** `count` distinct items, in random order (a partial Fisher–Yates shuffle). */
export function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const copy = [...items];
  for (let i = 0; i < Math.min(count, copy.length); i++) {
    const j = i + Math.floor(random.next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

export interface WeightedTable<T> { items: T[]; cumulative: number[]; total: number }

export function weightedTable<T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> {
  const items: T[] = [], cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of pairs) {
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  return { items, cumulative, total };
}

// ---------- names ----------

// Shares (‰) of the hundred commonest surnames (公安部户籍人口统计, rounded), plus a few compound ones.
const SURNAMES = weightedTable<string>([
  ['王', 71], ['李', 70], ['张', 67], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 22], ['赵', 20], ['吴', 20], ['周', 19],
  ['徐', 15], ['孙', 15], ['马', 13], ['朱', 13], ['胡', 12], ['郭', 12], ['何', 11], ['高', 11], ['林', 11], ['罗', 9],
  ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 8], ['唐', 7], ['许', 7], ['韩', 7], ['冯', 7], ['邓', 7], ['曹', 6],
  ['彭', 6], ['曾', 6], ['肖', 6], ['田', 6], ['董', 5], ['袁', 5], ['潘', 5], ['于', 5], ['蒋', 5], ['蔡', 5],
  ['余', 5], ['杜', 5], ['叶', 4], ['程', 4], ['苏', 4], ['魏', 4], ['吕', 4], ['丁', 4], ['任', 4], ['沈', 4],
  ['姚', 4], ['卢', 4], ['姜', 4], ['崔', 3], ['钟', 3], ['谭', 3], ['陆', 3], ['汪', 3], ['范', 3], ['金', 3],
  ['石', 3], ['廖', 3], ['贾', 3], ['夏', 3], ['韦', 3], ['付', 3], ['方', 3], ['白', 3], ['邹', 3], ['孟', 3],
  ['熊', 3], ['秦', 3], ['邱', 3], ['江', 3], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2], ['侯', 2],
  ['龙', 2], ['史', 2], ['陶', 2], ['黎', 2], ['贺', 2], ['顾', 2], ['毛', 2], ['郝', 2], ['龚', 2], ['邵', 2],
  ['万', 2], ['钱', 2], ['严', 2], ['覃', 1], ['武', 2], ['戴', 2], ['莫', 1], ['孔', 1], ['向', 1], ['汤', 1],
  ['欧阳', 0.5], ['司马', 0.1], ['诸葛', 0.1], ['上官', 0.1], ['东方', 0.05],
]);

const MALE_CHARS = '伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志文晨博毅峰海东亮成昊翔睿哲轩然泽豪琦振兴立诚锋荣庆德彬坤松柏钧铭坚'.split('');
const FEMALE_CHARS = '芳娜敏静丽艳娟霞秀玲燕婷雪慧颖琳洁倩萍红梅莉晶欣怡瑶佳月丹蕾琴妍璐露薇楠莹洋雯悦晴岚蓉菲婧媛嘉琪涵萱'.split('');
const NEUTRAL_CHARS = '文晓海思子一雨梓嘉新春晨宇安乐如心永君小亚之'.split('');

function givenName(random: Random, gender: Gender): string {
  const own = gender === 'male' ? MALE_CHARS : FEMALE_CHARS;
  const char = () => (random.chance(0.2) ? random.pick(NEUTRAL_CHARS) : random.pick(own));
  if (random.chance(0.22)) return random.pick(own);
  let first = char(), second = random.pick(own);
  if (first === second && random.chance(0.7)) second = random.pick(own);
  if (random.chance(0.05)) first = second; // 叠字名: 婷婷, 明明
  return first + second;
}

export function personName(random: Random, gender: Gender): string {
  return random.weighted(SURNAMES) + givenName(random, gender);
}

// ---------- people ----------

export type Gender = 'male' | 'female';

const ETHNICITIES = weightedTable<string>([
  ['汉族', 960], ['回族', 12], ['满族', 7], ['蒙古族', 4], ['壮族', 4], ['土家族', 3], ['苗族', 3], ['朝鲜族', 2], ['彝族', 2], ['藏族', 1], ['维吾尔族', 1], ['白族', 1],
]);

/**
 * Administrative division codes (GB/T 2260) with the years they were in use, so that an ID
 * number's region existed when its holder was first registered: 金坛区 (320413) only from 2015,
 * 江宁县 (320121) until it became 江宁区 in 2000.
 */
const REGIONS: readonly { code: string; from: number; until: number; weight: number }[] = [
  { code: '320102', from: 1955, until: 9999, weight: 14 }, // 南京 玄武区
  { code: '320104', from: 1955, until: 9999, weight: 12 }, // 秦淮区
  { code: '320105', from: 1955, until: 9999, weight: 10 }, // 建邺区
  { code: '320106', from: 1955, until: 9999, weight: 14 }, // 鼓楼区
  { code: '320111', from: 1955, until: 9999, weight: 5 }, // 浦口区
  { code: '320113', from: 1955, until: 9999, weight: 6 }, // 栖霞区
  { code: '320114', from: 1955, until: 9999, weight: 5 }, // 雨花台区
  { code: '320121', from: 1955, until: 2000, weight: 5 }, // 江宁县
  { code: '320115', from: 2000, until: 9999, weight: 6 }, // 江宁区
  { code: '320123', from: 1955, until: 2002, weight: 2 }, // 六合县
  { code: '320116', from: 2002, until: 9999, weight: 2 }, // 六合区
  { code: '320124', from: 1955, until: 2013, weight: 2 }, // 溧水县
  { code: '320117', from: 2013, until: 9999, weight: 1 }, // 溧水区
  { code: '320125', from: 1955, until: 2013, weight: 2 }, // 高淳县
  { code: '320118', from: 2013, until: 9999, weight: 1 }, // 高淳区
  { code: '320402', from: 1955, until: 9999, weight: 3 }, // 常州 天宁区
  { code: '320404', from: 1955, until: 9999, weight: 3 }, // 钟楼区
  { code: '320411', from: 2002, until: 9999, weight: 1 }, // 新北区
  { code: '320483', from: 1995, until: 2002, weight: 1 }, // 武进市
  { code: '320412', from: 2002, until: 9999, weight: 1 }, // 武进区
  { code: '320481', from: 1990, until: 9999, weight: 1 }, // 溧阳市
  { code: '320482', from: 1993, until: 2015, weight: 1 }, // 金坛市
  { code: '320413', from: 2015, until: 9999, weight: 1 }, // 金坛区
  { code: '320202', from: 1955, until: 9999, weight: 2 }, // 无锡 崇安区
  { code: '320505', from: 1955, until: 9999, weight: 2 }, // 苏州 虎丘区
  { code: '321002', from: 1955, until: 9999, weight: 2 }, // 扬州 广陵区
  { code: '321102', from: 1955, until: 9999, weight: 2 }, // 镇江 京口区
  { code: '320902', from: 1983, until: 9999, weight: 2 }, // 盐城 亭湖区
  { code: '340104', from: 1955, until: 9999, weight: 2 }, // 合肥 蜀山区
  { code: '341302', from: 1999, until: 9999, weight: 2 }, // 宿州 埇桥区
  { code: '370102', from: 1955, until: 9999, weight: 1 }, // 济南 历下区
  { code: '410105', from: 1955, until: 9999, weight: 1 }, // 郑州 金水区
  { code: '330106', from: 1955, until: 9999, weight: 1 }, // 杭州 西湖区
  { code: '420106', from: 1955, until: 9999, weight: 1 }, // 武汉 武昌区
];

/** The year a person's ID region was fixed: first registration at 16, or the 1984 roll-out. */
function registrationYear(birthYear: number): number {
  return Math.max(birthYear + 16, 1985);
}

// the member roll's wording (contracts/members.ts EDUCATIONS)
const EDUCATION_YOUNG = weightedTable<Education>([['研究生（博士）', 4], ['研究生（硕士）', 38], ['大学本科', 54], ['大学专科', 4]]);
const EDUCATION_OLD = weightedTable<Education>([['研究生（硕士）', 10], ['大学本科', 52], ['大学专科', 24], ['中专', 8], ['高中', 6]]);

// 130–139, 150–159 (not 154), 166, 17x, 18x, 19x: the segments the three carriers issue.
const MOBILE_PREFIXES = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166', '173', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];

/** Civil-service ranks (职级) and posts, most common first. */
const POSTS_STAFF = weightedTable<string>([
  ['一级主任科员', 16], ['二级主任科员', 16], ['三级主任科员', 12], ['四级主任科员', 12], ['一级科员', 14], ['科员', 8],
  ['四级调研员', 7], ['三级调研员', 5], ['二级调研员', 3], ['一级调研员', 2], ['副处长', 6], ['处长', 4], ['工勤人员', 2],
]);


export interface Person {
  name: string;
  gender: Gender;
  ethnicity: string;
  birthDate: string;
  idNumber: string;
  phone: string;
  education: Education;
}

export interface PipelineDates {
  stage: MemberStage;
  appliedOn: string | null;
  activistOn: string | null;
  candidateOn: string | null;
  joinedOn: string | null;
  convertedOn: string | null;
}

const DAY = 86_400_000;
export const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const dateOnly = (iso: string) => Date.parse(iso + 'T00:00:00Z');

/**
 * Makes people with unique ID numbers and mobiles. `today` is fixed by the caller so that a
 * run is reproducible and every date is in the past.
 */
export class PeopleGenerator {
  private readonly ids = new Set<string>();
  private readonly phones = new Set<string>();
  readonly today: number;

  constructor(readonly random: Random, today = new Date()) {
    this.today = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  }

  person(options: { minAge: number; maxAge: number; gender?: Gender }): Person {
    const { random } = this;
    const gender = options.gender ?? (random.chance(0.57) ? 'male' : 'female');
    const birth = this.today - Math.floor((options.minAge + random.next() * (options.maxAge - options.minAge)) * 365.25 * DAY);
    const birthDate = isoDate(birth);
    const birthYear = Number(birthDate.slice(0, 4));
    return {
      name: personName(random, gender),
      gender,
      ethnicity: random.weighted(ETHNICITIES),
      birthDate,
      idNumber: this.idNumber(birthDate, gender),
      phone: this.phone(),
      education: random.weighted(birthYear >= 1975 ? EDUCATION_YOUNG : EDUCATION_OLD),
    };
  }

  /** GB 11643: region (6) · birth date (8) · sequence (3, odd for men) · check character. */
  idNumber(birthDate: string, gender: Gender): string {
    const year = registrationYear(Number(birthDate.slice(0, 4)));
    const regions = REGIONS.filter((r) => r.from <= year && year < r.until);
    const table = weightedTable(regions.map((r) => [r.code, r.weight] as const));
    for (;;) {
      const sequence = this.random.int(0, 499) * 2 + (gender === 'male' ? 1 : 0);
      const id = withIdCheckDigit(this.random.weighted(table) + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0'));
      if (!this.ids.has(id)) {
        this.ids.add(id);
        return id;
      }
    }
  }

  phone(): string {
    for (;;) {
      const phone = this.random.pick(MOBILE_PREFIXES) + String(this.random.int(0, 99_999_999)).padStart(8, '0');
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }

  post(): string {
    return this.random.weighted(POSTS_STAFF);
  }

  /**
   * Dates of the development pipeline in order, each step after the minimum wait the 发展党员工作细则
   * sets: 积极分子 after applying, 发展对象 after at least a year of 培养, 预备党员 after 政治审查,
   * 转正 one year later. Applications come no earlier than 18. Older records often lack the early
   * dates, as archives before 2010 rarely kept them.
   */
  pipeline(birthDate: string, stage: MemberStage): PipelineDates {
    const { random, today } = this;
    const adult = dateOnly(birthDate) + Math.ceil(18 * 365.25) * DAY;
    const empty = { appliedOn: null, activistOn: null, candidateOn: null, joinedOn: null, convertedOn: null };
    if (stage === 'full') {
      // most join between 22 and 35; converted after the year of probation, so at least 13 months ago
      const age = (today - dateOnly(birthDate)) / (365.25 * DAY);
      let joinAge = Math.max(random.normal(27, 5), 19.5);
      if (joinAge > age - 1.2) joinAge = 19.5 + random.next() * Math.max(age - 1.2 - 19.5, 0);
      const joined = Math.max(dateOnly(birthDate) + Math.floor(joinAge * 365.25) * DAY, adult + 200 * DAY);
      // 转正 on the first anniversary (党章 §7), not 365 days: leap years
      const converted = dateOnly(addYears(isoDate(joined), 1));
      const hasHistory = joined > Date.UTC(2010, 0, 1) || random.chance(0.15);
      const candidate = joined - random.int(60, 300) * DAY;
      const activist = candidate - random.int(366, 720) * DAY;
      const applied = activist - random.int(90, 400) * DAY;
      return {
        stage,
        ...empty,
        ...(hasHistory && applied >= adult ? { appliedOn: isoDate(applied), activistOn: isoDate(activist), candidateOn: isoDate(candidate) } : {}),
        joinedOn: isoDate(joined),
        convertedOn: isoDate(converted),
      };
    }
    // the pipeline stages are recent: count back from today
    const stepsBack: Record<Exclude<MemberStage, 'full'>, number> = { applicant: 0, activist: 1, candidate: 2, probationary: 3 };
    const back = stepsBack[stage];
    let t = today - random.int(10, 300) * DAY;
    const dates: Omit<PipelineDates, 'stage'> = { ...empty };
    if (back >= 3) { dates.joinedOn = isoDate(t); t -= random.int(60, 300) * DAY; }
    if (back >= 2) { dates.candidateOn = isoDate(t); t -= random.int(366, 600) * DAY; }
    if (back >= 1) { dates.activistOn = isoDate(t); t -= random.int(90, 300) * DAY; }
    dates.appliedOn = isoDate(Math.max(t, adult));
    return { stage, ...dates };
  }
}

/** The stage events a member's dates imply, oldest first (member_stage_events rows). */
export function stageEvents(p: PipelineDates): { stage: MemberStage; occurredOn: string }[] {
  const events: { stage: MemberStage; occurredOn: string }[] = [];
  if (p.appliedOn) events.push({ stage: 'applicant', occurredOn: p.appliedOn });
  if (p.activistOn) events.push({ stage: 'activist', occurredOn: p.activistOn });
  if (p.candidateOn) events.push({ stage: 'candidate', occurredOn: p.candidateOn });
  if (p.joinedOn) events.push({ stage: 'probationary', occurredOn: p.joinedOn });
  if (p.convertedOn) events.push({ stage: 'full', occurredOn: p.convertedOn });
  return events;
}

// ---------- organisations ----------

/** Municipal bureaus and the departments (处室) their branches are named after. */
export const BUREAUS: readonly { name: string; short: string; departments: readonly string[]; address: string }[] = [
  { name: '市财政局', short: '财政', address: '北京东路 41 号', departments: ['办公室', '预算处', '国库处', '税政处', '经济建设处', '行政政法处', '教科文处', '社会保障处', '会计处', '政府采购监管处', '人事处', '绩效管理处'] },
  { name: '市教育局', short: '教育', address: '北京西路 15 号', departments: ['办公室', '基础教育处', '职业教育处', '高等教育处', '人事处', '计划财务处', '教育督导室', '学生工作处', '体育卫生艺术教育处'] },
  { name: '市卫生健康委员会', short: '卫健', address: '紫竹林 3 号', departments: ['办公室', '医政医管处', '基层卫生健康处', '疾病预防控制处', '妇幼健康处', '人事处', '规划发展处', '老龄健康处', '财务处'] },
  { name: '市发展和改革委员会', short: '发改', address: '北京东路 41 号', departments: ['办公室', '综合处', '规划处', '固定资产投资处', '产业发展处', '价格管理处', '社会发展处', '能源处'] },
  { name: '市民政局', short: '民政', address: '中山北路 204 号', departments: ['办公室', '社会救助处', '养老服务处', '社会组织管理处', '区划地名处', '儿童福利处', '婚姻登记处'] },
  { name: '市人力资源和社会保障局', short: '人社', address: '上海路 7 号', departments: ['办公室', '就业促进处', '职业能力建设处', '养老保险处', '劳动关系处', '事业单位人事管理处', '工资福利处'] },
  { name: '市自然资源和规划局', short: '规划资源', address: '北京西路 12 号', departments: ['办公室', '国土空间规划处', '耕地保护处', '不动产登记处', '测绘地理信息处', '执法监察处', '详细规划处'] },
  { name: '市住房和城乡建设局', short: '住建', address: '华侨路 56 号', departments: ['办公室', '房地产市场监管处', '建筑市场监管处', '城市建设处', '住房保障处', '质量安全处'] },
  { name: '市交通运输局', short: '交通', address: '中山东路 301 号', departments: ['办公室', '综合规划处', '公路处', '运输管理处', '港航处', '安全监督处'] },
  { name: '市审计局', short: '审计', address: '江东北路 88 号', departments: ['办公室', '财政审计处', '经济责任审计处', '企业审计处', '社会保障审计处', '法规处'] },
  { name: '市统计局', short: '统计', address: '北京东路 41 号', departments: ['办公室', '综合处', '国民经济核算处', '工业交通统计处', '人口和社会科技统计处'] },
  { name: '市生态环境局', short: '生态环境', address: '虎踞北路 180 号', departments: ['办公室', '大气环境处', '水生态环境处', '土壤生态环境处', '环境影响评价处', '执法监督处'] },
  { name: '市市场监督管理局', short: '市场监管', address: '江东中路 265 号', departments: ['办公室', '登记注册处', '食品安全协调处', '质量发展处', '价格监督检查处', '知识产权处', '特种设备安全监察处'] },
  { name: '市司法局', short: '司法', address: '汉中路 169 号', departments: ['办公室', '立法处', '行政执法协调监督处', '公共法律服务管理处', '律师工作处', '人民参与和促进法治处'] },
  { name: '市应急管理局', short: '应急', address: '北京西路 6 号', departments: ['办公室', '应急指挥中心', '风险监测和综合减灾处', '危险化学品安全监督管理处', '工贸行业安全监督管理处'] },
  { name: '市文化广电和旅游局', short: '文旅', address: '北京东路 43 号', departments: ['办公室', '艺术处', '公共服务处', '文物处', '资源开发处', '市场管理处'] },
  { name: '市商务局', short: '商务', address: '北京东路 41 号', departments: ['办公室', '对外贸易处', '外资处', '市场体系建设处', '电子商务处'] },
  { name: '市农业农村局', short: '农业', address: '草场门大街 101 号', departments: ['办公室', '乡村产业发展处', '种植业管理处', '畜牧兽医处', '农田建设管理处'] },
  { name: '市水务局', short: '水务', address: '北京西路 42 号', departments: ['办公室', '水资源管理处', '河湖管理处', '防汛抗旱处', '供水节水处'] },
  { name: '市政务服务管理办公室', short: '政务服务', address: '江东中路 265 号', departments: ['办公室', '审批制度改革处', '政务公开处', '12345 热线管理处'] },
];

/** District names for the city-scale tree (区/县 organ committees). */
export const DISTRICTS = ['玄武区', '秦淮区', '建邺区', '鼓楼区', '浦口区', '栖霞区', '雨花台区', '江宁区', '六合区', '溧水区', '高淳区', '江北新区'];

/** District bureaus are named like the city's ones: 玄武区 + 市财政局 → 玄武区财政局. */
export function districtBureau(district: string, bureau: string): string {
  return district + bureau.replace(/^市/, '');
}
