import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'field.time': { zh: '时间格式应为 HH:MM', en: 'Time must be HH:MM' },
  'venue.not_found': { zh: '阵地不存在或无权访问', en: 'Venue not found or outside your scope' },
  'venue.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'venue.closes_before_opens': { zh: '关闭时间必须晚于开放时间', en: 'Closing time must be after opening time' },
  'venue.hall_not_found': { zh: '展厅/功能区不存在', en: 'Hall not found' },
  'venue.hall_name_taken': { zh: '该阵地已有同名展厅/功能区', en: 'This venue already has a hall of that name' },
  'venue.hall_outside_venue_hours': { zh: '展厅开放时间须在阵地开放时间（{opensAt}–{closesAt}）之内', en: 'A hall opens within the venue hours ({opensAt}–{closesAt})' },
  'venue.range': { zh: '结束日期不能早于开始日期', en: 'The end date must not be before the start date' },
  'booking.not_found': { zh: '预约不存在或无权访问', en: 'Booking not found' },
  'booking.end_before_start': { zh: '结束时间必须晚于开始时间', en: 'The slot must end after it starts' },
  'booking.unit_required': { zh: '请填写来访单位', en: 'Name the visiting unit' },
  'booking.unit_org_not_found': { zh: '来访单位须为您管理的党组织', en: 'The visiting unit must be an organization you administer' },
  'booking.venue_not_found': { zh: '阵地不存在或已停用', en: 'Venue not found or closed' },
  'booking.hall_not_in_venue': { zh: '所选展厅/功能区不属于该阵地或已停用', en: 'A selected hall is not part of this venue or is closed' },
  'booking.in_past': { zh: '不能预约已过去的时间', en: 'A booking cannot be in the past' },
  'booking.outside_hours': { zh: '“{hall}”的开放时间为 {opensAt}–{closesAt}', en: '“{hall}” is open {opensAt}–{closesAt}' },
  'booking.over_capacity': { zh: '预计人数超过“{hall}”的容量（{capacity} 人）', en: 'The expected headcount exceeds the capacity of “{hall}” ({capacity})' },
  'booking.overlap': { zh: '“{hall}”在 {from}–{to} 已被预约，请另选时段', en: '“{hall}” is already booked {from}–{to}; choose another slot' },
  'booking.not_pending': { zh: '只能处理待确认的预约', en: 'Only a pending booking can be decided' },
  'booking.not_open': { zh: '预约已谢绝、取消或已完成接待', en: 'The booking is declined, cancelled or already visited' },
  'booking.not_confirmed': { zh: '预约确认后才能登记实到人数', en: 'Record the visit once the booking is confirmed' },
  'booking.visit_not_yet': { zh: '参观日期未到，不能登记实到人数', en: 'The visit date has not come yet' },
  'station.not_found': { zh: '服务站点不存在或无权访问', en: 'Service station not found' },
  'station.coordinates_pair': { zh: '经度和纬度须同时填写', en: 'Give both longitude and latitude, or neither' },
  'booking_purpose.visit': { zh: '参观', en: 'visit' },
  'booking_purpose.lecture': { zh: '讲座', en: 'lecture' },
  'booking_purpose.oath_ceremony': { zh: '宣誓', en: 'oath ceremony' },
  'booking_purpose.party_birthday': { zh: '政治生日', en: 'political birthday' },
  'booking_purpose.org_life': { zh: '组织生活', en: 'organizational life' },
  'booking_purpose.seminar': { zh: '研讨', en: 'seminar' },
  'booking_purpose.salon': { zh: '沙龙', en: 'salon' },
});

export const PURPOSE_NAMES: Record<string, string> = {
  visit: '参观', lecture: '讲座', oath_ceremony: '宣誓', party_birthday: '政治生日', org_life: '组织生活', seminar: '研讨', salon: '沙龙',
};
