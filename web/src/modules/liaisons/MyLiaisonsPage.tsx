import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Form, Input, List, Modal, Pagination, Space, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { CreateSitIn, LiaisonActivity, MyLiaisons, SitIn, SitInPage } from '../../../../contracts/liaisons.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { SitInText } from './LiaisonsPage.js';

/** 我联系的支部, phone-first: the branches, their recent and coming activities, and 旁听 recorded from the card. */
export default function MyLiaisonsPage() {
  const t = useT();
  const mine = useQuery({ queryKey: ['liaisons', 'mine'], queryFn: () => api.get<MyLiaisons>('/me/liaisons') });
  const [recording, setRecording] = useState<LiaisonActivity | null>(null);
  const data = mine.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-liaisons">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_liaisons')}</Typography.Title>
      <QueryState isLoading={mine.isLoading} error={mine.error}>
        {data && data.branches.length === 0 ? <Empty description={t('my_liaison.none')} /> : (
          <>
            <Typography.Text type="secondary">{t('my_liaison.read_hint')}</Typography.Text>
            <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>{t('my_liaison.branches')}</Typography.Title>
            <List dataSource={data?.branches ?? []} split={false} renderItem={(b) => (
              <CardItem>
                <Card size="small" style={{ marginBottom: 8 }}>
                  <Space wrap size={[8, 4]}>
                    <Typography.Text strong>{b.orgName}</Typography.Text>
                    {b.duty && <Tag>{b.duty}</Tag>}
                    <Typography.Text type="secondary">{t('my_liaison.since', { date: b.fromDate })}</Typography.Text>
                    <Typography.Text type="secondary">{t('liaison.sit_ins')} {b.sitIns}</Typography.Text>
                  </Space>
                </Card>
              </CardItem>
            )} />
            <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>{t('my_liaison.activities')}</Typography.Title>
            {data && data.activities.length === 0 ? <Empty description={t('my_liaison.no_activities')} /> : (
              <List<LiaisonActivity> dataSource={data?.activities ?? []} split={false} data-testid="liaison-activities" renderItem={(a) => (
                <CardItem>
                  <Card size="small" style={{ marginBottom: 8 }}>
                    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                      <Typography.Text strong>{a.title}</Typography.Text>
                      <Typography.Text type="secondary">{a.orgName} · {formatTime(a.startsAt)}{a.place ? ` · ${a.place}` : ''}</Typography.Text>
                      {a.sitInId ? <Tag color="green" style={{ alignSelf: 'flex-start' }}>{t('sit_in.done')}</Tag> : (
                        <Button icon={<EditOutlined />} onClick={() => setRecording(a)} style={{ alignSelf: 'flex-start' }} aria-label={`${t('sit_in.record')}：${a.title}`}>
                          {t('sit_in.record')}
                        </Button>
                      )}
                    </Space>
                  </Card>
                </CardItem>
              )} />
            )}
          </>
        )}
      </QueryState>
      <MySitIns />
      {recording && <SitInDialog activity={recording} onClose={() => setRecording(null)} />}
    </Space>
  );
}

interface SitInValues { satInOn: Dayjs | null; observations: string; suggestions?: string }

function SitInDialog({ activity, onClose }: { activity: LiaisonActivity; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SitInValues>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: SitInValues) => run(async () => {
    const body: CreateSitIn = { activityId: activity.id, satInOn: isoDay(v.satInOn) ?? undefined, observations: v.observations, suggestions: v.suggestions ?? null };
    await api.post<SitIn>('/me/sit-ins', body);
    void message.success(t('sit_in.saved'));
    void queryClient.invalidateQueries({ queryKey: ['liaisons'] });
    onClose();
  });
  return (
    <Modal open title={t('sit_in.record')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Typography.Paragraph strong>{activity.title}</Typography.Paragraph>
      <Form<SitInValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ satInOn: dayjs(activity.startsAt) }}>
        <Form.Item name="satInOn" label={t('sit_in.date')}><DatePicker /></Form.Item>
        <Form.Item name="observations" label={t('sit_in.observations')} rules={[{ required: true, whitespace: true, message: t('liaison.required') }]}>
          <Input.TextArea rows={4} maxLength={2000} placeholder={t('sit_in.observations_placeholder')} />
        </Form.Item>
        <Form.Item name="suggestions" label={t('sit_in.suggestions')}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
      </Form>
    </Modal>
  );
}

function MySitIns() {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useQuery({ queryKey: ['liaisons', 'my-sit-ins', page], queryFn: () => api.get<SitInPage>('/me/sit-ins', { page, pageSize: 10 }), placeholderData: keepPreviousData });
  if (!list.data || list.data.total === 0) return null;
  return (
    <>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>{t('my_liaison.mine')}</Typography.Title>
      <List<SitIn> dataSource={list.data.items} split={false} renderItem={(s) => (
        <CardItem>
          <Card size="small" style={{ marginBottom: 8 }} title={<span style={{ fontSize: 14 }}>{s.activityTitle}</span>} extra={<Typography.Text type="secondary">{s.satInOn}</Typography.Text>}>
            <SitInText sitIn={s} />
          </Card>
        </CardItem>
      )} />
      {list.data.total > 10 && <Pagination current={page} pageSize={10} total={list.data.total} onChange={setPage} size="small" />}
    </>
  );
}
