import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Result, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { PostWishReceipt, PublicPostWish } from '../../../../contracts/micro_wishes.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';

type Values = Omit<PublicPostWish, 'communityId'>;

/**
 * A resident posts a micro-wish, no account needed. A community's QR code may carry `?community=<id>`
 * so the wish goes to that community's org. The receipt's tracking code is shown once.
 */
export default function PublicWishFormPage() {
  const t = useT();
  const { treeId = '' } = useParams();
  const [params] = useSearchParams();
  const communityId = /^[1-9]\d{0,17}$/.test(params.get('community') ?? '') ? params.get('community')! : undefined;
  const [form] = Form.useForm<Values>();
  const { saving, run } = useFormSubmit(form);
  const [receipt, setReceipt] = useState<PostWishReceipt | null>(null);

  const submit = (values: Values) => run(async () => {
    const body: PublicPostWish = { ...values, communityId };
    setReceipt(await api.post<PostWishReceipt>(`/public/micro-wishes/trees/${treeId}`, body));
  });

  if (receipt) {
    const trackPath = `/public/wishes/track/${receipt.trackingCode}`;
    return (
      <Card data-testid="wish-receipt">
        <Result
          status="success"
          title={t('public.wish_received')}
          subTitle={t('public.tracking_hint')}
          extra={(
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <Space>
                <Typography.Text>{t('public.tracking_code')}</Typography.Text>
                <Typography.Text code copyable strong data-testid="wish-tracking-code">{receipt.trackingCode}</Typography.Text>
              </Space>
              <Link to={trackPath} data-testid="wish-track-link"><Button type="primary" size="large" block>{t('public.track_link')}</Button></Link>
              <Link to={`/public/${treeId}`}><Button block>{t('public.back')}</Button></Link>
            </Space>
          )}
        />
      </Card>
    );
  }

  const required = [{ required: true, message: t('service.required') }];
  return (
    <Card
      title={<Space><Link to={`/public/${treeId}`} aria-label={t('public.back')}><ArrowLeftOutlined /></Link>{t('public.wish_form_title')}</Space>}
      styles={{ body: { padding: 16 } }}
    >
      <Alert type="info" showIcon message={t('public.wish_form_hint')} style={{ marginBottom: 16 }} />
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="wish-form" requiredMark={false}>
        <Form.Item name="title" label={t('public.wish_title')} rules={required}><Input maxLength={50} size="large" /></Form.Item>
        <Form.Item name="content" label={t('public.wish_content')} rules={required}><Input.TextArea maxLength={500} showCount autoSize={{ minRows: 4 }} /></Form.Item>
        <Form.Item name="posterName" label={t('public.your_name')} rules={required}><Input maxLength={20} size="large" autoComplete="name" /></Form.Item>
        <Form.Item name="posterContact" label={t('public.your_contact')} rules={required}><Input maxLength={20} size="large" inputMode="tel" autoComplete="tel" /></Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={saving} data-testid="wish-submit">{t('public.submit')}</Button>
      </Form>
    </Card>
  );
}
