import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Empty, Form, Grid, Input, List, Modal, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EyeOutlined } from '@ant-design/icons';
import type { AnswerObjection, Objection, PublicNoticeDetail, PublicNoticeItem, RevealedContact } from '../../../../contracts/public_notices.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { formatTime } from '../../platform/format.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { NoticeStatusTag, ObjectionStatusTag } from './NoticeTags.js';

type Decision = 'uphold' | 'dismiss';

/** One 公示: its items and the objections raised, each answered here (异议成立 withdraws the item). */
export default function PublicNoticePage() {
  const t = useT();
  const { id = '' } = useParams();
  const screens = Grid.useBreakpoint();
  const notice = useQuery({ queryKey: ['public-notices', 'detail', id], queryFn: () => api.get<PublicNoticeDetail>(`/public-notices/${id}`) });
  const [answering, setAnswering] = useState<{ objection: Objection; decision: Decision } | null>(null);
  const n = notice.data;
  return (
    <QueryState isLoading={notice.isLoading} error={notice.error}>
      {n && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="public-notice">
          <Card
            title={<Space><Link to="/public-notices" aria-label={t('pn.back')}><ArrowLeftOutlined /></Link><h1 style={{ fontSize: 16, margin: 0 }}>{n.title}</h1><NoticeStatusTag status={n.status} /></Space>}
            extra={n.status !== 'scheduled' && <a href={`/public/notices/${n.id}`} target="_blank" rel="noreferrer">{t('pn.public_link')}</a>}
            styles={{ body: { padding: screens.md ? 24 : 12 } }}
          >
            <Descriptions size="small" column={screens.md ? 3 : 1} items={[
              { key: 'kind', label: t('pn.kind'), children: t(`pn.kind.${n.kind}`) },
              { key: 'org', label: t('pn.org'), children: n.orgName },
              { key: 'period', label: t('pn.period'), children: t('pn.period_value', { start: n.startsOn, end: n.endsOn }) },
              { key: 'objections', label: t('pn.objections'), children: t('pn.objection_counts', n.objectionCounts) },
            ]} />
          </Card>
          <Card title={t('pn.items')} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
            <Table<PublicNoticeItem> rowKey="id" size="small" pagination={false} dataSource={n.items} scroll={{ x: 'max-content' }} data-testid="notice-items"
              columns={[
                { title: t('pn.name'), dataIndex: 'name', render: (name: string, i) => (i.withdrawnAt ? <Space><Typography.Text delete>{name}</Typography.Text><Tag color="error">{t('pn.withdrawn')}</Tag></Space> : name) },
                { title: t('pn.item_org'), dataIndex: 'orgName' },
                { title: t('pn.honour'), dataIndex: 'title' },
                { title: t('pn.summary'), dataIndex: 'summary', responsive: ['md'], render: (s: string | null, i) => (i.withdrawnReason ? t('pn.withdrawn_reason', { reason: i.withdrawnReason }) : s) },
              ]} />
          </Card>
          <Card title={t('pn.objections')} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
            {!n.canAnswer && n.objections.length > 0 && <Typography.Paragraph type="secondary">{t('pn.cannot_answer')}</Typography.Paragraph>}
            {n.objections.length === 0 ? <Empty description={t('pn.objections_none')} /> : (
              <List<Objection> dataSource={n.objections} split={false} renderItem={(o) => (
                <CardItem>
                  <ObjectionCard objection={o} canAnswer={n.canAnswer} onAnswer={(decision) => setAnswering({ objection: o, decision })} />
                </CardItem>
              )} />
            )}
          </Card>
          {answering && <AnswerDialog noticeId={n.id} {...answering} onClose={() => setAnswering(null)} />}
        </Space>
      )}
    </QueryState>
  );
}

function ObjectionCard({ objection: o, canAnswer, onAnswer }: { objection: Objection; canAnswer: boolean; onAnswer: (decision: Decision) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [contact, setContact] = useState<string | null>(null);
  const reveal = async () => {
    try {
      setContact((await api.post<RevealedContact>(`/public-notices/objections/${o.id}/reveal-contact`)).contact);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="objection">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Space wrap size={6}>
          <ObjectionStatusTag status={o.status} />
          <Typography.Text strong>{t('pn.against', { name: o.itemName })}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(o.createdAt)}</Typography.Text>
        </Space>
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{o.content}</Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('pn.objector')}：{o.submittedBy ? o.submittedBy.name : t('pn.anonymous')}
          {o.contactMasked && <>{' · '}{t('pn.contact')}：{contact ?? o.contactMasked}</>}
          {o.contactMasked && contact == null && canAnswer && (
            <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => void reveal()} title={t('pn.reveal_note')} data-testid="reveal-contact">{t('pn.reveal_contact')}</Button>
          )}
        </Typography.Text>
        {o.status !== 'pending' ? (
          <Typography.Paragraph style={{ margin: 0, background: '#fafafa', padding: 8 }}>
            <Typography.Text strong>{t('pn.answer')}：</Typography.Text>{o.answer}
            <br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('pn.answered_by', { name: o.answeredBy ?? '', time: formatTime(o.answeredAt) })}</Typography.Text>
          </Typography.Paragraph>
        ) : canAnswer && (
          <Space wrap>
            <Button danger onClick={() => onAnswer('uphold')} data-testid="objection-uphold">{t('pn.uphold')}</Button>
            <Button onClick={() => onAnswer('dismiss')} data-testid="objection-dismiss">{t('pn.dismiss')}</Button>
          </Space>
        )}
      </Space>
    </Card>
  );
}

function AnswerDialog({ noticeId, objection, decision, onClose }: { noticeId: string; objection: Objection; decision: Decision; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AnswerObjection>();
  const { saving, run } = useFormSubmit(form);
  const submit = (values: AnswerObjection) => run(async () => {
    await api.post<Objection>(`/public-notices/objections/${objection.id}/${decision}`, values);
    void message.success(t('pn.answered'));
    void queryClient.invalidateQueries({ queryKey: ['public-notices'] });
    void queryClient.invalidateQueries({ queryKey: ['public-notices', 'detail', noticeId] });
    onClose();
  });
  return (
    <Modal open title={t(decision === 'uphold' ? 'pn.uphold' : 'pn.dismiss')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okText={t(decision === 'uphold' ? 'pn.uphold' : 'pn.dismiss')} okButtonProps={{ danger: decision === 'uphold', 'data-testid': 'answer-submit' }} destroyOnHidden>
      {decision === 'uphold' && <Typography.Paragraph type="danger">{t('pn.uphold_confirm')}</Typography.Paragraph>}
      <Typography.Paragraph type="secondary">{t('pn.against', { name: objection.itemName })}：{objection.content}</Typography.Paragraph>
      <Form<AnswerObjection> form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
        <Form.Item name="answer" label={t('pn.answer')} rules={[{ required: true, whitespace: true, message: t('pn.answer_required') }]}>
          <Input.TextArea maxLength={1000} showCount autoSize={{ minRows: 3 }} placeholder={t('pn.answer_placeholder')} data-testid="answer-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
