import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Grid, Input, Modal, Select, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, IdcardOutlined, PlusOutlined } from '@ant-design/icons';
import { EDUCATIONS, GENDERS, MEMBER_STAGES, PARTY_MEMBER_STAGES, type Member, type MemberPage } from '../../../../contracts/members.js';
import { api, showFieldErrors, type Query } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { StageTag } from './MemberTags.js';

const SORTABLE = { name: 'name', joinedOn: 'joinedOn', birthDate: 'birthDate' } as const;

/** The list's filters live in the address, so a filtered list can be bookmarked and the back button works. */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? undefined;
  const query: Query = {
    q: get('q'), orgId: get('orgId'), stage: get('stage'), gender: get('gender'), education: get('education'),
    // a 工作台 to-do (预备期将满) filters by the joining date; the tag below shows and clears it
    joinedFrom: get('joinedFrom'), joinedTo: get('joinedTo'),
    sort: get('sort'), order: get('order'), page: get('page') ?? '1', pageSize: get('pageSize') ?? '20',
    // set by next/previous: the page after or before the one shown, by its sort key (keyset), however deep
    cursor: get('cursor'),
  };
  const update = (changes: Query, resetPage = true) => {
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === null || v === '') next.delete(k);
        else next.set(k, String(v));
      }
      if (resetPage && !('page' in changes)) next.delete('page');
      if (!('cursor' in changes)) next.delete('cursor');
      return next;
    });
  };
  return { query, update };
}

/** Whether the stage filter is exactly the party members (正式 + 预备), the org tree's count. */
function isPartyMemberFilter(stage: Query[string]): boolean {
  const chosen = new Set(stage ? String(stage).split(',') : []);
  return chosen.size === PARTY_MEMBER_STAGES.length && PARTY_MEMBER_STAGES.every((s) => chosen.has(s));
}

/**
 * 导出完整身份证号: the same filters, full ID and phone numbers, with a reason the server requires
 * and records in the audit log. The server decides who may (the admins of the exported org).
 */
function FullIdExportDialog({ open, filters, onClose }: { open: boolean; filters: Query; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [isExporting, setExporting] = useState(false);
  const submit = async () => {
    const { reason } = await form.validateFields();
    setExporting(true);
    try {
      await api.download('/members/export', { ...filters, reveal: '1', reason }, 'members.xlsx');
      form.resetFields();
      onClose();
    } catch (error) {
      const { handled } = showFieldErrors(form, error);
      if (!handled) void message.error(errorMessage(error, t('app.error')));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Modal open={open} title={t('member.export_full_id')} okText={t('member.export')} confirmLoading={isExporting}
      onOk={() => void submit()} onCancel={onClose} destroyOnHidden>
      <Alert type="warning" showIcon message={t('member.export_full_id_note')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item name="reason" label={t('member.export_reason')} rules={[{ required: true, whitespace: true, message: t('member.export_reason_required') }, { max: 200 }]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('member.export_reason_placeholder')} data-testid="export-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function MemberListPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const { query, update } = useListParams();
  const [isFullIdExportOpen, setFullIdExportOpen] = useState(false);
  const { page: _page, pageSize: _pageSize, cursor: _cursor, ...filters } = query;

  const list = useQuery({
    queryKey: ['members', 'list', query],
    queryFn: ({ signal }) => api.get<MemberPage>('/members', query, signal),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo<TableProps<Member>['columns']>(() => [
    {
      title: t('member.name'), dataIndex: 'name', key: 'name', sorter: true, fixed: screens.md ? 'left' : undefined, width: 120,
      sortOrder: query.sort === 'name' ? (query.order === 'desc' ? 'descend' : 'ascend') : null,
      render: (name: string, m) => <Space size={4}><Link to={`/members/${m.id}`}>{name}</Link>{m.leftAt && <Tag>{t('member.left')}</Tag>}</Space>,
    },
    { title: t('member.gender'), dataIndex: 'gender', key: 'gender', width: 64, render: (g: Member['gender']) => t(`gender.${g}`) },
    { title: t('member.stage'), dataIndex: 'stage', key: 'stage', width: 120, render: (s: Member['stage']) => <StageTag stage={s} /> },
    { title: t('member.org'), dataIndex: 'orgName', key: 'orgName', ellipsis: true },
    { title: t('member.education'), dataIndex: 'education', key: 'education', width: 120, responsive: ['lg'] },
    { title: t('member.id_number'), dataIndex: 'idNumberMasked', key: 'idNumberMasked', width: 190, responsive: ['xl'], render: (v: string | null) => <Typography.Text code>{v ?? '—'}</Typography.Text> },
    { title: t('member.phone'), dataIndex: 'phoneMasked', key: 'phoneMasked', width: 130, responsive: ['lg'] },
    {
      title: t('member.joined_on'), dataIndex: 'joinedOn', key: 'joinedOn', sorter: true, width: 120, responsive: ['sm'],
      sortOrder: query.sort === 'joinedOn' ? (query.order === 'desc' ? 'descend' : 'ascend') : null,
    },
    {
      title: t('member.birth_date'), dataIndex: 'birthDate', key: 'birthDate', sorter: true, width: 120, responsive: ['md'],
      sortOrder: query.sort === 'birthDate' ? (query.order === 'desc' ? 'descend' : 'ascend') : null,
    },
  ], [t, query.sort, query.order, screens.md]);

  const onTableChange: TableProps<Member>['onChange'] = (pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = typeof s?.columnKey === 'string' && s.columnKey in SORTABLE ? s.columnKey : undefined;
    const sortChanged = (key && s?.order ? key : undefined) !== query.sort || (s?.order === 'descend' ? 'desc' : s?.order ? 'asc' : undefined) !== query.order;
    const page = sortChanged ? 1 : pagination.current ?? 1;
    const current = Number(query.page);
    // a step to the next or previous page goes by cursor (offset paging stops at 10,000 rows and slows
    // down on the way); a jump, page 1, another page size or order go by number
    const isStep = !sortChanged && pagination.pageSize === Number(query.pageSize) && page > 1;
    const cursor = isStep && page === current + 1 ? list.data?.nextCursor : isStep && page === current - 1 ? list.data?.prevCursor : undefined;
    update({
      sort: s?.order ? key : undefined,
      order: s?.order === 'descend' ? 'desc' : s?.order ? 'asc' : undefined,
      page,
      pageSize: pagination.pageSize,
      cursor: cursor ?? undefined,
    }, false);
  };

  const exportList = async () => {
    try {
      await api.download('/members/export', filters, 'members.xlsx');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };

  return (
    <Card
      title={t('member.list')}
      extra={(
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => void exportList()}>{t('member.export')}</Button>
          <Button icon={<IdcardOutlined />} onClick={() => setFullIdExportOpen(true)} data-testid="export-full-id">{t('member.export_full_id')}</Button>
          {screens.sm && <Link to="/members/import"><Button icon={<CloudUploadOutlined />}>{t('menu.import')}</Button></Link>}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate(`/members/new${query.orgId ? `?orgId=${String(query.orgId)}` : ''}`)}>{t('member.create')}</Button>
        </Space>
      )}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          key={String(query.q ?? '')}
          defaultValue={query.q === undefined ? undefined : String(query.q)}
          placeholder={t('member.search_placeholder')}
          allowClear
          onSearch={(q) => update({ q })}
          style={{ width: screens.sm ? 300 : '100%' }}
          data-testid="member-search"
        />
        <OrgTreeSelect value={query.orgId === undefined ? undefined : String(query.orgId)} onChange={(orgId) => update({ orgId })} placeholder={t('member.filter_org')} style={{ width: 240 }} />
        <Select aria-label={t('member.stage')}
          mode="multiple" allowClear placeholder={t('member.stage')} style={{ minWidth: 160 }} maxTagCount="responsive"
          value={query.stage ? String(query.stage).split(',') : []}
          onChange={(v: string[]) => update({ stage: v.join(',') })}
          options={MEMBER_STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }))}
        />
        <Select aria-label={t('member.gender')} allowClear placeholder={t('member.gender')} style={{ width: 96 }} value={query.gender as string | undefined}
          onChange={(gender?: string) => update({ gender })} options={GENDERS.map((g) => ({ value: g, label: t(`gender.${g}`) }))} />
        <Select aria-label={t('member.education')} allowClear placeholder={t('member.education')} style={{ width: 150 }} value={query.education as string | undefined}
          onChange={(education?: string) => update({ education })} options={EDUCATIONS.map((e) => ({ value: e, label: e }))} />
        {(query.joinedFrom !== undefined || query.joinedTo !== undefined) && (
          <Tag closable onClose={() => update({ joinedFrom: undefined, joinedTo: undefined })} data-testid="member-joined-filter">
            {t('member.joined_on')} {String(query.joinedFrom ?? '')} – {String(query.joinedTo ?? '')}
          </Tag>
        )}
      </Space>
      {list.error ? <Alert type="error" showIcon message={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 16 }} /> : null}
      <Table<Member>
        rowKey="id"
        size={screens.md ? 'middle' : 'small'}
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        onChange={onTableChange}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: Number(query.page), pageSize: Number(query.pageSize), total: list.data?.total ?? 0,
          showSizeChanger: true, pageSizeOptions: [20, 50, 100], showTotal: (total) => t(isPartyMemberFilter(query.stage) ? 'member.total_party' : 'member.total_people', { total: list.data?.isTotalCapped ? `${total.toLocaleString()}+` : total }),
          simple: !screens.sm,
        }}
        data-testid="member-table"
      />
      <FullIdExportDialog open={isFullIdExportOpen} filters={filters} onClose={() => setFullIdExportOpen(false)} />
    </Card>
  );
}
