import { useQuery } from '@tanstack/react-query';
import { Card, List, Typography } from 'antd';
import { StarFilled } from '@ant-design/icons';
import type { MemberStarPage } from '../../../../contracts/monthly_ratings.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';

/** The months the member was a 美丽党员, on their record (a small section of the member page). */
export function MemberStarsCard({ memberId }: { memberId: string }) {
  const t = useT();
  const stars = useQuery({ queryKey: ['monthly-ratings', 'member-stars', memberId], queryFn: () => api.get<MemberStarPage>(`/monthly-ratings/members/${memberId}/stars`, { pageSize: 12 }) });
  if (!stars.data || stars.data.total === 0) return null;
  return (
    <Card title={t('mr.member_stars')} style={{ marginTop: 16 }} size="small" data-testid="member-stars">
      <List size="small" dataSource={stars.data.items} renderItem={(s) => (
        <List.Item>
          <span><StarFilled style={{ color: '#d4380d', marginRight: 6 }} aria-hidden />{s.month} · {s.campaignName}</span>
          <Typography.Text type="secondary">{t('mr.place')} {s.place}</Typography.Text>
        </List.Item>
      )} />
    </Card>
  );
}
