import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'field.id': { zh: '编号格式不正确', en: 'Not a valid id' },
  'org.term_end_before_start': { zh: '届满日期必须晚于届次开始日期', en: 'The term must end after it starts' },
  'org.type_not_allowed_under': { zh: '“{parent}”下不能设立“{child}”', en: 'A {child} cannot be placed under a {parent}' },
  'org.parent_required': { zh: '请选择上级党组织（只有平台管理员可以创建顶级党组织）', en: 'Choose the parent organization (only a platform administrator can create a top-level one)' },
  'org.type_not_top_level': { zh: '顶级党组织只能是机关工委或党委，不能是“{type}”', en: 'A top-level organization must be a work committee or a party committee, not a {type}' },
  'org.root_cannot_move': { zh: '顶级组织不能移动', en: 'The top organization cannot be moved' },
  'org.move_into_own_subtree': { zh: '不能移动到自身或其下级组织之下', en: 'Cannot move an organization under itself or its own sub-organizations' },
  'org.merge_into_own_subtree': { zh: '不能合并到自身或其下级组织', en: 'Cannot merge an organization into itself or its own sub-organizations' },
  'org.merge_type_mismatch': { zh: '“{from}”不能并入“{into}”：合并的两个组织须为同一类型', en: 'A {from} cannot be merged into a {into}: both must be of the same type' },
  'org.has_children': { zh: '还有 {count} 个下级组织，请先撤销或移出', en: 'It still has {count} sub-organizations; dissolve or move them first' },
  'org.has_members': { zh: '还有 {count} 名党员，请先办理组织关系转接', en: 'It still has {count} members; transfer them first' },
  'org_type.work_committee': { zh: '机关工委', en: 'work committee' },
  'org_type.party_committee': { zh: '党委', en: 'party committee' },
  'org_type.organ_committee': { zh: '机关党委', en: 'organ party committee' },
  'org_type.general_branch': { zh: '党总支', en: 'general branch' },
  'org_type.branch': { zh: '党支部', en: 'branch' },
  'org_type.group': { zh: '党小组', en: 'party group' },
  'org_type.temporary_branch': { zh: '临时党支部', en: 'temporary branch' },
});
