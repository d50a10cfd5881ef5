import { useQuery } from '@tanstack/react-query';
import { Button, Form, InputNumber, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { MemberPage } from '../../../../contracts/members.js';
import { CommitteeRoleSchema } from '../../../../contracts/elections.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';

/** The elected committee: a member of the org, their role (one 书记) and votes. */
export function CommitteeFields({ orgId }: { orgId: string }) {
  const t = useT();
  const members = useQuery({ queryKey: ['members', 'of-org', orgId], queryFn: () => api.get<MemberPage>('/members', { orgId, pageSize: 200 }) });
  const options = (members.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.orgName}）` }));
  return (
    <Form.Item label={t('election.committee')} required>
      <Form.List name="committee">
        {(fields, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {fields.map((field, index) => (
              <Space key={field.key} wrap align="baseline">
                <Form.Item name={[field.name, 'memberId']} rules={[{ required: true }]} noStyle>
                  <Select showSearch optionFilterProp="label" options={options} loading={members.isLoading} style={{ width: 200 }}
                    placeholder={t('election.committee_member')} aria-label={`${t('election.committee_member')} ${index + 1}`} />
                </Form.Item>
                <Form.Item name={[field.name, 'role']} rules={[{ required: true }]} noStyle>
                  <Select style={{ width: 120 }} aria-label={`${t('election.committee_role')} ${index + 1}`}
                    options={CommitteeRoleSchema.options.map((r) => ({ value: r, label: t(`election.role.${r}`) }))} />
                </Form.Item>
                <Form.Item name={[field.name, 'votes']} noStyle>
                  <InputNumber min={0} placeholder={t('election.committee_votes')} aria-label={`${t('election.committee_votes')} ${index + 1}`} />
                </Form.Item>
                <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={`${t('election.remove_committee_member')} ${index + 1}`} />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: fields.length === 0 ? 'secretary' : 'committee_member' })}>{t('election.add_committee_member')}</Button>
          </Space>
        )}
      </Form.List>
    </Form.Item>
  );
}
