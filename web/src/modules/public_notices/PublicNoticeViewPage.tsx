import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, List, Result, Space, Tag, Typography } from 'antd';
import type { PublicNoticeCard, PublicNoticeCardPage, PublicNoticeView } from '../../../../contracts/public_notices.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { NoticeStatusTag } from './NoticeTags.js';
import { ObjectionForm } from './ObjectionForm.js';

/**
 * The public page of one 公示 (/public/notices/:id, no login): names, org names, honours and summaries
 * only, withdrawn items marked; anyone may object while it is open, anonymously if they wish.
 */
export default function PublicNoticeViewPage() {
  const t = useT();
  const { id = '' } = useParams();
  const notice = useQuery({ queryKey: ['public', 'public-notice', id], queryFn: () => api.get<PublicNoticeView>(`/public/public-notices/${id}`) });
  const [submitted, setSubmitted] = useState(false);
  const n = notice.data;
  return (
    <QueryState isLoading={notice.isLoading} error={notice.error}>
      {n && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="public-notice-view">
          <Card styles={{ body: { padding: 16 } }}>
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              <Space size={6} wrap><Tag>{t(`pn.kind.${n.kind}`)}</Tag><NoticeStatusTag status={n.status} /></Space>
              <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{n.title}</Typography.Title>
              <Typography.Text type="secondary">{n.orgName} · {t('pn.period_value', { start: n.startsOn, end: n.endsOn })}</Typography.Text>
            </Space>
          </Card>
          <Card title={t('pn.items')} styles={{ body: { padding: 12 } }}>
            <List dataSource={n.items} renderItem={(i) => (
              <List.Item data-testid="public-notice-item" extra={i.withdrawn ? <Tag color="error">{t('pn.withdrawn')}</Tag> : undefined}>
                <List.Item.Meta
                  title={i.withdrawn ? <Typography.Text delete>{i.name}</Typography.Text> : <Typography.Text strong>{i.name}</Typography.Text>}
                  description={<>{i.orgName} · {i.title}{i.summary && <><br />{i.summary}</>}</>}
                />
              </List.Item>
            )} />
          </Card>
          <Card title={t('pn.object')} styles={{ body: { padding: 16 } }}>
            {n.status === 'ended' ? <Alert type="info" showIcon message={t('pn.public_ended')} />
              : submitted ? <Result status="success" title={t('pn.public_submitted')} data-testid="public-objection-received" />
              : (
                <>
                  <Alert type="info" showIcon message={t('pn.public_intro')} style={{ marginBottom: 16 }} />
                  <ObjectionForm items={n.items} path={`/public/public-notices/${n.id}/objections`} onDone={() => setSubmitted(true)} />
                </>
              )}
          </Card>
        </Space>
      )}
    </QueryState>
  );
}

/** A tree's 公示公告 (/public/:treeId/notices): the open and recently ended notices. */
export function PublicNoticeListPage() {
  const t = useT();
  const { treeId = '' } = useParams();
  const list = useQuery({ queryKey: ['public', 'public-notices', treeId], queryFn: () => api.get<PublicNoticeCardPage>(`/public/public-notices/trees/${treeId}`, { pageSize: 50 }) });
  return (
    <QueryState isLoading={list.isLoading} error={list.error}>
      <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('pn.public_list')}</h1>} styles={{ body: { padding: 12 } }}>
        {list.data && list.data.items.length === 0 ? <Empty description={t('pn.none')} /> : (
          <List<PublicNoticeCard> dataSource={list.data?.items ?? []} split={false} renderItem={(n) => (
            <CardItem>
              <Link to={`/public/notices/${n.id}`} style={{ display: 'block', marginBottom: 12 }} data-testid="public-notice-card">
                <Card size="small" hoverable>
                  <Space orientation="vertical" size={4}>
                    <Space size={6} wrap><NoticeStatusTag status={n.status} /><Typography.Text strong>{n.title}</Typography.Text></Space>
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>{n.orgName} · {t('pn.period_value', { start: n.startsOn, end: n.endsOn })} · {t('pn.item_count', { n: n.itemCount })}</Typography.Text>
                  </Space>
                </Card>
              </Link>
            </CardItem>
          )} />
        )}
      </Card>
    </QueryState>
  );
}
