import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'volunteering.not_found': { zh: '志愿服务项目不存在或不在您的范围内', en: 'Volunteer project not found or outside your scope' },
  'volunteering.ends_before_start': { zh: '结束时间必须晚于开始时间', en: 'It must end after it starts' },
  'volunteering.capacity_below_signups': { zh: '已有 {count} 人报名，名额不能少于报名人数', en: '{count} members signed up; places cannot be fewer' },
  'volunteering.organizer_only': { zh: '只有组织方可以进行此操作', en: 'Only the organizer can do this' },
  'volunteering.members_only': { zh: '只有党员可以报名', en: 'Only party members can sign up' },
  'volunteering.cancelled': { zh: '该项目已取消', en: 'This project has been cancelled' },
  'volunteering.started': { zh: '项目已开始，不能再报名或取消报名', en: 'The project has started' },
  'volunteering.not_started': { zh: '项目尚未开始，不能确认出勤', en: 'The project has not started yet' },
  'volunteering.already_signed_up': { zh: '您已报名该项目', en: 'You have already signed up' },
  'volunteering.full': { zh: '名额已满', en: 'No places left' },
  'volunteering.signup_not_found': { zh: '您未报名该项目', en: 'You have not signed up' },
  'volunteering.not_signed_up': { zh: '该党员未报名此项目', en: 'This member did not sign up' },
  'volunteering.hours_step': { zh: '时长最小单位为 0.1 小时', en: 'Hours in steps of 0.1' },
  'volunteering.hours_over_length': { zh: '时长不能超过项目时长 {max} 小时', en: 'At most the project’s length, {max} hours' },
  'volunteering.member_not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
});
