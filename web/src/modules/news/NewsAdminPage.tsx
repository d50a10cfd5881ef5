import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Empty, Form, Input, List, Modal, Pagination, Segmented, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { CreateNewsColumn, NewsColumn, NewsColumnList, NewsItemPage, NewsItemQuery } from '../../../../contracts/news.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage, QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { NewsPublicTag, NewsStatusTag } from './NewsTags.js';

type View = Exclude<NewsItemQuery['view'], 'published'> | 'columns';
const VIEWS: View[] = ['review', 'mine', 'manage', 'columns'];
const PAGE_SIZE = 20;

/** 资讯专栏管理: the review queue, one's own items, everything in the admin's scope, and the columns. */
export default function NewsAdminPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const view = VIEWS.find((v) => v === params.get('view')) ?? 'review';
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="news-admin">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('news.admin_title')}</Typography.Title>
        <Link to="/news/manage/new"><Button type="primary" icon={<PlusOutlined />}>{t('news.write')}</Button></Link>
      </Space>
      <div style={{ overflowX: 'auto' }}>
        <Segmented<View> value={view} onChange={(v) => setParams({ view: v }, { replace: true })} options={VIEWS.map((v) => ({ value: v, label: t(`news.view.${v}`) }))} />
      </div>
      {view === 'columns' ? <Columns /> : <Items view={view} />}
    </Space>
  );
}

function Items({ view }: { view: Exclude<View, 'columns'> }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const items = useQuery({
    queryKey: ['news', 'items', view, page],
    queryFn: () => api.get<NewsItemPage>('/news/items', { view, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryState isLoading={items.isLoading} error={items.error} retry={() => void items.refetch()}>
      {(items.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('news.none')} /></Card> : (
        <List dataSource={items.data?.items ?? []} data-testid="news-admin-list" bordered style={{ background: 'var(--ant-color-bg-container, #fff)' }}
          renderItem={(item) => (
            <List.Item>
              <Space orientation="vertical" size={2} style={{ minWidth: 0, width: '100%' }}>
                <Link to={`/news/${item.id}`} style={{ overflowWrap: 'anywhere' }}>{item.title}</Link>
                <Space wrap size={[6, 4]}>
                  <NewsStatusTag status={item.status} />
                  <NewsPublicTag isPublic={item.isPublic} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.columnName} · {item.authorName} · {formatTime(item.publishedAt ?? item.submittedAt ?? item.updatedAt)}
                  </Typography.Text>
                </Space>
              </Space>
            </List.Item>
          )} />
      )}
      {(items.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={items.data?.total ?? 0} onChange={setPage} />}
    </QueryState>
  );
}

function Columns() {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<CreateNewsColumn>();
  const { saving, run } = useFormSubmit(form);
  const columns = useQuery({ queryKey: ['news', 'columns'], queryFn: () => api.get<NewsColumnList>('/news/columns') });
  const archive = useMutation({
    mutationFn: (c: NewsColumn) => api.patch<NewsColumn>(`/news/columns/${c.id}`, { archived: !c.archived }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['news', 'columns'] }),
    onError: (error) => void message.error(errorMessage(error, t('app.error'))),
  });
  const manageable = (columns.data?.items ?? []).filter((c) => c.canManage);
  const create = () => run(async () => {
    await api.post<NewsColumn>('/news/columns', await form.validateFields());
    await queryClient.invalidateQueries({ queryKey: ['news', 'columns'] });
    setCreating(false);
    form.resetFields();
    void message.success(t('news.saved'));
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('news.new_column')}</Button>
      <QueryState isLoading={columns.isLoading} error={columns.error} retry={() => void columns.refetch()}>
        <Table<NewsColumn> rowKey="id" size="small" dataSource={manageable} pagination={false} scroll={{ x: true }} locale={{ emptyText: t('news.no_columns') }}
          columns={[
            { title: t('news.column_name'), dataIndex: 'name', render: (name: string, c) => <Space wrap>{name}{c.archived && <Tag>{t('news.column_archived')}</Tag>}</Space> },
            { title: t('news.column_org'), dataIndex: 'orgName' },
            { title: t('news.column'), key: 'count', render: (_: unknown, c) => t('news.column_count', { n: c.publishedCount }) },
            { title: '', key: 'actions', render: (_: unknown, c) => <Button size="small" onClick={() => archive.mutate(c)}>{c.archived ? t('news.column_restore') : t('news.column_archive')}</Button> },
          ]} />
      </QueryState>
      <Modal open={creating} title={t('news.new_column')} onCancel={() => setCreating(false)} onOk={() => void create()} okButtonProps={{ loading: saving }} cancelText={t('news.cancel')} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="orgId" label={t('news.column_org')} rules={[{ required: true }]}><OrgTreeSelect /></Form.Item>
          <Form.Item name="name" label={t('news.column_name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={40} /></Form.Item>
          <Form.Item name="description" label={t('news.column_description')}><Input.TextArea rows={2} maxLength={300} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
