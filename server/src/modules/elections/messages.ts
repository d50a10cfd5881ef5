import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'election.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'election.procedure_not_found': { zh: '换届程序不存在或不在您的管理范围内', en: 'Election procedure not found or outside your scope' },
  'election.term_not_found': { zh: '届次记录不存在或不在您的管理范围内', en: 'Term record not found or outside your scope' },
  'election.procedure_open': { zh: '该党组织已有进行中的换届程序', en: 'This organization already has an election under way' },
  'election.procedure_closed': { zh: '换届程序已完成或已取消', en: 'The election procedure is completed or cancelled' },
  'election.step_out_of_order': { zh: '换届步骤须依次进行，下一步应为“{expected}”', en: 'Steps go in order; the next one is “{expected}”' },
  'election.level_above_only': { zh: '批复和报备由上级党组织办理', en: 'Approval and filing are recorded by the level above' },
  'election.step_before_previous': { zh: '日期不能早于上一步骤（{previous}）', en: 'The date cannot be before the previous step ({previous})' },
  'election.date_in_future': { zh: '日期不能晚于今天', en: 'The date cannot be in the future' },
  'election.votes_cast_above_voters': { zh: '实到（投票）人数不能多于应到人数', en: 'Ballots cast cannot exceed the voters' },
  'election.one_secretary': { zh: '委员会须有且只有一名书记', en: 'The committee needs exactly one secretary' },
  'election.committee_duplicate': { zh: '同一党员不能重复列入委员会', en: 'A member is listed twice' },
  'election.committee_member_not_found': { zh: '委员须为本组织（含下级）的在册党员', en: 'Committee members must be current members of the organization' },
  'election.votes_above_cast': { zh: '得票数不能多于投票人数', en: 'Votes cannot exceed the ballots cast' },
  'election.term_exists': { zh: '该日期已有届次记录', en: 'A term elected on that date is already recorded' },
  'election.cancel_after_congress': { zh: '选举大会已召开，不能取消换届程序', en: 'The congress has been held; the procedure cannot be cancelled' },
  'election_step.request': { zh: '请示', en: 'request' },
  'election_step.approval': { zh: '批复', en: 'approval' },
  'election_step.congress': { zh: '选举大会', en: 'congress' },
  'election_step.filing': { zh: '报备', en: 'filing' },
});
