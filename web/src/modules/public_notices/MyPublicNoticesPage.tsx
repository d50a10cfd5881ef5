import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Empty, List, Pagination, Space, Tag, Typography } from 'antd';
import type { MemberNotice, MemberNoticePage } from '../../../../contracts/public_notices.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ObjectionStatusTag } from './NoticeTags.js';
import { ObjectionForm } from './ObjectionForm.js';

const PAGE_SIZE = 10;

/** 我的 · 公示与异议: the open notices of the member's org and those above, with a named objection form. */
export default function MyPublicNoticesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1');
  const notices = useQuery({
    queryKey: ['public-notices', 'mine', page],
    queryFn: () => api.get<MemberNoticePage>('/me/public-notices', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const [objecting, setObjecting] = useState<{ notice: MemberNotice; itemId?: string } | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-public-notices">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_public_notices')}</Typography.Title>
      <Alert type="info" showIcon message={t('pn.my_hint')} />
      <QueryState isLoading={notices.isLoading} error={notices.error}>
        {notices.data && notices.data.items.length === 0 ? <Empty description={t('pn.my_none')} /> : (
          <List<MemberNotice> dataSource={notices.data?.items ?? []} split={false} renderItem={(n) => (
            <CardItem>
              <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="my-public-notice">
                <Space orientation="vertical" size={6} style={{ width: '100%' }}>
                  <Space size={6} wrap>
                    <Tag>{t(`pn.kind.${n.kind}`)}</Tag>
                    <Typography.Text strong style={{ fontSize: 16 }}>{n.title}</Typography.Text>
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>{n.orgName} · {t('pn.period_value', { start: n.startsOn, end: n.endsOn })}</Typography.Text>
                  <List size="small" dataSource={n.items} renderItem={(i) => (
                    <List.Item actions={i.withdrawn ? [<Tag key="w" color="error">{t('pn.withdrawn')}</Tag>] : [
                      <Button key="o" size="small" onClick={() => setObjecting({ notice: n, itemId: i.id })} data-testid="object-item">{t('pn.object')}</Button>,
                    ]}>
                      <List.Item.Meta title={i.withdrawn ? <Typography.Text delete>{i.name}</Typography.Text> : i.name} description={`${i.orgName} · ${i.title}${i.summary ? ` · ${i.summary}` : ''}`} />
                    </List.Item>
                  )} />
                  {n.myObjections.length > 0 && (
                    <div>
                      <Typography.Text strong>{t('pn.my_objections')}</Typography.Text>
                      {n.myObjections.map((o) => (
                        <Typography.Paragraph key={o.id} style={{ margin: '4px 0' }}>
                          <ObjectionStatusTag status={o.status} /> {o.content}
                          {o.answer && <><br /><Typography.Text type="secondary">{t('pn.answer')}：{o.answer}</Typography.Text></>}
                        </Typography.Paragraph>
                      ))}
                    </div>
                  )}
                </Space>
              </Card>
            </CardItem>
          )} />
        )}
        {(notices.data?.total ?? 0) > PAGE_SIZE && (
          <Pagination simple current={page} pageSize={PAGE_SIZE} total={notices.data?.total ?? 0} onChange={(p) => setParams(p === 1 ? {} : { page: String(p) })} />
        )}
      </QueryState>
      <Drawer open={!!objecting} placement="bottom" size="auto" title={objecting?.notice.title} onClose={() => setObjecting(null)} destroyOnHidden>
        {objecting && (
          <ObjectionForm items={objecting.notice.items} itemId={objecting.itemId} path={`/me/public-notices/${objecting.notice.id}/objections`}
            onDone={() => {
              void message.success(t('pn.object_submitted'));
              void queryClient.invalidateQueries({ queryKey: ['public-notices', 'mine'] });
              setObjecting(null);
            }} />
        )}
      </Drawer>
    </Space>
  );
}
