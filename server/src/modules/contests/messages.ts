import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'contest.not_found': { zh: '竞赛不存在或不面向您', en: 'Contest not found or not open to you' },
  'contest.entry_not_found': { zh: '答题记录不存在', en: 'Entry not found' },
  'contest.ends_before_starts': { zh: '结束时间必须晚于开始时间', en: 'The contest must end after it starts' },
  'contest.org_outside': { zh: '参赛组织须在主办组织范围内', en: 'Entrant orgs must belong to the organizing org' },
  'contest.not_started': { zh: '竞赛尚未开始', en: 'The contest has not started' },
  'contest.ended': { zh: '竞赛已结束', en: 'The contest has ended' },
  'contest.cancelled': { zh: '竞赛已取消（原因：{reason}），不能再参加或交卷', en: 'The contest was cancelled ({reason}); no more entries or submissions' },
  'contest.already_cancelled': { zh: '竞赛已取消，不能再修改或取消', en: 'The contest is cancelled and can no longer be changed' },
  'contest.already_started': { zh: '竞赛已开始，不能再修改', en: 'The contest has started and can no longer be changed' },
  'contest.ended_cannot_cancel': { zh: '竞赛已结束，不能取消', en: 'The contest has ended and cannot be cancelled' },
  'contest.already_entered': { zh: '您已参加过本场竞赛', en: 'You have already taken part in this contest' },
});
