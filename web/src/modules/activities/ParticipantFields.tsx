import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Checkbox, Form, Select, Space, Spin } from 'antd';
import type { ParticipantSelection } from '../../../../contracts/activities.js';
import { MEMBER_STAGES, PARTY_MEMBER_STAGES, type MemberPage, type MemberStage } from '../../../../contracts/members.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

export interface ParticipantValues {
  participantOrgId?: string;
  includeSubOrgs?: boolean;
  stages?: MemberStage[];
  memberIds?: string[];
}

export const participantDefaults: ParticipantValues = { includeSubOrgs: false, stages: [...PARTY_MEMBER_STAGES], memberIds: [] };

/** The contract's selection from the form: members of an org (by stage), plus named persons. */
export function selectionOf(v: ParticipantValues): ParticipantSelection {
  return {
    orgIds: v.participantOrgId ? [v.participantOrgId] : [],
    includeSubOrgs: !!v.includeSubOrgs,
    stages: v.stages?.length ? v.stages : [...PARTY_MEMBER_STAGES],
    memberIds: v.memberIds ?? [],
  };
}

/** Who takes part: by org (and its subtree), by role (stage in the pipeline), or by person. */
export function ParticipantFields() {
  const t = useT();
  return (
    <>
      <Space align="end" wrap>
        <Form.Item name="participantOrgId" label={t('activity.participant_orgs')} style={{ minWidth: 260 }}><OrgTreeSelect placeholder={t('activity.org')} /></Form.Item>
        <Form.Item name="includeSubOrgs" valuePropName="checked"><Checkbox>{t('activity.include_sub_orgs')}</Checkbox></Form.Item>
      </Space>
      <Form.Item name="stages" label={t('activity.participant_stages')}>
        <Checkbox.Group options={MEMBER_STAGES.map((s) => ({ value: s, label: t(`activity.stage.${s}`) }))} />
      </Form.Item>
      <Form.Item name="memberIds" label={t('activity.participant_members')} extra={t('activity.participant_members_hint')}><MemberSelect /></Form.Item>
    </>
  );
}

/** Search members of the viewer's scope by name or pinyin; several may be chosen. */
function MemberSelect({ value, onChange, id }: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const [q, setQ] = useState('');
  const [labels, setLabels] = useState<Record<string, string>>({});
  const found = useQuery({
    queryKey: ['members', 'pick', q], enabled: q.trim().length > 0,
    queryFn: ({ signal }) => api.get<MemberPage>('/members', { q: q.trim(), pageSize: 20 }, signal),
  });
  const options = (found.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.orgName}）` }));
  return (
    <Select
      id={id}
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={(ids: string[], chosen) => {
        const list = Array.isArray(chosen) ? chosen : [chosen];
        setLabels((l) => ({ ...l, ...Object.fromEntries(list.flatMap((o) => (o?.value ? [[String(o.value), String(o.label)]] : []))) }));
        onChange?.(ids);
      }}
      options={[...options, ...(value ?? []).filter((v) => !options.some((o) => o.value === v)).map((v) => ({ value: v, label: labels[v] ?? v }))]}
      notFoundContent={found.isFetching ? <Spin size="small" /> : null}
      data-testid="participant-members"
    />
  );
}
