import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'learning.url': { zh: '链接应以 http:// 或 https:// 开头', en: 'A link starts with http:// or https://' },
  'learning.url_required': { zh: '请填写视频或课程链接', en: 'Give the video or course link' },
  'learning.lessons_required': { zh: '系列课程至少需要一讲', en: 'A series needs at least one lesson' },
  'learning.live_time_required': { zh: '直播课程请填写开始和结束时间', en: 'A live course needs its start and end time' },
  'learning.ends_before_starts': { zh: '结束时间不能早于开始时间', en: 'The end must not be before the start' },
  'learning.item_outside_plan': { zh: '章节日期须在计划起止日期之内', en: 'Each item’s date must fall within the plan' },
  'learning.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'learning.course_not_found': { zh: '课程不存在或不在您的范围内', en: 'Course not found or outside your scope' },
  'learning.lesson_not_found': { zh: '该讲不属于此课程', en: 'No such lesson in this course' },
  'learning.article_not_found': { zh: '文章不存在或不在您的范围内', en: 'Article not found or outside your scope' },
  'learning.plan_not_found': { zh: '学习计划不存在或不在您的范围内', en: 'Study plan not found or outside your scope' },
  'learning.item_not_found': { zh: '该章节不属于此学习计划', en: 'No such item in this plan' },
  'learning.share_not_found': { zh: '读书分享不存在或不在您的支部', en: 'Share not found or outside your branch' },
  'learning.already_clocked_in': { zh: '今天已经打过卡了', en: 'You have already clocked in today' },
  'learning.not_addressed': { zh: '该学习内容不面向您所在的组织', en: 'This content is not addressed to your organization' },
  'learning.video_missing': { zh: '请上传视频文件', en: 'Please upload a video file' },
  'learning.video_type': { zh: '只支持 MP4 或 WebM 视频', en: 'Only MP4 or WebM videos are accepted' },
  'learning.video_too_large': { zh: '视频不能超过 2 GB', en: 'A video may be at most 2 GB' },
  'learning.video_not_found': { zh: '视频不存在或不可用', en: 'Video not found or not usable' },
  'learning.range_invalid': { zh: '请求的范围无效', en: 'Invalid range' },
});
