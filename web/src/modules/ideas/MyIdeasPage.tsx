import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, List, Pagination, Select, Space, Typography } from 'antd';
import { BulbOutlined } from '@ant-design/icons';
import {
  IDEA_CATEGORIES, type CreateIdea, type IdeaCategory, type IdeaListItem, type IdeaDetail, type IdeaPage, type IdeaTargets, type SimilarIdeas,
} from '../../../../contracts/ideas.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { IdeaProgressList, IdeaStatusTag } from './IdeaParts.js';

/** 金点子 for a member, phone-first: submit (alike ideas shown while the title is typed), then the replies and progress of one's own. */
export default function MyIdeasPage() {
  const t = useT();
  const [writing, setWriting] = useState(false);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-ideas">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_ideas')}</Typography.Title>
      {writing ? <SubmitIdea onDone={() => setWriting(false)} /> : (
        <Button type="primary" icon={<BulbOutlined />} onClick={() => setWriting(true)} style={{ alignSelf: 'flex-start' }} data-testid="idea-new">{t('idea.submit')}</Button>
      )}
      <MyIdeas />
    </Space>
  );
}

interface FormValues { orgId: string; category: IdeaCategory; title: string; content: string }

/** The title as typed, settled for a moment: one similarity search per pause, not per key. */
function useSettled(value: string, ms = 400): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function SubmitIdea({ onDone }: { onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const targets = useQuery({ queryKey: ['ideas', 'targets'], queryFn: () => api.get<IdeaTargets>('/me/ideas/targets') });
  const orgId = Form.useWatch('orgId', form);
  const title = useSettled((Form.useWatch('title', form) ?? '').trim());
  const similar = useQuery({
    queryKey: ['ideas', 'similar', orgId, title],
    queryFn: () => api.get<SimilarIdeas>('/me/ideas/similar', { orgId, title }),
    enabled: Boolean(orgId) && title.length >= 2,
    placeholderData: keepPreviousData,
  });
  useEffect(() => {
    const own = targets.data?.items.find((o) => o.isOwn);
    if (own && !form.getFieldValue('orgId')) form.setFieldValue('orgId', own.id);
  }, [targets.data, form]);
  const submit = (v: FormValues) => run(async () => {
    const body: CreateIdea = { orgId: v.orgId, category: v.category, title: v.title, content: v.content };
    await api.post<IdeaDetail>('/me/ideas', body);
    void message.success(t('idea.submitted_ok'));
    void queryClient.invalidateQueries({ queryKey: ['ideas'] });
    onDone();
  });
  const alike = title.length >= 2 && orgId ? similar.data?.items ?? [] : [];
  return (
    <Card size="small" title={t('idea.submit')}>
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ category: 'party_building' }}>
        <Form.Item name="orgId" label={t('idea.org')} rules={[{ required: true, message: t('idea.required') }]}>
          <Select loading={targets.isLoading} options={(targets.data?.items ?? []).map((o) => ({ value: o.id, label: o.isOwn ? `${o.name}${t('idea.own_org')}` : o.name }))} />
        </Form.Item>
        <Form.Item name="category" label={t('idea.category')} rules={[{ required: true, message: t('idea.required') }]}>
          <Select options={IDEA_CATEGORIES.map((c) => ({ value: c, label: t(`idea.category.${c}`) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('idea.title')} rules={[{ required: true, whitespace: true, message: t('idea.required') }]}>
          <Input maxLength={80} autoComplete="off" data-testid="idea-title" />
        </Form.Item>
        {alike.length > 0 && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="idea-similar" message={t('idea.similar')} description={(
            <>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>{t('idea.similar_hint')}</Typography.Paragraph>
              <ul style={{ paddingLeft: 18, margin: 0 }}>
                {alike.map((s) => (
                  <li key={s.id}>
                    <Typography.Text>{s.title}</Typography.Text> <IdeaStatusTag status={s.status} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.orgName} · {formatTime(s.submittedAt)}</Typography.Text>
                  </li>
                ))}
              </ul>
            </>
          )} />
        )}
        <Form.Item name="content" label={t('idea.content')} rules={[{ required: true, whitespace: true, message: t('idea.required') }]}>
          <Input.TextArea rows={5} maxLength={4000} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>{t('idea.submit')}</Button>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

const PAGE_SIZE = 10;

function MyIdeas() {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useQuery({ queryKey: ['ideas', 'mine', page], queryFn: () => api.get<IdeaPage>('/me/ideas', { page, pageSize: PAGE_SIZE }), placeholderData: keepPreviousData });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>{t('idea.mine')}</Typography.Title>
      <QueryState isLoading={list.isLoading} error={list.error}>
        {list.data && list.data.total === 0 ? <Empty description={t('idea.none')} /> : (
          <List<IdeaListItem> dataSource={list.data?.items ?? []} split={false} data-testid="my-idea-list" renderItem={(idea) => (
            <CardItem>
              <Card size="small" style={{ marginBottom: 8 }}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap size={[8, 4]}>
                    <Typography.Text strong>{idea.title}</Typography.Text>
                    <IdeaStatusTag status={idea.status} />
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`idea.category.${idea.category}`)} · {idea.orgName} · {formatTime(idea.submittedAt)}
                  </Typography.Text>
                  {idea.similarToTitle && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('idea.similar_to', { title: idea.similarToTitle })}</Typography.Text>}
                  <Typography.Text>{t('idea.reply')}：{idea.reply ?? <Typography.Text type="secondary">{t('idea.no_reply')}</Typography.Text>}</Typography.Text>
                  {idea.shelvedReason && <Typography.Text>{t('idea.shelved_reason')}：{idea.shelvedReason}</Typography.Text>}
                  {open === idea.id ? <MyIdeaProgress id={idea.id} /> : idea.status !== 'submitted' && idea.status !== 'declined' && (
                    <Button size="small" onClick={() => setOpen(idea.id)} style={{ alignSelf: 'flex-start' }} aria-label={`${t('idea.progress')}：${idea.title}`}>{t('idea.progress')}</Button>
                  )}
                </Space>
              </Card>
            </CardItem>
          )} />
        )}
      </QueryState>
      {(list.data?.total ?? 0) > PAGE_SIZE && <Pagination current={page} pageSize={PAGE_SIZE} total={list.data!.total} onChange={setPage} size="small" />}
    </>
  );
}

function MyIdeaProgress({ id }: { id: string }) {
  const detail = useQuery({ queryKey: ['ideas', 'mine', 'detail', id], queryFn: () => api.get<IdeaDetail>(`/me/ideas/${id}`) });
  return <QueryState isLoading={detail.isLoading} error={detail.error}>{detail.data && <IdeaProgressList idea={detail.data} />}</QueryState>;
}
