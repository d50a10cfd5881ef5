import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Form, Grid, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, FileOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  BRAND_TITLES, starOfLevel, type AdjustLevel, type Application, type ApplicationPage, type ApplicationStatus, type BrandPage, type ReviewRound, type RoundStatus,
} from '../../../../contracts/brands.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { BrandLevel } from './BrandLevel.js';
import { roundStatusColor } from './RoundsPage.js';
import { UploadButton } from './UploadButton.js';

/** The round's next step that is one click (the 公示 asks for its dates). */
const NEXT_STEP: Partial<Record<RoundStatus, readonly [string, 'brand.round.start_judging' | 'brand.round.close_judging' | 'brand.round.finalize']>> = {
  open: ['judging', 'brand.round.start_judging'], judging: ['close-judging', 'brand.round.close_judging'], notice: ['finalize', 'brand.round.finalize'],
};
const appStatusColor: Record<ApplicationStatus, string> = { submitted: 'blue', accepted: 'green', returned: 'orange', withdrawn: 'default', awarded: 'red' };

/**
 * One 星级评审: for its administrators the checking of applications, the judging (through 我的评审),
 * the proposed levels and their adjustment, the 公示 and the final results; for an applicant the
 * window, their applications and materials.
 */
export default function RoundPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const round = useQuery({ queryKey: ['brands', 'round', id], queryFn: () => api.get<ReviewRound>(`/brands/rounds/${id}`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['brands'] });
  const [noticing, setNoticing] = useState(false);
  const act = async (path: string) => {
    try {
      queryClient.setQueryData(['brands', 'round', id], await api.post<ReviewRound>(`/brands/rounds/${id}/${path}`));
      void message.success(t('brand.round.done'));
      void refresh();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const r = round.data;
  const step = r?.canManage ? NEXT_STEP[r.status] : undefined;
  return (
    <QueryState isLoading={round.isLoading} error={round.error} retry={() => void round.refetch()}>
      {r && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>{r.title}</Typography.Title>}
            extra={<Link to="/brands/rounds"><Button icon={<ArrowLeftOutlined />}>{t('brand.back')}</Button></Link>}
          >
            <Descriptions size="small" column={{ xs: 1, md: 3 }}>
              <Descriptions.Item label={t('brand.round.org')}>{r.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('brand.round.year')}>{r.year}</Descriptions.Item>
              <Descriptions.Item label={t('brand.round.status')}><Tag color={roundStatusColor[r.status]}>{t(`brand.round.status.${r.status}`)}</Tag></Descriptions.Item>
              <Descriptions.Item label={t('brand.round.window')}>
                {r.appliesFrom} ~ {r.appliesUntil} <Tag>{r.isWindowOpen ? t('brand.round.window_open') : t('brand.round.window_closed')}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('brand.round.levels')}>{r.levels.map((l) => `${t(`brand.level.${l.level}`)} ≥ ${l.minScore}`).join('，')}</Descriptions.Item>
              <Descriptions.Item label={t('brand.round.criteria')}>{r.criteria.map((c) => `${c.name}（${c.weight}）`).join('，')}</Descriptions.Item>
              {r.canManage && <Descriptions.Item label={t('brand.round.judges')}>{r.judges.map((j) => j.name).join('、')}{r.blind ? ` · ${t('brand.round.blind')}` : ''}</Descriptions.Item>}
            </Descriptions>
            {r.canManage && (
              <Space wrap style={{ marginTop: 12 }}>
                {step && (
                  <Popconfirm title={t('brand.round.confirm')} onConfirm={() => void act(step[0])} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                    <Button type="primary" data-testid="round-step">{t(step[1])}</Button>
                  </Popconfirm>
                )}
                {r.status === 'scored' && <Button type="primary" onClick={() => setNoticing(true)} data-testid="round-notice">{t('brand.round.open_notice')}</Button>}
              </Space>
            )}
          </Card>
          {r.isWindowOpen && <ApplyCard round={r} onDone={() => void refresh()} />}
          <Applications round={r} />
          {noticing && <NoticeModal round={r} onClose={() => setNoticing(false)} onDone={(saved) => { queryClient.setQueryData(['brands', 'round', id], saved); void refresh(); }} />}
        </Space>
      )}
    </QueryState>
  );
}

function ApplyCard({ round, onDone }: { round: ReviewRound; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ brandId: string; statement: string }>();
  const { saving, run } = useFormSubmit(form);
  const brands = useQuery({ queryKey: ['brands', 'list', 'mine-active'], queryFn: () => api.get<BrandPage>('/brands', { status: 'active', pageSize: 200 }) });
  const submit = (v: { brandId: string; statement: string }) => run(async () => {
    await api.post<Application>(`/brands/rounds/${round.id}/applications`, v);
    form.resetFields();
    void message.success(t('brand.saved'));
    onDone();
  });
  return (
    <Card title={t('brand.app.apply')} size="small">
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ maxWidth: 760 }}>
        <Form.Item name="brandId" label={t('brand.app.brand')} rules={[{ required: true, message: t('brand.required') }]}>
          <Select showSearch optionFilterProp="label" loading={brands.isLoading} data-testid="apply-brand"
            options={(brands.data?.items ?? []).map((b) => ({ value: b.id, label: `${b.name}（${b.orgName}）` }))} />
        </Form.Item>
        <Form.Item name="statement" label={t('brand.app.statement')} rules={[{ required: true, message: t('brand.required') }]}>
          <Input.TextArea rows={5} maxLength={8000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="apply-submit">{t('brand.app.apply')}</Button>
      </Form>
    </Card>
  );
}

function Applications({ round }: { round: ReviewRound }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [returning, setReturning] = useState<Application | null>(null);
  const [adjusting, setAdjusting] = useState<Application | null>(null);
  const list = useQuery({
    queryKey: ['brands', 'applications', round.id, page],
    queryFn: () => api.get<ApplicationPage>(`/brands/rounds/${round.id}/applications`, { page, pageSize: 50 }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['brands'] });
  const accept = async (a: Application) => {
    try {
      await api.post<Application>(`/brands/applications/${a.id}/accept`);
      void refresh();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const scored = round.status !== 'open' && round.status !== 'judging';
  return (
    <Card title={t('brand.round.applications')} size="small">
      <Table<Application>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('brand.app.none') }} data-testid="application-table"
        pagination={{ current: page, pageSize: 50, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        expandable={{
          expandedRowRender: (a) => (
            <Space orientation="vertical" size={4} style={{ maxWidth: 760 }}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{a.statement}</Typography.Paragraph>
              {a.files.map((f) => (
                <a key={f.id} href={`/api/brands/applications/${a.id}/files/${f.id}`} target="_blank" rel="noreferrer"><FileOutlined /> {f.fileName}</a>
              ))}
              {a.returnReason && <Typography.Text type="warning">{t('brand.app.return_reason')}：{a.returnReason}</Typography.Text>}
              {a.adjustReason && <Typography.Text type="secondary">{t('brand.app.adjust_reason')}：{a.adjustReason}</Typography.Text>}
              {a.withdrawnReason && <Typography.Text type="danger">{t('brand.app.withdrawn_reason')}：{a.withdrawnReason}</Typography.Text>}
              {!a.canCheck && (a.status === 'submitted' || a.status === 'returned') && (
                <UploadButton<Application> url={`/brands/applications/${a.id}/files`} accept=".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx"
                  label={t('brand.app.add_file')} onUploaded={() => void refresh()} />
              )}
            </Space>
          ),
        }}
        columns={[
          { title: t('brand.app.brand'), dataIndex: 'brandName', render: (name: string, a) => <Link to={`/brands/${a.brandId}`}>{name}</Link> },
          { title: t('brand.org'), dataIndex: 'orgName', responsive: ['sm'] },
          { title: t('brand.app.status'), dataIndex: 'status', width: 90, render: (s: ApplicationStatus) => <Tag color={appStatusColor[s]}>{t(`brand.app.status.${s}`)}</Tag> },
          ...(scored ? [
            { title: t('brand.app.score'), dataIndex: 'score', width: 80 },
            { title: t('brand.app.rank'), dataIndex: 'rank', width: 70 },
            { title: t('brand.app.proposed'), key: 'proposed', responsive: ['md' as const], render: (_: unknown, a: Application) => <BrandLevel starLevel={a.proposedStar} title={a.proposedTitle} /> },
            { title: t('brand.app.level'), key: 'level', render: (_: unknown, a: Application) => <BrandLevel starLevel={a.starLevel} title={a.title} /> },
          ] : []),
          {
            title: t('common.actions'), key: 'actions', render: (_, a) => a.canCheck && (
              <Space size={4} wrap>
                {round.status === 'open' && a.status === 'submitted' && <Button size="small" type="primary" onClick={() => void accept(a)}>{t('brand.app.accept')}</Button>}
                {round.status === 'open' && (a.status === 'submitted' || a.status === 'accepted') && <Button size="small" onClick={() => setReturning(a)}>{t('brand.app.return')}</Button>}
                {round.status === 'scored' && a.status === 'accepted' && <Button size="small" onClick={() => setAdjusting(a)}>{t('brand.app.adjust')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      {returning && <ReturnModal application={returning} onClose={() => setReturning(null)} onDone={() => void refresh()} />}
      {adjusting && <AdjustModal round={round} application={adjusting} onClose={() => setAdjusting(null)} onDone={() => void refresh()} />}
    </Card>
  );
}

function ReturnModal({ application, onClose, onDone }: { application: Application; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { reason: string }) => run(async () => {
    await api.post<Application>(`/brands/applications/${application.id}/return`, v);
    onDone();
    onClose();
  });
  return (
    <Modal open title={`${t('brand.app.return')}：${application.brandName}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="reason" label={t('brand.app.return_reason')} rules={[{ required: true, message: t('brand.required') }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

function AdjustModal({ round, application, onClose, onDone }: { round: ReviewRound; application: Application; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<AdjustLevel>();
  const { saving, run } = useFormSubmit(form);
  const stars = round.levels.map((l) => starOfLevel(l.level)).filter((s): s is number => s !== null).sort();
  const titles = BRAND_TITLES.filter((title) => round.levels.some((l) => l.level === title));
  const submit = (v: AdjustLevel) => run(async () => {
    await api.post<Application>(`/brands/applications/${application.id}/level`, { starLevel: v.starLevel ?? null, title: v.title ?? null, reason: v.reason });
    onDone();
    onClose();
  });
  return (
    <Modal open title={`${t('brand.app.adjust')}：${application.brandName}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<AdjustLevel> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ starLevel: application.starLevel, title: application.title }}>
        <Form.Item name="starLevel" label={t('brand.app.star_level')}>
          <Select allowClear options={stars.map((s) => ({ value: s, label: t(`brand.level.star${s}` as 'brand.level.star1') }))} />
        </Form.Item>
        <Form.Item name="title" label={t('brand.app.title')}>
          <Select allowClear options={titles.map((title) => ({ value: title, label: t(`brand.title.${title}`) }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('brand.app.adjust_reason')} rules={[{ required: true, message: t('brand.required') }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

function NoticeModal({ round, onClose, onDone }: { round: ReviewRound; onClose: () => void; onDone: (r: ReviewRound) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ dates: [Dayjs, Dayjs] }>();
  const { saving, run } = useFormSubmit(form);
  const today = todayInChina();
  const submit = (v: { dates: [Dayjs, Dayjs] }) => run(async () => {
    onDone(await api.post<ReviewRound>(`/brands/rounds/${round.id}/notice`, { startsOn: isoDay(v.dates[0]), endsOn: isoDay(v.dates[1]) }));
    onClose();
  });
  return (
    <Modal open title={t('brand.round.open_notice')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ dates: [today, today.add(6, 'day')] }}>
        <Form.Item name="dates" label={t('brand.round.notice_dates')} rules={[{ required: true, message: t('brand.required') }]}><DatePicker.RangePicker /></Form.Item>
      </Form>
    </Modal>
  );
}
