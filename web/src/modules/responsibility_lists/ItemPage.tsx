import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Checkbox, DatePicker, Descriptions, Empty, Form, Input, List, Popconfirm, Space, Typography, Upload } from 'antd';
import { FileOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { ItemDetail } from '../../../../contracts/responsibility_lists.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage, QueryState } from '../../platform/status.js';
import { ItemTags } from './ItemTags.js';

interface InspectionForm { inspectedOn: Dayjs; inspectors: string; findings: string; rectificationRequired: boolean; rectifyDeadline?: Dayjs | null }

/**
 * One duty item: its progress reports with evidence, the level above's inspections, closing. The
 * console (/responsibility/items/:id) and a member's own (/me/responsibility/items/:id) share it.
 */
export default function ItemPage() {
  const t = useT();
  const { id } = useParams();
  const own = useLocation().pathname.startsWith('/me/');
  const base = own ? '/me/responsibility/items' : '/responsibility/items';
  const queryClient = useQueryClient();
  const key = ['responsibility', 'item', own, id];
  const item = useQuery({ queryKey: key, queryFn: () => api.get<ItemDetail>(`${base}/${id}`) });
  const saved = (next: ItemDetail) => {
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries({ queryKey: ['responsibility'], predicate: (q) => q.queryKey[1] !== 'item' });
  };
  const data = item.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="responsibility-item">
      <Link to={own ? '/me/responsibility' : data ? `/responsibility/lists/${data.listId}` : '/responsibility/lists'}>{t('resp.back')}</Link>
      <QueryState isLoading={item.isLoading} error={item.error} retry={() => void item.refetch()}>
        {data && (
          <>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 20, overflowWrap: 'anywhere' }}>{data.task}</Typography.Title>
            <Card size="small">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('resp.owner')}>{data.memberName ? `${data.memberName}（${data.orgName}）` : data.orgName}</Descriptions.Item>
                <Descriptions.Item label={t('resp.title')}>{data.listTitle}</Descriptions.Item>
                <Descriptions.Item label={t('resp.deadline')}>{data.deadline}</Descriptions.Item>
                <Descriptions.Item label={t('resp.evidence_required')}>{data.evidenceRequired}</Descriptions.Item>
                <Descriptions.Item label={t('resp.status')}><ItemTags item={data} /></Descriptions.Item>
              </Descriptions>
              {data.closeNote && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('resp.close_note_shown', { note: data.closeNote })}</Typography.Paragraph>}
            </Card>
            {data.canReport && <ReportForm base={base} item={data} onSaved={saved} />}
            <Reports base={base} item={data} onSaved={saved} />
            {data.canInspect && <InspectionForm item={data} onSaved={saved} />}
            <Inspections item={data} />
            {data.canInspect && <CloseForm item={data} onSaved={saved} />}
          </>
        )}
      </QueryState>
    </Space>
  );
}

function ReportForm({ base, item, onSaved }: { base: string; item: ItemDetail; onSaved: (i: ItemDetail) => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ body: string }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { body: string }) => run(async () => {
    const result = await api.post<{ id: string; item: ItemDetail }>(`${base}/${item.id}/reports`, v);
    onSaved(result.item);
    form.resetFields();
    void message.success(t('resp.report_saved'));
  });
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('resp.report')}</h2>}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="body" label={t('resp.report_body')} rules={[{ required: true, whitespace: true, message: t('resp.required') }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>{t('resp.report')}</Button>
      </Form>
    </Card>
  );
}

function Reports({ base, item, onSaved }: { base: string; item: ItemDetail; onSaved: (i: ItemDetail) => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [uploading, setUploading] = useState<string | null>(null);
  const upload = async (reportId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    setUploading(reportId);
    try {
      onSaved(await api.upload<ItemDetail>(`${base}/${item.id}/reports/${reportId}/files`, form));
      void message.success(t('resp.evidence_uploaded'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(null);
    }
  };
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('resp.reports')}</h2>}>
      {item.reports.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resp.no_reports')} /> : (
        <List size="small" dataSource={item.reports} data-testid="responsibility-reports"
          renderItem={(r) => (
            <List.Item>
              <Space orientation="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{r.body}</Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('resp.by', { name: r.reporterName, time: formatTime(r.createdAt) })}</Typography.Text>
                {r.files.map((f) => <a key={f.id} href={f.url} target="_blank" rel="noreferrer"><FileOutlined /> {f.fileName}</a>)}
                {item.canReport && (
                  <Upload showUploadList={false} accept=".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx" beforeUpload={(file) => { void upload(r.id, file); return false; }}>
                    <Button size="small" icon={<UploadOutlined />} loading={uploading === r.id}>{t('resp.upload_evidence')}</Button>
                  </Upload>
                )}
              </Space>
            </List.Item>
          )} />
      )}
    </Card>
  );
}

function InspectionForm({ item, onSaved }: { item: ItemDetail; onSaved: (i: ItemDetail) => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<InspectionForm>();
  const { saving, run } = useFormSubmit(form);
  const rectify = Form.useWatch('rectificationRequired', form);
  const submit = (v: InspectionForm) => run(async () => {
    onSaved(await api.post<ItemDetail>(`/responsibility/items/${item.id}/inspections`, {
      ...v, inspectedOn: isoDay(v.inspectedOn), rectifyDeadline: v.rectificationRequired ? isoDay(v.rectifyDeadline) : null,
    }));
    form.resetFields();
    void message.success(t('resp.inspection_saved'));
  });
  const required = [{ required: true, whitespace: true, message: t('resp.required') }];
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('resp.inspect')}</h2>}>
      <Form<InspectionForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ inspectedOn: todayInChina(), rectificationRequired: false }}>
        <Form.Item name="inspectedOn" label={t('resp.inspected_on')} rules={[{ required: true, message: t('resp.required') }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="inspectors" label={t('resp.inspectors')} rules={required}><Input maxLength={200} /></Form.Item>
        <Form.Item name="findings" label={t('resp.findings')} rules={required}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        <Form.Item name="rectificationRequired" valuePropName="checked"><Checkbox>{t('resp.rectification_required')}</Checkbox></Form.Item>
        {rectify && (
          <Form.Item name="rectifyDeadline" label={t('resp.rectify_deadline')} rules={[{ required: true, message: t('resp.required') }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={saving}>{t('resp.inspect')}</Button>
      </Form>
    </Card>
  );
}

function Inspections({ item }: { item: ItemDetail }) {
  const t = useT();
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('resp.inspections')}</h2>}>
      {item.inspections.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resp.no_inspections')} /> : (
        <List size="small" dataSource={item.inspections} data-testid="responsibility-inspections"
          renderItem={(i) => (
            <List.Item>
              <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                <Typography.Text strong>{i.inspectedOn} · {i.inspectors}</Typography.Text>
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{i.findings}</Typography.Paragraph>
                {i.rectificationRequired && <Typography.Text type="warning">{t('resp.rectify_by', { date: i.rectifyDeadline ?? '' })}</Typography.Text>}
              </Space>
            </List.Item>
          )} />
      )}
    </Card>
  );
}

function CloseForm({ item, onSaved }: { item: ItemDetail; onSaved: (i: ItemDetail) => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const close = async () => {
    setSaving(true);
    try {
      onSaved(await api.post<ItemDetail>(`/responsibility/items/${item.id}/close`, { note }));
      void message.success(t('resp.closed_ok'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('resp.close')}</h2>}>
      <Space.Compact style={{ width: '100%' }}>
        <Input aria-label={t('resp.close_note')} placeholder={t('resp.close_note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
        <Popconfirm title={t('resp.close')} onConfirm={() => void close()}><Button type="primary" loading={saving}>{t('resp.close')}</Button></Popconfirm>
      </Space.Compact>
    </Card>
  );
}
