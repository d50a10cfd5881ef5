import { Button, Card, Form, Input, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { PLEDGE_CATEGORIES, type UpdatePledgeItems } from '../../../../contracts/pledges.js';
import { showFieldErrors } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';

/** The items of a pledge (content, category, measurable target), one card each: thumb-sized on a phone. */
export function PledgeItemsForm({ initial, onSave, saveLabel }: { initial: UpdatePledgeItems['items']; onSave: (items: UpdatePledgeItems['items']) => Promise<void>; saveLabel?: string }) {
  const t = useT();
  const [form] = Form.useForm<UpdatePledgeItems>();
  const { saving, run } = useFormSubmit(form);
  return (
    <Form form={form} layout="vertical" initialValues={{ items: initial.length ? initial : [{ content: '', category: 'work', target: '' }] }}
      onFinish={(values) => run(async () => {
        try {
          await onSave(values.items);
        } catch (error) {
          if (!showFieldErrors(form, error).handled) throw error;
        }
      })} data-testid="pledge-items-form">
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            {fields.map((field, n) => (
              <Card key={field.key} size="small" title={`${t('pledge.items')} ${n + 1}`}
                extra={fields.length > 1 && <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(field.name)} />}>
                <Form.Item name={[field.name, 'content']} label={t('pledge.item_content')} rules={[{ required: true }]}>
                  <Input.TextArea autoSize={{ minRows: 2 }} maxLength={300} />
                </Form.Item>
                <Form.Item name={[field.name, 'category']} label={t('pledge.item_category')} rules={[{ required: true }]}>
                  <Select options={PLEDGE_CATEGORIES.map((c) => ({ value: c, label: t(`pledge.category.${c}`) }))} />
                </Form.Item>
                <Form.Item name={[field.name, 'target']} label={t('pledge.item_target')} rules={[{ required: true }]}>
                  <Input placeholder={t('pledge.item_target_hint')} maxLength={200} />
                </Form.Item>
              </Card>
            ))}
            {fields.length < 10 && <Button block icon={<PlusOutlined />} onClick={() => add({ content: '', category: 'work', target: '' })}>{t('pledge.item_add')}</Button>}
          </Space>
        )}
      </Form.List>
      <Button type="primary" htmlType="submit" loading={saving} block style={{ marginTop: 12 }}>{saveLabel ?? t('pledge.save')}</Button>
    </Form>
  );
}
