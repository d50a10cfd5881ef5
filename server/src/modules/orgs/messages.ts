import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'field.id': { zh: '编号格式不正确', en: 'Not a valid id' },
  'org.not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'org.term_end_before_start': { zh: '届满日期必须晚于届次开始日期', en: 'The term must end after it starts' },
  'org.type_not_allowed_under': { zh: '“{parent}”下不能设立“{child}”', en: 'A {child} cannot be placed under a {parent}' },
  'org.dissolved': { zh: '该党组织已撤销', en: 'This organization has been dissolved' },
  'org.already_dissolved': { zh: '该党组织已撤销', en: 'This organization is already dissolved' },
  'org.root_cannot_move': { zh: '顶级组织不能移动', en: 'The top organization cannot be moved' },
  'org.move_into_own_subtree': { zh: '不能移动到自身或其下级组织之下', en: 'Cannot move an organization under itself or its own sub-organizations' },
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
