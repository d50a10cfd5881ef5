import { useEffect, useState } from 'react';
import { App, Form, Input, Modal, Select, Typography } from 'antd';
import type { IssueTransfer, Transfer, TransferTargetPage } from '../../../../contracts/transfers.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useLatestRequest } from '../../platform/latest-request.js';
import { useT } from '../../platform/locale.js';

interface Values {
  toOrgId: string;
  reason: string;
  note?: string;
}

/** 开具组织关系转接: the receiving org is searched over the whole tree (names only). */
export function IssueTransferDialog({ member, onClose, onIssued }: { member: { id: string; name: string; orgId: string }; onClose: () => void; onIssued: (t: Transfer) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [options, setOptions] = useState<{ value: string; label: React.ReactNode; title: string }[]>([]);
  const [searching, setSearching] = useState(false);
  const { saving, run } = useFormSubmit(form);

  const begin = useLatestRequest();
  const search = async (q: string) => {
    const isLatest = begin();
    setSearching(true);
    try {
      const page = await api.get<TransferTargetPage>('/transfers/targets', { q, pageSize: 30 });
      if (!isLatest()) return;
      setOptions(page.items.filter((o) => o.id !== member.orgId).map((o) => ({
        value: o.id,
        title: o.name,
        label: <div><div>{o.name}（{t(`org_type.${o.type}`)}）</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{o.pathNames}</Typography.Text></div>,
      })));
    } finally {
      if (isLatest()) setSearching(false);
    }
  };
  useEffect(() => {
    void search('');
    // first page of targets when the dialog opens
  }, []);

  const submit = (v: Values) => run(async () => {
    const transfer = await api.post<Transfer>('/transfers', { memberId: member.id, toOrgId: v.toOrgId, reason: v.reason, note: v.note ?? '' } satisfies IssueTransfer);
    void message.success(t('transfer.issued_ok'));
    onIssued(transfer);
  });

  return (
    <Modal open title={`${t('transfer.issue')} · ${member.name}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="transfer-form">
        <Form.Item name="toOrgId" label={t('transfer.target')} rules={[{ required: true, message: t('transfer.target') }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
            options={options}
            optionLabelProp="title"
            loading={searching}
            placeholder={t('transfer.target_search')}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('transfer.reason')} rules={[{ required: true, message: t('transfer.reason') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="note" label={t('transfer.note')}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
