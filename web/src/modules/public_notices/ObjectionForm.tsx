import { Button, Form, Input, Select } from 'antd';
import type { MemberNoticeItem, ObjectInput, ObjectionReceipt } from '../../../../contracts/public_notices.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';

type Values = { itemId: string; content: string; contact?: string };

/**
 * The objection form of a member's page and of the public page: one item of the notice, the facts, a
 * phone if the objector wants an answer. Phone-first: full-width inputs, large buttons.
 */
export function ObjectionForm({ items, path, itemId, onDone }: { items: MemberNoticeItem[]; path: string; itemId?: string; onDone: (receipt: ObjectionReceipt) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { saving, run } = useFormSubmit(form);
  const open = items.filter((i) => !i.withdrawn);
  const submit = (values: Values) => run(async () => {
    const body: ObjectInput = { itemId: values.itemId, content: values.content, contact: values.contact?.trim() || null };
    onDone(await api.post<ObjectionReceipt>(path, body));
    form.resetFields();
  });
  const required = [{ required: true, whitespace: true, message: t('pn.required') }];
  return (
    <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)} initialValues={{ itemId: itemId ?? (open.length === 1 ? open[0]!.id : undefined) }} data-testid="objection-form">
      <Form.Item name="itemId" label={t('pn.object_item')} rules={required}>
        <Select size="large" options={open.map((i) => ({ value: i.id, label: `${i.name}（${i.orgName}）` }))} data-testid="objection-item" />
      </Form.Item>
      <Form.Item name="content" label={t('pn.object_content')} rules={required}>
        <Input.TextArea maxLength={1000} showCount autoSize={{ minRows: 4 }} placeholder={t('pn.object_content_placeholder')} data-testid="objection-content" />
      </Form.Item>
      <Form.Item name="contact" label={t('pn.object_contact')}>
        <Input maxLength={20} size="large" inputMode="tel" autoComplete="tel" data-testid="objection-contact" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={saving} data-testid="objection-submit">{t('pn.object')}</Button>
    </Form>
  );
}
