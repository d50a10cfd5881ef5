import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'dashboard.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'dashboard.report_not_found': { zh: '报表不存在或不在您的管理范围内', en: 'Report not found or outside your scope' },
  'field.period': { zh: '统计周期格式应为 YYYY、YYYY-Q1～Q4 或 YYYY-MM', en: 'Period must be YYYY, YYYY-Q1…Q4 or YYYY-MM' },
  'field.measure': { zh: '没有这项指标', en: 'Unknown measure' },
});

/** Names of the measures and their buckets, for the exported report (the console has its own). */
export const MEASURE_NAMES: Record<string, string> = {
  orgs_by_type: '党组织（按类型）', members_by_stage: '党员及发展对象（按阶段）', members_by_gender: '党员性别结构', members_by_age: '党员年龄结构',
  members_by_education: '党员学历结构', members_by_ethnicity: '党员民族结构', members_by_category: '党员类别（按党费交纳基数）', members_by_child: '下级组织党员数排名', pipeline_flow: '发展党员流转（本期）',
  terms_due: '换届提醒', compliance: '三会一课落实情况', quiz_participation: '每日答题参与人数', study_participation: '学习打卡参与人数',
  exam_participation: '考试参与（答卷）', org_points: '下级组织积分排名', service_projects: '我为群众办实事项目', service_satisfaction: '群众满意度评价',
  volunteer_hours: '志愿服务时长（0.1 小时）', venue_visits: '阵地参观（批次 / 人次）', activities_by_month: '组织生活月度趋势', new_members_by_month: '新发展党员月度趋势',
};

export const BUCKET_NAMES: Record<string, string> = {
  work_committee: '机关工委', party_committee: '党委', organ_committee: '机关党委', general_branch: '党总支', branch: '党支部', group: '党小组', temporary_branch: '临时党支部',
  applicant: '入党申请人', activist: '入党积极分子', candidate: '发展对象', probationary: '预备党员', full: '正式党员',
  male: '男', female: '女', to_30: '30 岁及以下', '31_40': '31—40 岁', '41_50': '41—50 岁', '51_60': '51—60 岁', over_60: '60 岁以上', unknown: '未填',
  employed: '在职', retired: '离退休', student: '学生', unemployed: '下岗失业', relief: '低保/救济', rural: '农民', unregistered: '未登记',
  overdue: '已逾期', due_90: '90 天内到期', done: '已完成', pending: '未到期', due_soon: '即将到期', participants: '参与人数', passed: '及格', failed: '不及格',
  ranked: '有积分的组织', planned: '计划中', in_progress: '进行中', stalled: '停滞', confirmed: '已确认',
  visit: '参观', lecture: '讲座', oath_ceremony: '入党宣誓', party_birthday: '政治生日', org_life: '组织生活', seminar: '研讨', salon: '沙龙',
};
