/**
 * Strings of the exam pages added with editing and cancelling an exam (the rest of the exam strings
 * live with the learning messages): registered into the shell's zh-Hans and English tables by
 * ../messages.ts. Pure data.
 */
export const examMessagesZhHans = {
  'exam.edit': '修改考试',
  'exam.edit_hint': '考试开始前可修改名称、时间、时长和参考人员；开始后不能再修改。',
  'exam.edit_participants': '重新指定参考组织（含下级；留空则不变）',
  'exam.cancel': '取消考试',
  'exam.cancel_reason': '取消原因',
  'exam.cancel_confirm': '取消后党员将不再看到这场考试和已作答的答卷。',
  'exam.cancelled': '已取消',
  'exam.cancelled_notice': '考试已于 {time} 取消：{reason}',
  'exam.cancel_done': '考试已取消',
} as const;

export const examMessagesEn: Record<keyof typeof examMessagesZhHans, string> = {
  'exam.edit': 'Edit exam',
  'exam.edit_hint': 'Before the exam opens you may change its title, window, time limit and participants; after that it stays as published.',
  'exam.edit_participants': 'Replace the participant orgs (with sub-orgs; leave empty to keep them)',
  'exam.cancel': 'Cancel exam',
  'exam.cancel_reason': 'Reason',
  'exam.cancel_confirm': 'Members will no longer see this exam or their attempts.',
  'exam.cancelled': 'Cancelled',
  'exam.cancelled_notice': 'Cancelled on {time}: {reason}',
  'exam.cancel_done': 'The exam is cancelled',
};
