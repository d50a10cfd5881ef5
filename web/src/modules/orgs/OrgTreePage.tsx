import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Col, Descriptions, Empty, Input, List, Row, Segmented, Space, Spin, Tree, Typography, type TreeDataNode } from 'antd';
import { ApartmentOutlined, DeleteOutlined, DragOutlined, EditOutlined, MergeCellsOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { CHILD_TYPES, type Org, type OrgPage } from '../../../../contracts/orgs.js';
import { PARTY_MEMBER_STAGES } from '../../../../contracts/members.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { ElectionBadge, OrgTypeTag } from './OrgTags.js';
import { DissolveOrgDialog, MergeOrgDialog, MoveOrgDialog, OrgFormDialog } from './OrgDialogs.js';
import { FirstRunGuide } from './FirstRunGuide.js';
import { useSession } from '../../platform/session.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { useOrgTree } from './useOrgTree.js';
import { OrgComplianceCard } from '../activities/OrgComplianceCard.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from './OrgTreeSelect.js';

type OrgAction = 'create' | 'edit' | 'move' | 'merge' | 'dissolve';
type Dialog = { kind: OrgAction; org: Org } | { kind: 'create-top' } | null;

function OrgTitle({ org }: { org: Org }) {
  const t = useT();
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, flexWrap: 'wrap' }} data-testid={`org-node-${org.id}`}>
      <span>{org.name}</span>
      <OrgTypeTag type={org.type} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }} title={t('org.member_count_hint')} data-testid="member-count">{t('org.members', { n: org.memberCount })}</Typography.Text>
      <ElectionBadge org={org} />
    </span>
  );
}

export default function OrgTreePage() {
  const t = useT();
  const { roots, children, error, loadChildren, reload } = useOrgTree();
  const [chosenId, setSelectedId] = useState<string | null>(null);
  // before a choice: the viewer's own org (the one they administer, or the top of their tree)
  const own = useOwnOrg();
  const selectedId = chosenId ?? own.orgId ?? null;
  const [expandedKeys, setExpandedKeys] = useState<React.Key[]>([]);
  const [q, setQ] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const { me } = useSession();
  const queryClient = useQueryClient();
  const isPlatformAdmin = me?.abilities.isPlatformAdmin ?? false;

  const treeData = useMemo(() => {
    const build = (orgs: Org[]): TreeDataNode[] => orgs.map((org) => ({
      key: org.id,
      title: <OrgTitle org={org} />,
      isLeaf: org.childCount === 0,
      children: children[org.id] ? build(children[org.id] ?? []) : undefined,
    }));
    return build(roots ?? []);
  }, [roots, children]);

  const search = useQuery({
    queryKey: ['orgs', 'search', q],
    queryFn: () => api.get<OrgPage>('/orgs', { q, pageSize: 50 }),
    enabled: q.trim().length > 0,
  });
  // /orgs?electionDue=due|overdue[&orgId=…] (a 工作台 to-do) lists the orgs whose 换届 is due, in that org's subtree
  const [params, update] = useSearchState();
  const electionDue = (['due', 'overdue'] as const).find((d) => d === params.get('electionDue'));
  const dueOrgId = params.get('orgId') ?? undefined;
  const duePage = Number(params.get('page') ?? '1') || 1;
  const due = useQuery({
    queryKey: ['orgs', 'election-due', electionDue, dueOrgId, duePage],
    queryFn: () => api.get<OrgPage>('/orgs', { electionDue, orgId: dueOrgId, page: duePage, pageSize: 50 }),
    enabled: electionDue !== undefined,
  });

  const selected = useQuery({
    queryKey: ['orgs', 'one', selectedId],
    queryFn: () => api.get<Org>(`/orgs/${selectedId}`),
    enabled: selectedId !== null,
  });

  const afterChange = (org: Org) => {
    setDialog(null);
    setSelectedId(org.id);
    void selected.refetch();
    void reload();
  };

  const orgRow = (org: Org) => (
    <List.Item onClick={() => setSelectedId(org.id)} style={{ cursor: 'pointer', background: org.id === selectedId ? '#fff1f0' : undefined }}>
      <OrgTitle org={org} />
    </List.Item>
  );

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={11} xl={10}>
        <Card title={<Space><ApartmentOutlined />{t('org.tree')}</Space>} styles={{ body: { padding: 12 } }}
          extra={isPlatformAdmin && !!roots?.length && <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create-top' })}>{t('org.create_top')}</Button>}>
          <Input.Search allowClear placeholder={t('org.search_placeholder')} onSearch={setQ} onChange={(e) => { if (!e.target.value) setQ(''); }} style={{ marginBottom: 12 }} />
          {electionDue ? (
            <QueryState isLoading={due.isLoading} error={due.error}>
              <Space wrap style={{ marginBottom: 8 }}>
                <Segmented<'due' | 'overdue'> value={electionDue} onChange={(v) => update({ electionDue: v })}
                  options={[{ value: 'overdue', label: t('org.election_overdue') }, { value: 'due', label: t('org.election_due') }]} />
                <OrgTreeSelect value={dueOrgId} onChange={(id) => update({ orgId: id })} placeholder={t('activity.org')} aria-label={t('activity.org')} style={{ width: 200, maxWidth: '100%' }} />
                <Button size="small" onClick={() => update({ electionDue: undefined, orgId: undefined })}>{t('org.tree')}</Button>
              </Space>
              <List
                size="small"
                data-testid="election-due-list"
                dataSource={due.data?.items ?? []}
                header={<Typography.Text type="secondary" data-testid="election-due-total">{t('common.total', { total: due.data?.total ?? 0 })}</Typography.Text>}
                pagination={(due.data?.total ?? 0) > 50 ? { current: duePage, pageSize: 50, total: due.data?.total ?? 0, onChange: (p) => update({ page: String(p) }), showSizeChanger: false } : false}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                renderItem={orgRow}
              />
            </QueryState>
          ) : q ? (
            <QueryState isLoading={search.isLoading} error={search.error}>
              <List
                size="small"
                dataSource={search.data?.items ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                renderItem={orgRow}
              />
            </QueryState>
          ) : error ? (
            <Alert type="error" showIcon message={errorMessage(error, t('app.error'))} />
          ) : roots === null ? (
            <Spin />
          ) : roots.length === 0 ? (
            <Empty description={isPlatformAdmin ? t('org.empty_site') : t('org.no_orgs')}>
              {isPlatformAdmin && <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create-top' })}>{t('org.create_top')}</Button>}
            </Empty>
          ) : (
            <Tree
              data-testid="org-tree"
              treeData={treeData}
              loadData={async (node) => { await loadChildren(String(node.key)); }}
              expandedKeys={expandedKeys}
              onExpand={setExpandedKeys}
              selectedKeys={selectedId ? [selectedId] : []}
              onSelect={(keys) => { if (keys[0] !== undefined) setSelectedId(String(keys[0])); }}
              blockNode
              showLine
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={13} xl={14}>
        {isPlatformAdmin && <FirstRunGuide onCreateTop={() => setDialog({ kind: 'create-top' })} />}
        <Card data-testid="org-detail">
          {selectedId === null ? (
            <Empty description={t('org.pick')} />
          ) : (
            <QueryState isLoading={selected.isLoading} error={selected.error}>
              {selected.data && <OrgDetail org={selected.data} onAction={(kind) => setDialog({ kind, org: selected.data })} />}
            </QueryState>
          )}
        </Card>
        {selected.data && !selected.data.dissolvedAt && (
          <div style={{ marginTop: 16 }}><OrgComplianceCard orgId={selected.data.id} /></div>
        )}
      </Col>
      {dialog?.kind === 'create-top' && <OrgFormDialog mode="create" onClose={() => setDialog(null)} onSaved={(org) => { afterChange(org); void queryClient.invalidateQueries({ queryKey: ['orgs'] }); }} />}
      {dialog?.kind === 'merge' && <MergeOrgDialog org={dialog.org} onClose={() => setDialog(null)} onSaved={afterChange} />}
      {dialog?.kind === 'create' && <OrgFormDialog mode="create" parent={dialog.org} onClose={() => setDialog(null)} onSaved={(org) => {
        setExpandedKeys((keys) => (keys.includes(dialog.org.id) ? keys : [...keys, dialog.org.id]));
        void loadChildren(dialog.org.id);
        afterChange(org);
      }} />}
      {dialog?.kind === 'edit' && <OrgFormDialog mode="edit" org={dialog.org} onClose={() => setDialog(null)} onSaved={afterChange} />}
      {dialog?.kind === 'move' && <MoveOrgDialog org={dialog.org} onClose={() => setDialog(null)} onSaved={afterChange} />}
      {dialog?.kind === 'dissolve' && <DissolveOrgDialog org={dialog.org} onClose={() => setDialog(null)} onSaved={afterChange} />}
    </Row>
  );
}

function OrgDetail({ org, onAction }: { org: Org; onAction: (kind: OrgAction) => void }) {
  const t = useT();
  const active = !org.dissolvedAt;
  const canHaveChildren = CHILD_TYPES[org.type].length > 0;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="org-detail-name">{org.name}</Typography.Title>
        <OrgTypeTag type={org.type} />
        <ElectionBadge org={org} />
      </Space>
      <Space wrap style={{ marginBottom: 16 }}>
        {/* the roll opens on the same people the count counts: party members (正式 + 预备) on the roll */}
        <Link to={`/members?orgId=${org.id}&stage=${PARTY_MEMBER_STAGES.join(',')}`}><Button icon={<TeamOutlined />}>{t('org.view_members')} <Badge count={org.memberCount} showZero overflowCount={99999} color="#c0161b" /></Button></Link>
        {org.canManage && active && (
          <>
            <Button icon={<EditOutlined />} onClick={() => onAction('edit')}>{t('common.edit')}</Button>
            {canHaveChildren && <Button icon={<PlusOutlined />} onClick={() => onAction('create')}>{t('org.create_child')}</Button>}
            {org.parentId && <Button icon={<DragOutlined />} onClick={() => onAction('move')}>{t('org.move')}</Button>}
            <Button icon={<MergeCellsOutlined />} onClick={() => onAction('merge')}>{t('org.merge')}</Button>
            {org.parentId && <Button danger icon={<DeleteOutlined />} onClick={() => onAction('dissolve')}>{t('org.dissolve')}</Button>}
          </>
        )}
      </Space>
      <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
        <Descriptions.Item label={<span title={t('org.member_count_hint')}>{t('org.member_count')}</span>}>{org.memberCount}</Descriptions.Item>
        <Descriptions.Item label={t('org.child_count')}>{org.childCount}</Descriptions.Item>
        <Descriptions.Item label={t('org.secretary')}>{org.secretaryName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.founded_on')}>{org.foundedOn ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.term')}>{org.termStart || org.termEnd ? `${org.termStart ?? '?'} ~ ${org.termEnd ?? '?'}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.contact')}>{[org.contactName, org.contactPhone].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.address')} span={2}>{org.address ?? '—'}</Descriptions.Item>
        {org.dissolvedAt && <Descriptions.Item label={t('org.dissolved')} span={2}>{org.dissolvedAt.slice(0, 10)} {org.dissolvedReason}</Descriptions.Item>}
        {org.mergedIntoId && <Descriptions.Item label={t('org.merged_into')} span={2}>{t('org.merged_into_hint')}</Descriptions.Item>}
      </Descriptions>
    </>
  );
}
