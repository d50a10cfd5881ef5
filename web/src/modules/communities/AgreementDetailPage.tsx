import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { AgreementDetail, JointProject } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { AgreementFormDialog, AgreementPeriod, JointProjectDialog } from './AgreementParts.js';

/** One 共建协议: its terms and the joint projects carried out under it. */
export default function AgreementDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [project, setProject] = useState<JointProject | 'new' | null>(null);
  const agreement = useQuery({ queryKey: ['co-building', id], queryFn: () => api.get<AgreementDetail>(`/co-building/agreements/${id}`) });
  const a = agreement.data;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['co-building'] });
  };

  return (
    <QueryState isLoading={agreement.isLoading} error={agreement.error} retry={() => void agreement.refetch()}>
      {a && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="agreement-detail">
          <Card
            title={<Space><Link to="/service/co-building" aria-label={t('common.back')}><ArrowLeftOutlined /></Link>{a.title}</Space>}
            extra={a.canManage && <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('common.edit')}</Button>}
          >
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('co_building.org')}>{a.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('co_building.community')}><Link to={`/service/communities/${a.communityId}`}>{a.communityName}</Link></Descriptions.Item>
              <Descriptions.Item label={t('co_building.signed_on')}>{a.signedOn}</Descriptions.Item>
              <Descriptions.Item label={t('co_building.period')}><AgreementPeriod agreement={a} /></Descriptions.Item>
            </Descriptions>
            <Typography.Title level={5}>{t('co_building.content')}</Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{a.content}</Typography.Paragraph>
          </Card>
          <Card
            size="small" title={t('co_building.projects')}
            extra={a.canManage && <Button size="small" icon={<PlusOutlined />} onClick={() => setProject('new')} data-testid="joint-project-new">{t('co_building.add_project')}</Button>}
          >
            <Table<JointProject>
              rowKey="id" size="small" dataSource={a.projects} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('co_building.no_projects') }}
              data-testid="joint-projects"
              columns={[
                { title: t('co_building.project_title'), dataIndex: 'title', width: 200 },
                { title: t('co_building.project_description'), dataIndex: 'description', width: 300, render: (d: string | null) => d ?? '—' },
                { title: t('co_building.planned_on'), dataIndex: 'plannedOn', width: 110, render: (d: string | null) => d ?? '—' },
                {
                  title: t('co_building.done_on'), dataIndex: 'doneOn', width: 130,
                  render: (d: string | null) => (d ? <Space size={4}>{d}<Tag color="green">{t('co_building.project_done')}</Tag></Space> : <Tag color="blue">{t('co_building.project_pending')}</Tag>),
                },
                ...(a.canManage ? [{
                  title: t('common.actions'), key: 'actions', width: 80,
                  render: (_: unknown, p: JointProject) => <Button size="small" type="link" onClick={() => setProject(p)}>{t('common.edit')}</Button>,
                }] : []),
              ]}
            />
          </Card>
          <AgreementFormDialog open={editing} agreement={a} onClose={() => setEditing(false)}
            onSaved={(next) => { setEditing(false); queryClient.setQueryData(['co-building', id], next); refresh(); }} />
          <JointProjectDialog open={project !== null} agreementId={a.id} project={project === 'new' || project === null ? undefined : project}
            onClose={() => setProject(null)} onSaved={() => { setProject(null); refresh(); }} />
        </Space>
      )}
    </QueryState>
  );
}
