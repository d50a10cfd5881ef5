import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert, App, Button, Card, Checkbox, Col, Descriptions, Empty, Form, Input, List, Popconfirm, Rate, Row, Space, Table, Tag, Timeline, Typography, Upload,
} from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, FileOutlined, PictureOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type {
  ResubmitServiceProject, ReviewServiceProject, ServiceProjectDetail, ServiceProjectEventListSchema,
} from '../../../../contracts/service_projects.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { ProjectFormDialog } from './ProjectFormDialog.js';
import { ServiceProgress, ServiceStatusTag } from './ServiceTags.js';

type EventList = z.infer<typeof ServiceProjectEventListSchema>;
type Event = EventList['items'][number];
const EVENT_ACTIONS = ['create', 'update', 'review', 'return', 'resubmit'] as const;

/** One project: its ledger entry, milestones, evidence, the upper org's staged reviews and the history of changes. */
export default function ServiceProjectDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const detail = useQuery({ queryKey: ['service-projects', id], queryFn: () => api.get<ServiceProjectDetail>(`/service-projects/${id}`) });
  const events = useQuery({ queryKey: ['service-projects', id, 'events'], queryFn: () => api.get<EventList>(`/service-projects/${id}/events`) });
  const p = detail.data;

  const show = (next: ServiceProjectDetail) => {
    queryClient.setQueryData(['service-projects', id], next);
    void queryClient.invalidateQueries({ queryKey: ['service-projects', id, 'events'] });
    void queryClient.invalidateQueries({ queryKey: ['service-projects', 'list'] });
  };

  return (
    <QueryState isLoading={detail.isLoading} error={detail.error} retry={() => void detail.refetch()}>
      {p && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="project-detail">
          <Card
            title={(
              <Space wrap>
                <Link to="/service/projects"><ArrowLeftOutlined /></Link>
                <span data-testid="project-title">{p.title}</span>
                <ServiceStatusTag status={p.status} />
                {p.isMajorProblem && <Tag color="red" icon={<WarningOutlined />}>{t('service.major')}</Tag>}
                {p.isOverdue && <Tag color="error">{t('service.overdue')}</Tag>}
              </Space>
            )}
            extra={p.canEdit && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="project-edit">{t('common.edit')}</Button>}
          >
            {p.isReturned && <ReturnedNotice project={p} onSaved={show} />}
            <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
              <Descriptions.Item label={t('service.org')}>{p.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('service.category')}>{p.category}</Descriptions.Item>
              <Descriptions.Item label={t('service.source')}>{t(`service.source.${p.source}`)}</Descriptions.Item>
              <Descriptions.Item label={t('service.owner')}>{p.ownerName}</Descriptions.Item>
              <Descriptions.Item label={t('service.started_on')}>{p.startedOn}</Descriptions.Item>
              <Descriptions.Item label={t('service.planned_completion')}>{p.plannedCompletion}</Descriptions.Item>
              <Descriptions.Item label={t('service.completed_on')}>{p.completedOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('service.progress')}><div style={{ width: 200 }}><ServiceProgress progress={p.progress} status={p.status} isOverdue={p.isOverdue} /></div></Descriptions.Item>
              <Descriptions.Item label={t('service.is_public')}>{p.isPublic ? t('common.yes') : t('common.no')}</Descriptions.Item>
              <Descriptions.Item label={t('service.satisfaction')}>
                {p.satisfaction.count ? <Space><Rate disabled allowHalf value={p.satisfaction.average ?? 0} />{t('service.satisfaction_value', { average: p.satisfaction.average ?? 0, count: p.satisfaction.count })}</Space> : t('service.no_ratings')}
              </Descriptions.Item>
              <Descriptions.Item label={t('service.need')} span={{ xs: 1, sm: 2, lg: 3 }}><Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{p.need}</Typography.Paragraph></Descriptions.Item>
              <Descriptions.Item label={t('service.result')} span={{ xs: 1, sm: 2, lg: 3 }}><Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{p.result ?? '—'}</Typography.Paragraph></Descriptions.Item>
            </Descriptions>
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card title={t('service.milestones')} size="small">
                <Table
                  rowKey="id" size="small" pagination={false} dataSource={p.milestones} locale={{ emptyText: t('common.none') }}
                  columns={[
                    { title: t('service.milestone_title'), dataIndex: 'title' },
                    { title: t('service.milestone_due'), dataIndex: 'dueOn', width: 110, render: (d: string, m) => <Typography.Text type={m.isOverdue ? 'danger' : undefined}>{d}</Typography.Text> },
                    { title: t('service.milestone_done'), dataIndex: 'doneOn', width: 110, render: (d: string | null) => d ?? '—' },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <EvidenceCard project={p} onSaved={show} />
            </Col>
            <Col xs={24} lg={12}>
              <ReviewsCard project={p} onSaved={show} />
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('service.history')} size="small">
                <QueryState isLoading={events.isLoading} error={events.error}>
                  <Timeline items={(events.data?.items ?? []).map((e) => ({ key: e.id, content: <EventLine event={e} /> }))} data-testid="project-history" />
                </QueryState>
              </Card>
            </Col>
          </Row>
          <ProjectFormDialog open={editing} project={p} onClose={() => setEditing(false)} onSaved={(next) => { setEditing(false); show(next); }} />
        </Space>
      )}
    </QueryState>
  );
}

function EventLine({ event }: { event: Event }) {
  const t = useT();
  const action = EVENT_ACTIONS.find((a) => a === event.action);
  const changed = event.action === 'update' && event.after ? Object.keys(event.after).join('、') : null;
  const note = event.after && typeof event.after.comment === 'string' ? event.after.comment : event.after && typeof event.after.note === 'string' ? event.after.note : null;
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text>
        <Typography.Text strong>{action ? t(`service.event.${action}`) : event.action}</Typography.Text>
        {' · '}{event.username ?? '—'}{' · '}<Typography.Text type="secondary">{formatTime(event.at)}</Typography.Text>
      </Typography.Text>
      {changed && <Typography.Text type="secondary">{changed}</Typography.Text>}
      {note && <Typography.Text type="secondary">{note}</Typography.Text>}
    </Space>
  );
}

function ReturnedNotice({ project, onSaved }: { project: ServiceProjectDetail; onSaved: (p: ServiceProjectDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const resubmit = async () => {
    setSaving(true);
    try {
      onSaved(await api.post<ServiceProjectDetail>(`/service-projects/${project.id}/resubmit`, { note } satisfies ResubmitServiceProject));
      void message.success(t('service.resubmitted'));
      setNote('');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Alert
      type="warning" showIcon style={{ marginBottom: 16 }} message={t('service.returned')} data-testid="project-returned"
      description={project.canEdit && (
        <Space.Compact style={{ width: '100%', maxWidth: 560, marginTop: 8 }}>
          <Input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('service.resubmit_note')} maxLength={500} />
          <Button type="primary" loading={saving} disabled={!note.trim()} onClick={() => void resubmit()}>{t('service.resubmit')}</Button>
        </Space.Compact>
      )}
    />
  );
}

function EvidenceCard({ project, onSaved }: { project: ServiceProjectDetail; onSaved: (p: ServiceProjectDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    setUploading(true);
    try {
      onSaved(await api.upload<ServiceProjectDetail>(`/service-projects/${project.id}/evidence`, form));
      void message.success(t('service.evidence_uploaded'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  };
  const remove = async (evidenceId: string) => {
    try {
      onSaved(await api.delete<ServiceProjectDetail>(`/service-projects/${project.id}/evidence/${evidenceId}`));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <Card
      title={t('service.evidence')} size="small"
      extra={project.canEdit && (
        <Upload showUploadList={false} accept=".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx" beforeUpload={(file) => { void upload(file); return false; }}>
          <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid="evidence-upload">{t('service.upload_evidence')}</Button>
        </Upload>
      )}
    >
      {project.evidence.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('service.evidence_hint')} /> : (
        <List
          size="small" dataSource={project.evidence} data-testid="evidence-list"
          renderItem={(e) => (
            <List.Item actions={project.canEdit ? [
              <Popconfirm key="delete" title={t('common.delete')} onConfirm={() => void remove(e.id)}><Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} /></Popconfirm>,
            ] : []}>
              <Space>
                {e.kind === 'photo' ? <PictureOutlined /> : <FileOutlined />}
                <a href={e.url} target="_blank" rel="noreferrer">{e.fileName}</a>
                <Typography.Text type="secondary">{Math.ceil(e.sizeBytes / 1024)} KB · {formatTime(e.createdAt)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

interface ReviewValues { stage?: string; comment: string; rating?: number; returnForRework?: boolean }

function ReviewsCard({ project, onSaved }: { project: ServiceProjectDetail; onSaved: (p: ServiceProjectDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReviewValues>();
  const [saving, setSaving] = useState(false);
  const submit = async (v: ReviewValues) => {
    setSaving(true);
    try {
      const body: ReviewServiceProject = { stage: v.stage || null, comment: v.comment, rating: v.rating || undefined, returnForRework: v.returnForRework ?? false };
      onSaved(await api.post<ServiceProjectDetail>(`/service-projects/${project.id}/reviews`, body));
      void message.success(t('service.reviewed'));
      form.resetFields();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card title={t('service.reviews')} size="small">
      <List
        size="small" dataSource={project.reviews} locale={{ emptyText: t('common.none') }} data-testid="review-list"
        renderItem={(r) => (
          <List.Item>
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap>
                {r.stage && <Typography.Text strong>{r.stage}</Typography.Text>}
                {r.rating != null && <Rate disabled value={r.rating} style={{ fontSize: 14 }} />}
                {r.isReturned && <Tag color="orange">{t('service.returned_mark')}</Tag>}
              </Space>
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{r.comment}</Typography.Text>
              <Typography.Text type="secondary">{r.reviewerName} · {formatTime(r.createdAt)}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {project.canReview && (
        <Form<ReviewValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ marginTop: 12 }} data-testid="review-form">
          <Typography.Text strong>{t('service.add_review')}</Typography.Text>
          <Form.Item name="stage" label={t('service.review_stage')} style={{ marginBottom: 8 }}><Input maxLength={50} /></Form.Item>
          <Form.Item name="comment" label={t('service.review_comment')} rules={[{ required: true, message: t('service.required') }]} style={{ marginBottom: 8 }}>
            <Input.TextArea maxLength={1000} autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Space wrap size={24}>
            <Form.Item name="rating" label={t('service.review_rating')} style={{ marginBottom: 8 }}><Rate /></Form.Item>
            <Form.Item name="returnForRework" valuePropName="checked" style={{ marginBottom: 8 }}><Checkbox>{t('service.return_for_rework')}</Checkbox></Form.Item>
          </Space>
          <div><Button type="primary" htmlType="submit" loading={saving}>{t('service.add_review')}</Button></div>
        </Form>
      )}
    </Card>
  );
}
