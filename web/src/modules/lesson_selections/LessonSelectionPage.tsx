import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Form, Grid, Input, Modal, Popconfirm, Space, Table, Tag, Typography, Upload } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import type { Dayjs } from 'dayjs';
import type { CreateLessonEntry, LessonEntry, LessonEntryPage, LessonSelection } from '../../../../contracts/lesson_selections.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { STATUS_COLORS } from './LessonSelectionsPage.js';

const ENTRY_COLORS: Record<LessonEntry['status'], string> = { submitted: 'blue', accepted: 'green', rejected: 'default', withdrawn: 'red' };

/** One selection: its entries (晒课), the organizer's checks, judging, 公示 and publishing. */
export default function LessonSelectionPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { id = '' } = useParams();
  const [params, set] = useSearchState();
  const page = Number(params.get('page') ?? '1');
  const [entering, setEntering] = useState(false);
  const [noticing, setNoticing] = useState(false);
  const selection = useQuery({ queryKey: ['lesson-selections', 'one', id], queryFn: () => api.get<LessonSelection>(`/lesson-selections/${id}`) });
  const query = { page, pageSize: 50 };
  const entries = useQuery({ queryKey: ['lesson-selections', 'entries', id, query], queryFn: () => api.get<LessonEntryPage>(`/lesson-selections/${id}/entries`, query), placeholderData: keepPreviousData });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['lesson-selections'] });
  const act = async (path: string, body: unknown = {}) => {
    try {
      await api.post(`/lesson-selections/${id}${path}`, body);
      void message.success(t('lesson.saved'));
      refresh();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const upload = async (entry: LessonEntry, file: File) => {
    const form = new FormData();
    form.append('file', file);
    try {
      await api.upload(`/lesson-selections/${id}/entries/${entry.id}/files`, form);
      void message.success(t('lesson.uploaded'));
      refresh();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const s = selection.data;
  return (
    <QueryState isLoading={selection.isLoading} error={selection.error} retry={() => void selection.refetch()}>
      {s && (
        <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{s.title}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}
          extra={<Link to="/lesson-selections">{t('lesson.back')}</Link>}>
          <Descriptions size="small" column={screens.md ? 3 : 1} style={{ marginBottom: 16 }} items={[
            { key: 'org', label: t('lesson.org'), children: s.orgName },
            { key: 'status', label: t('lesson.status'), children: <Tag color={STATUS_COLORS[s.status]}>{t(`lesson.status.${s.status}`)}</Tag> },
            { key: 'window', label: t('lesson.window'), children: `${s.entryOpensOn} ~ ${s.entryClosesOn}` },
            { key: 'honours', label: t('lesson.honours'), children: s.honours },
            { key: 'criteria', label: t('lesson.criteria'), children: s.criteria.map((c) => `${c.name} ${c.weight}`).join('、') },
            { key: 'entries', label: t('lesson.entries'), children: t('lesson.entries_count', { count: s.entries }) },
          ]} />
          <Space wrap style={{ marginBottom: 16 }}>
            {s.isEntryOpen && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEntering(true)} data-testid="lesson-enter">{t('lesson.enter')}</Button>}
            {s.canManage && s.status === 'entering' && (
              <Popconfirm title={t('lesson.open_judging_hint')} onConfirm={() => void act('/judging')} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button>{t('lesson.open_judging')}</Button>
              </Popconfirm>
            )}
            {s.canManage && s.status === 'judging' && (
              <Popconfirm title={t('lesson.close_confirm', { count: s.honours })} onConfirm={() => void act('/judging/close')} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button>{t('lesson.close_judging')}</Button>
              </Popconfirm>
            )}
            {s.canManage && s.status === 'proposed' && <Button onClick={() => setNoticing(true)}>{t('lesson.open_notice')}</Button>}
            {s.canManage && s.status === 'notice' && (
              <Popconfirm title={t('lesson.publish_confirm')} onConfirm={() => void act('/publish')} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button type="primary">{t('lesson.publish')}</Button>
              </Popconfirm>
            )}
          </Space>
          <Table<LessonEntry>
            rowKey="id" size={screens.md ? 'middle' : 'small'} loading={entries.isFetching} dataSource={entries.data?.items ?? []} scroll={{ x: 'max-content' }}
            data-testid="lesson-entries"
            pagination={{ current: page, pageSize: 50, total: entries.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
            expandable={{ expandedRowRender: (e) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{e.summary}</Typography.Paragraph> }}
            columns={[
              { title: t('lesson.rank'), dataIndex: 'rank', width: 70, render: (v: number | null, e) => (v == null ? '—' : <span>{v}{e.proposed && <Tag color="red" style={{ marginLeft: 4 }}>{t('lesson.proposed')}</Tag>}</span>) },
              { title: t('lesson.lesson_title'), dataIndex: 'title', width: 240 },
              { title: t('lesson.lecturer'), dataIndex: 'lecturerName', width: 120 },
              { title: t('lesson.entry_org'), dataIndex: 'orgName', width: 160, responsive: ['md'] },
              { title: t('lesson.score'), dataIndex: 'score', width: 80, render: (v: number | null) => (v == null ? '—' : v.toFixed(2)) },
              { title: t('lesson.status'), key: 'status', width: 100, render: (_: unknown, e) => <Tag color={ENTRY_COLORS[e.status]}>{t(`lesson.entry_status.${e.status}`)}</Tag> },
              {
                title: t('lesson.files'), key: 'files', width: 200,
                render: (_: unknown, e) => (
                  <Space orientation="vertical" size={0}>
                    {e.materialUrl && <a href={e.materialUrl} target="_blank" rel="noreferrer noopener">{t('lesson.watch')}</a>}
                    {e.files.map((f) => <a key={f.id} href={`/api/lesson-selections/${id}/entries/${e.id}/files/${f.id}`} target="_blank" rel="noreferrer">{f.fileName}</a>)}
                    {s.status === 'entering' && (
                      <Upload showUploadList={false} beforeUpload={(file) => { void upload(e, file); return false; }}>
                        <Button size="small" icon={<UploadOutlined />}>{t('lesson.upload')}</Button>
                      </Upload>
                    )}
                  </Space>
                ),
              },
              {
                title: '', key: 'actions', width: 150,
                render: (_: unknown, e) => s.canManage && s.status === 'entering' && (
                  <Space>
                    {e.status !== 'accepted' && <Button size="small" onClick={() => void act(`/entries/${e.id}/review`, { accepted: true })}>{t('lesson.accept')}</Button>}
                    {e.status !== 'rejected' && <Button size="small" danger onClick={() => void act(`/entries/${e.id}/review`, { accepted: false })}>{t('lesson.reject')}</Button>}
                  </Space>
                ),
              },
            ]}
          />
          {entering && <EnterDialog selectionId={id} onClose={() => setEntering(false)} />}
          {noticing && <NoticeDialog selectionId={id} onClose={() => setNoticing(false)} />}
        </Card>
      )}
    </QueryState>
  );
}

interface EntryValues { orgId: string; lecturerName: string; title: string; summary: string; materialUrl?: string; activityId?: string }

function EnterDialog({ selectionId, onClose }: { selectionId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EntryValues>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: EntryValues) => run(async () => {
    const body: CreateLessonEntry = {
      orgId: v.orgId, lecturerName: v.lecturerName, title: v.title, summary: v.summary, materialUrl: v.materialUrl || null, activityId: v.activityId || null,
    };
    await api.post<LessonEntry>(`/lesson-selections/${selectionId}/entries`, body);
    void message.success(t('lesson.saved'));
    void queryClient.invalidateQueries({ queryKey: ['lesson-selections'] });
    onClose();
  });
  const required = [{ required: true, message: t('lesson.required') }];
  return (
    <Modal open title={t('lesson.enter')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<EntryValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="orgId" label={t('lesson.entry_org')} rules={required}><OrgTreeSelect placeholder={t('lesson.entry_org')} /></Form.Item>
        <Form.Item name="lecturerName" label={t('lesson.lecturer')} rules={required}><Input maxLength={50} /></Form.Item>
        <Form.Item name="title" label={t('lesson.lesson_title')} rules={required}><Input maxLength={200} /></Form.Item>
        <Form.Item name="summary" label={t('lesson.summary')} rules={required}><Input.TextArea maxLength={2000} autoSize={{ minRows: 3 }} /></Form.Item>
        <Form.Item name="materialUrl" label={t('lesson.material_url')}><Input maxLength={500} placeholder="https://" /></Form.Item>
        <Form.Item name="activityId" label={t('lesson.activity')}><Input placeholder="ID" /></Form.Item>
      </Form>
    </Modal>
  );
}

function NoticeDialog({ selectionId, onClose }: { selectionId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ period: [Dayjs, Dayjs] }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { period: [Dayjs, Dayjs] }) => run(async () => {
    await api.post(`/lesson-selections/${selectionId}/public-notice`, { startsOn: isoDay(v.period[0]), endsOn: isoDay(v.period[1]) });
    void message.success(t('lesson.saved'));
    void queryClient.invalidateQueries({ queryKey: ['lesson-selections'] });
    onClose();
  });
  const today = todayInChina();
  return (
    <Modal open title={t('lesson.open_notice')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<{ period: [Dayjs, Dayjs] }> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ period: [today, today.add(6, 'day')] }}>
        <Form.Item name="period" label={t('lesson.notice_period')} rules={[{ required: true, message: t('lesson.required') }]}><DatePicker.RangePicker /></Form.Item>
      </Form>
    </Modal>
  );
}
