import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Progress, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { DailyQuizSettingsSchema, Participation } from '../../../../contracts/daily_quiz.js';
import type { PointRule, UpdatePointRule } from '../../../../contracts/points.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type QuizSettings = z.infer<typeof DailyQuizSettingsSchema>;

/** 积分规则 and 每日答题 settings: platform admins change them; org admins see them and their orgs' quiz participation. */
export default function PointRulesPage() {
  const t = useT();
  const { audiences } = useSession();
  const canEdit = audiences.has('platformAdmin');
  const [editing, setEditing] = useState<PointRule | null>(null);
  const rules = useQuery({ queryKey: ['points', 'rules'], queryFn: () => api.get<{ items: PointRule[] }>('/points/rules') });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('menu.point_rules')}>
        <Typography.Paragraph type="secondary">{t('points.rules_hint')}</Typography.Paragraph>
        <Table<PointRule>
          rowKey="code" size="middle" pagination={false} loading={rules.isFetching} dataSource={rules.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="point-rules"
          columns={[
            { title: t('points.rule_name'), dataIndex: 'name' },
            { title: t('points.points'), dataIndex: 'points' },
            { title: t('points.daily_cap'), dataIndex: 'dailyCap' },
            { title: t('points.weekly_cap'), dataIndex: 'weeklyCap', render: (v: number | null) => v ?? t('points.no_cap') },
            { title: t('points.enabled'), dataIndex: 'isEnabled', render: (v: boolean) => (v ? <Tag color="success">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
            ...(canEdit ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, r: PointRule) => <Button type="link" onClick={() => setEditing(r)}>{t('common.edit')}</Button> }] : []),
          ]}
        />
      </Card>
      <DailyQuizCard canEdit={canEdit} />
      {editing && <EditRuleDialog rule={editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

function EditRuleDialog({ rule, onClose }: { rule: PointRule; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UpdatePointRule>();
  const [saving, setSaving] = useState(false);
  async function save(values: UpdatePointRule) {
    setSaving(true);
    try {
      await api.patch<PointRule>(`/points/rules/${rule.code}`, { ...values, weeklyCap: values.weeklyCap ?? null });
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['points', 'rules'] });
      onClose();
    } catch (error) {
      if (!showFieldErrors(form, error).handled) void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('points.edit_rule')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form<UpdatePointRule> form={form} layout="vertical" onFinish={save} initialValues={rule}>
        <Form.Item name="name" label={t('points.rule_name')} rules={[{ required: true }]}><Input maxLength={50} /></Form.Item>
        <Space wrap>
          <Form.Item name="points" label={t('points.points')} rules={[{ required: true }]}><InputNumber min={0} max={1000} /></Form.Item>
          <Form.Item name="dailyCap" label={t('points.daily_cap')} rules={[{ required: true }]}><InputNumber min={0} max={100000} /></Form.Item>
          <Form.Item name="weeklyCap" label={t('points.weekly_cap')}><InputNumber min={0} max={100000} placeholder={t('points.no_cap')} /></Form.Item>
        </Space>
        <Form.Item name="isEnabled" label={t('points.enabled')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}

function DailyQuizCard({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [orgId, setOrgId] = useState<string | undefined>();
  const [perDay, setPerDay] = useState<number | null>(null);
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const [exporting, setExporting] = useState(false);
  const settings = useQuery({ queryKey: ['daily-quiz', 'settings'], queryFn: () => api.get<QuizSettings>('/daily-quiz/settings') });
  const participation = useQuery({ queryKey: ['daily-quiz', 'participation', orgId], queryFn: () => api.get<Participation>('/daily-quiz/participation', { orgId }) });
  async function save() {
    if (perDay === null) return;
    try {
      await api.patch<QuizSettings>('/daily-quiz/settings', { questionsPerDay: perDay });
      void message.success(t('common.saved'));
      setPerDay(null);
      void queryClient.invalidateQueries({ queryKey: ['daily-quiz', 'settings'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  }
  const p = participation.data;
  // streamed by the server: a district's months of answers arrive while they are read
  async function exportResults() {
    const exportedOrgId = orgId ?? p?.total.orgId;
    if (!exportedOrgId) return;
    setExporting(true);
    try {
      await api.download('/daily-quiz/results/export', { orgId: exportedOrgId, from: period[0].format('YYYY-MM-DD'), to: period[1].format('YYYY-MM-DD') }, 'daily-quiz.xlsx');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setExporting(false);
    }
  }
  return (
    <Card title={t('daily.settings')}>
      <Space wrap size={24} style={{ marginBottom: 16 }}>
        <Space>
          <Typography.Text>{t('daily.questions_per_day')}</Typography.Text>
          <InputNumber min={1} max={50} aria-label={t('daily.questions_per_day')} disabled={!canEdit} value={perDay ?? settings.data?.questionsPerDay} onChange={(v) => setPerDay(v)} />
          {canEdit && perDay !== null && <Button type="primary" onClick={() => void save()}>{t('common.save')}</Button>}
        </Space>
        <Typography.Text type="secondary">{t('daily.bank_size')}：{settings.data?.bankSize ?? '—'}</Typography.Text>
        {canEdit && <Typography.Text type="secondary">{t('daily.settings_hint')}</Typography.Text>}
      </Space>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Text strong>{t('daily.participation')}{p ? ` · ${p.date}` : ''}</Typography.Text>
        <OrgTreeSelect value={orgId} onChange={setOrgId} style={{ width: 240 }} />
        <DatePicker.RangePicker aria-label={t('daily.export_period')} allowClear={false} value={period} disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          onChange={(v) => { if (v?.[0] && v[1]) setPeriod([v[0], v[1]]); }} />
        <Tooltip title={t('daily.export_hint')}>
          <Button loading={exporting} disabled={!p} onClick={() => void exportResults()} data-testid="daily-export">{t('daily.export_results')}</Button>
        </Tooltip>
      </Space>
      <Table
        rowKey="orgId" size="small" pagination={false} loading={participation.isFetching} scroll={{ x: 'max-content' }}
        dataSource={p ? [...p.items, { ...p.total, orgName: `${p.total.orgName}（${t('common.all')}）` }] : []}
        columns={[
          { title: t('exam.member_org'), dataIndex: 'orgName' },
          { title: t('daily.member_count'), dataIndex: 'memberCount' },
          { title: t('daily.submitted_count'), dataIndex: 'submittedCount' },
          { title: t('exam.participation_rate'), dataIndex: 'rate', render: (v: number) => <Progress aria-label={t('exam.participation_rate')} percent={Math.round(v * 1000) / 10} size="small" style={{ width: 160 }} /> },
        ]}
      />
    </Card>
  );
}
