import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import type { MemberPage } from '../../../../contracts/members.js';
import { api } from '../../platform/api.js';

/** One member of the viewer's scope, found by name or pinyin (the members list answers only what the viewer may see). */
export function MemberPicker({ value, onChange, id, placeholder, testId, style }: {
  value?: string; onChange?: (v: string | undefined) => void; id?: string; placeholder?: string; testId?: string; style?: React.CSSProperties;
}) {
  const [q, setQ] = useState('');
  const [label, setLabel] = useState<string>();
  const found = useQuery({
    queryKey: ['members', 'pick', q], enabled: q.trim().length > 0,
    queryFn: ({ signal }) => api.get<MemberPage>('/members', { q: q.trim(), pageSize: 20 }, signal),
  });
  const options = (found.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.orgName}）` }));
  if (value && !options.some((o) => o.value === value)) options.push({ value, label: label ?? value });
  return (
    <Select aria-label={id ? undefined : placeholder}
      id={id}
      allowClear
      placeholder={placeholder}
      style={style}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={(v: string | undefined, chosen) => {
        const option = Array.isArray(chosen) ? chosen[0] : chosen;
        setLabel(option?.label ? String(option.label) : undefined);
        onChange?.(v);
      }}
      options={options}
      notFoundContent={found.isFetching ? <Spin size="small" /> : null}
      data-testid={testId}
    />
  );
}
