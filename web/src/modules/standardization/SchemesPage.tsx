import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Collapse, Empty, List, Pagination, Popconfirm, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Scheme, SchemePage, SchemeSummary } from '../../../../contracts/standardization.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage, QueryState } from '../../platform/status.js';
import { formatValue } from './tags.js';

const PAGE_SIZE = 20;

/** 定级方案: each scheme's grades with the criteria each one requires; the owner's admins activate it and launch its rounds. */
export default function SchemesPage() {
  const t = useT();
  const [page, setPage] = useState(1);
  const schemes = useQuery({
    queryKey: ['standardization', 'schemes', page],
    queryFn: () => api.get<SchemePage>('/standardization/schemes', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="standardization-schemes">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('std.schemes_title')}</Typography.Title>
        <Link to="/standardization/schemes/new"><Button type="primary" icon={<PlusOutlined />}>{t('std.new_scheme')}</Button></Link>
      </Space>
      <QueryState isLoading={schemes.isLoading} error={schemes.error} retry={() => void schemes.refetch()}>
        {(schemes.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('std.no_schemes')} /></Card> : (
          <Collapse items={(schemes.data?.items ?? []).map((s) => ({
            key: s.id,
            label: <Space wrap size={[6, 4]}><span>{s.year} · {s.name}</span><Tag>{t(`std.status.${s.status}`)}</Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.orgName} · {t('std.criteria_count', { n: s.criteriaCount })} · {t('std.round_count', { n: s.roundCount })}</Typography.Text></Space>,
            children: <SchemeDetail summary={s} />,
          }))} />
        )}
        {(schemes.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={schemes.data?.total ?? 0} onChange={setPage} />}
      </QueryState>
    </Space>
  );
}

function SchemeDetail({ summary }: { summary: SchemeSummary }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const scheme = useQuery({ queryKey: ['standardization', 'scheme', summary.id], queryFn: () => api.get<Scheme>(`/standardization/schemes/${summary.id}`) });
  const act = useMutation({
    mutationFn: async (action: 'activate' | 'archive' | 'rounds') => api.post<{ created?: number }>(`/standardization/schemes/${summary.id}/${action}`, {}),
    onSuccess: async (result, action) => {
      if (action === 'rounds') void message.success(t('std.launch_done', { n: result.created ?? 0 }));
      await queryClient.invalidateQueries({ queryKey: ['standardization'] });
    },
    onError: (error) => void message.error(errorMessage(error, t('app.error'))),
  });
  // unused: no branch graded on it yet (the server refuses otherwise)
  const remove = useMutation({
    mutationFn: async () => api.delete(`/standardization/schemes/${summary.id}`),
    onSuccess: async () => {
      void message.success(t('std.scheme_deleted'));
      queryClient.removeQueries({ queryKey: ['standardization', 'scheme', summary.id] });
      await queryClient.invalidateQueries({ queryKey: ['standardization', 'schemes'] });
    },
    onError: (error) => void message.error(errorMessage(error, t('app.error'))),
  });
  const s = scheme.data;
  return (
    <QueryState isLoading={scheme.isLoading} error={scheme.error}>
      {s && (
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          {s.grades.map((g) => {
            // the criteria a grade requires: those required for it or for a lower grade
            const required = s.criteria.filter((c) => c.requiredForLevel !== null && c.requiredForLevel >= g.level);
            return (
              <Card size="small" key={g.level} title={<Space>{g.name}{g.isLow && <Tag color="red">{t('std.grade_low')}</Tag>}{g.minPoints !== null && <Tag>{t('std.min_points')} {g.minPoints}</Tag>}</Space>}>
                {required.length === 0 ? <Typography.Text type="secondary">{t('std.required_for_none')}</Typography.Text> : (
                  <List size="small" dataSource={required} renderItem={(c) => (
                    <List.Item>
                      <Space wrap size={[6, 4]} style={{ minWidth: 0 }}>
                        <span style={{ overflowWrap: 'anywhere' }}>{c.text}</span>
                        <Tag>{t(`std.kind.${c.kind}`)}</Tag>
                        {c.kind === 'computed' && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.indicatorName ?? c.indicatorCode} ≥ {formatValue(c.threshold, c.indicatorUnit)}</Typography.Text>}
                      </Space>
                    </List.Item>
                  )} />
                )}
              </Card>
            );
          })}
          {s.criteria.some((c) => c.requiredForLevel === null) && (
            <Card size="small" title={t('std.required_for_none')}>
              <List size="small" dataSource={s.criteria.filter((c) => c.requiredForLevel === null)} renderItem={(c) => <List.Item>{c.text}（{t('std.points')} {c.points}）</List.Item>} />
            </Card>
          )}
          {s.canManage && (
            <Space wrap>
              {s.status === 'draft' && <Link to={`/standardization/schemes/${s.id}/edit`}><Button>{t('std.edit_scheme')}</Button></Link>}
              {s.status === 'draft' && <Button type="primary" loading={act.isPending} onClick={() => act.mutate('activate')}>{t('std.activate')}</Button>}
              {s.status === 'active' && <Button type="primary" loading={act.isPending} onClick={() => act.mutate('rounds')}>{t('std.launch')}</Button>}
              {s.status === 'active' && <Button loading={act.isPending} onClick={() => act.mutate('archive')}>{t('std.archive')}</Button>}
              {s.status !== 'archived' && s.roundCount === 0 && (
                <Popconfirm title={t('std.delete_scheme_confirm')} okText={t('std.delete_scheme')} onConfirm={() => remove.mutate()}>
                  <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>{t('std.delete_scheme')}</Button>
                </Popconfirm>
              )}
              {s.status !== 'draft' && <Link to={`/standardization?schemeId=${s.id}`}>{t('std.open_round')}</Link>}
            </Space>
          )}
        </Space>
      )}
    </QueryState>
  );
}
