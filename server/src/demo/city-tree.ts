import type { OrgType } from '../../../contracts/orgs.js';
import { BUREAUS, DISTRICTS, districtBureau, type Random } from './generate.js';

/**
 * The shape of a whole city's organ party organisation for the scale data set (bench/seed-scale.ts):
 * the work committee; the organ committees of municipal bureaus, some with general branches;
 * district work committees with the organ committees of their bureaus; branches of 5–80 members;
 * groups in some branches. Leaves sit at depth 3–5. Exactly `orgs` orgs and `members` members.
 */
export interface CityOrg {
  /** Index of the parent in the list (parents come before children). */
  parent: number;
  name: string;
  type: OrgType;
  depth: number;
  /** The unit its members work in (a bureau's name). */
  workUnit: string;
  /** Members on its roll (branches only). */
  size: number;
  retirees: boolean;
}

const MORE_MUNICIPAL = ['市科学技术局', '市工业和信息化局', '市公安局', '市城市管理局', '市体育局', '市人民政府国有资产监督管理委员会', '市医疗保障局',
  '市退役军人事务局', '市信访局', '市机关事务管理局', '市地方金融管理局', '市档案馆', '市供销合作总社', '市总工会', '共青团市委', '市妇女联合会',
  '市科学技术协会', '市文学艺术界联合会', '市残疾人联合会', '市红十字会'];
const GENERIC_DEPARTMENTS = ['办公室', '综合处', '政策法规处', '人事处', '财务处', '督查室', '宣传处', '行政审批处'];
/** Institutions under a bureau whose staff form branches of their own. */
const INSTITUTIONS = ['信息中心', '财务结算中心', '综合行政执法支队', '政务服务中心', '档案室', '研究室', '培训中心', '监测站', '事务管理所', '后勤服务中心', '机关服务中心', '检验检测中心'];
const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function planCityTree(random: Random, target: { orgs: number; members: number }): CityOrg[] {
  const tree: CityOrg[] = [];
  const add = (parent: number, name: string, type: OrgType, workUnit: string): number => {
    tree.push({ parent, name, type, depth: parent < 0 ? 1 : tree[parent]!.depth + 1, workUnit, size: 0, retirees: false });
    return tree.length - 1;
  };
  add(-1, '市直机关工委', 'work_committee', '市直机关工委');
  const committees: { index: number; departments: readonly string[]; weight: number; generalBranches: boolean }[] = [];
  for (const b of BUREAUS) committees.push({ index: add(0, `${b.name}机关党委`, 'organ_committee', b.name), departments: b.departments, weight: 3, generalBranches: true });
  for (const name of MORE_MUNICIPAL) committees.push({ index: add(0, `${name}机关党委`, 'organ_committee', name), departments: GENERIC_DEPARTMENTS, weight: 2, generalBranches: true });
  for (const district of DISTRICTS) {
    const d = add(0, `${district}机关工委`, 'party_committee', `${district}机关工委`);
    // district bureaus: no general branches, so that their groups stay at depth 5
    for (const b of BUREAUS) committees.push({ index: add(d, `${districtBureau(district, b.name)}机关党委`, 'organ_committee', districtBureau(district, b.name)), departments: b.departments, weight: 1, generalBranches: false });
  }
  const fixed = tree.length;
  // About one group per branch and a general branch per eight branches on average: the branch
  // count that makes the org total come out right.
  const branchCount = Math.round((target.orgs - fixed) / 2.05);
  if (branchCount < committees.length || target.members / branchCount < 5 || target.members / branchCount > 80) {
    throw new Error(`cannot build ${target.orgs} orgs with ${target.members} members in branches of 5–80 (try members between ${branchCount * 5} and ${branchCount * 80})`);
  }
  const perCommittee = spread(random, committees.map((c) => c.weight * (0.5 + random.next())), branchCount, 1);

  const branches: number[] = [];
  committees.forEach((committee, c) => {
    const count = perCommittee[c]!;
    const names = branchNames(random, committee.departments, count);
    const unit = tree[committee.index]!.workUnit;
    let parent = committee.index;
    let underGeneral = 0;
    names.forEach((name, i) => {
      // big municipal committees group their branches under general branches (党总支), 4–12 each
      if (committee.generalBranches && count > 12 && underGeneral === 0 && i < count - 3) {
        parent = add(committee.index, `机关第${ordinal(tree.filter((o) => o.parent === committee.index && o.type === 'general_branch').length)}党总支`, 'general_branch', unit);
        underGeneral = random.int(4, 12);
      }
      if (underGeneral > 0) underGeneral--;
      else parent = committee.index;
      const branch = add(parent, name, 'branch', unit);
      tree[branch]!.retirees = name.startsWith('离退休');
      branches.push(branch);
    });
  });

  const sizes = spread(random, branches.map((b) => (tree[b]!.retirees ? 1.6 : 1) * Math.exp(random.normal(0, 0.45))), target.members, 5, 80);
  branches.forEach((b, i) => { tree[b]!.size = sizes[i]!; });

  // groups (党小组) fill the remaining count, in the bigger branches first
  let groups = target.orgs - tree.length;
  if (groups < 0) throw new Error(`${target.orgs} orgs are too few for this tree (at least ${tree.length})`);
  const bySize = [...branches].sort((a, b) => tree[b]!.size - tree[a]!.size);
  for (let round = 0; groups > 0; round++) {
    for (const b of bySize) {
      if (groups === 0) break;
      if (round > 0 && tree[b]!.size < 15 && round < 6) continue;
      add(b, `第${ordinal(round)}党小组`, 'group', tree[b]!.workUnit);
      groups--;
    }
  }
  // parents before children, siblings together: depth-first order for the sort keys
  return tree;
}

function ordinal(i: number): string {
  return i < 10 ? ORDINALS[i]! : String(i + 1);
}

function branchNames(random: Random, departments: readonly string[], count: number): string[] {
  const units = [...departments, ...INSTITUTIONS];
  const names: string[] = [];
  const used = new Map<string, number>();
  const retired = Math.max(1, Math.round(count / 15));
  for (let i = 0; i < count; i++) {
    const unit = i < count - retired ? (i < units.length ? units[i]! : random.pick(units)) : '离退休干部';
    const n = (used.get(unit) ?? 0) + 1;
    used.set(unit, n);
    names.push(n === 1 ? `${unit}党支部` : `${unit}第${ordinal(n - 1)}党支部`);
  }
  // the first of a repeated unit becomes 第一 once a 第二 exists
  return names.map((name) => {
    const unit = name.replace(/党支部$/, '');
    return (used.get(unit) ?? 0) > 1 ? `${unit}第一党支部` : name;
  });
}

/** Integers proportional to `weights`, each within [min, max], adding up to exactly `total`. */
export function spread(random: Random, weights: number[], total: number, min: number, max = Number.MAX_SAFE_INTEGER): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.min(max, Math.max(min, Math.floor((w / sum) * total))));
  let rest = total - out.reduce((a, b) => a + b, 0);
  let guard = 0;
  while (rest !== 0) {
    const i = random.int(0, out.length - 1);
    const step = rest > 0 ? 1 : -1;
    const v = out[i]! + step;
    if (v >= min && v <= max) { out[i] = v; rest -= step; }
    if (++guard > 100 * (Math.abs(total) + out.length)) throw new Error('cannot spread the total within the bounds');
  }
  return out;
}
