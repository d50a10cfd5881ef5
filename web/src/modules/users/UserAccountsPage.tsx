import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { KeyOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { MemberPage } from '../../../../contracts/members.js';
import type { RoleGrant, UserAccount, UserPage } from '../../../../contracts/users.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

const ROLES = ['platform_admin', 'org_admin', 'member', 'judge', 'inspector'] as const;
type Dialog = { kind: 'create' } | { kind: 'edit' | 'password'; user: UserAccount } | null;

export default function UserAccountsPage() {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [dialog, setDialog] = useState<Dialog>(null);
  const list = useQuery({
    queryKey: ['users', q, page],
    queryFn: () => api.get<UserPage>('/users', { q, page: page.current, pageSize: page.pageSize }),
    placeholderData: keepPreviousData,
  });
  const done = () => {
    setDialog(null);
    void queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  const setDisabled = (user: UserAccount, disabled: boolean) => {
    const run = async () => {
      try {
        await api.patch(`/users/${user.id}`, { disabled });
        done();
      } catch (error) {
        void message.error(errorMessage(error, t('app.error')));
      }
    };
    if (disabled) modal.confirm({ title: t('users.disable'), content: t('users.disable_confirm', { name: user.displayName }), okButtonProps: { danger: true }, onOk: run });
    else void run();
  };

  return (
    <Card title={t('users.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })}>{t('users.create')}</Button>}>
      <Input.Search allowClear placeholder={t('users.search')} style={{ width: 260, marginBottom: 16 }} onSearch={(v) => { setQ(v); setPage((p) => ({ ...p, current: 1 })); }} />
      <Table<UserAccount>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.display_name'), dataIndex: 'displayName' },
          { title: t('users.linked_member'), key: 'member', render: (_: unknown, u) => (u.memberName ? <>{u.memberName}<div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{u.memberOrgName}</Typography.Text></div></> : '—') },
          { title: t('users.roles'), key: 'roles', render: (_: unknown, u) => <Space size={[4, 4]} wrap>{u.roles.map((r) => <Tag key={`${r.role}:${r.orgId ?? ''}`}>{t(`users.role.${r.role}`)}{r.orgName ? ` · ${r.orgName}` : ''}</Tag>)}</Space> },
          { title: t('users.status'), dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag>{t('users.disabled')}</Tag> : <Tag color="success">{t('users.active')}</Tag>) },
          { title: t('users.last_seen'), dataIndex: 'lastSeenAt', render: (v: string | null) => formatTime(v) },
          {
            title: t('common.actions'), key: 'actions',
            render: (_: unknown, u) => u.canManage && (
              <Space size={4}>
                <Button size="small" onClick={() => setDialog({ kind: 'edit', user: u })}>{t('common.edit')}</Button>
                <Button size="small" icon={<KeyOutlined />} onClick={() => setDialog({ kind: 'password', user: u })}>{t('users.reset_password')}</Button>
                <Button size="small" danger={!u.disabled} onClick={() => setDisabled(u, !u.disabled)}>{u.disabled ? t('users.enable') : t('users.disable')}</Button>
              </Space>
            ),
          },
        ]}
      />
      {dialog?.kind === 'create' && <UserDialog onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'edit' && <UserDialog user={dialog.user} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'password' && <ResetPasswordDialog user={dialog.user} onClose={() => setDialog(null)} onDone={done} />}
    </Card>
  );
}

interface UserValues {
  username?: string;
  displayName: string;
  password?: string;
  memberId?: string | null;
  roles: { role: RoleGrant['role']; orgId?: string | null }[];
}

interface MemberOption { id: string; name: string; orgName: string | null }

/**
 * Finds a member on the roll (name, pinyin, last digits of the ID) to link an account to: the
 * link gives that account the member's self-service pages.
 */
function MemberPicker({ value, onChange, current, onPick, id }: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** The member linked now, shown before any search. */
  current: MemberOption | null;
  onPick?: (member: MemberOption | null) => void;
  id?: string;
}) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setTerm(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useQuery({
    queryKey: ['members', 'pick', term],
    queryFn: ({ signal }) => api.get<MemberPage>('/members', { q: term, pageSize: 20 }, signal),
    enabled: term.length > 0,
  });
  const members: MemberOption[] = found.data?.items.map((m) => ({ id: m.id, name: m.name, orgName: m.orgName })) ?? [];
  if (current && !members.some((m) => m.id === current.id)) members.unshift(current);
  return (
    <Select<string>
      id={id}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      value={value ?? undefined}
      onChange={(v?: string) => {
        onChange?.(v ?? null);
        onPick?.(members.find((m) => m.id === v) ?? null);
      }}
      placeholder={t('users.member_search')}
      loading={found.isFetching}
      notFoundContent={term ? t('users.member_none') : null}
      options={members.map((m) => ({ value: m.id, label: m.orgName ? `${m.name} · ${m.orgName}` : m.name }))}
      data-testid="member-picker"
    />
  );
}

function UserDialog({ user, onClose, onDone }: { user?: UserAccount; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { audiences } = useSession();
  const [form] = Form.useForm<UserValues>();
  const [saving, setSaving] = useState(false);
  const linked = user?.memberId ? { id: user.memberId, name: user.memberName ?? user.memberId, orgName: user.memberOrgName } : null;
  // a new account for a member: their name, and the self-service role instead of the untouched default
  const pickMember = (member: MemberOption | null) => {
    if (!member || user) return;
    if (!form.getFieldValue('displayName')) form.setFieldValue('displayName', member.name);
    const roles = form.getFieldValue('roles') as UserValues['roles'] | undefined;
    if (roles?.length === 1 && roles[0]?.role === 'org_admin' && !roles[0].orgId) form.setFieldValue('roles', [{ role: 'member' }]);
  };
  const roleOptions = ROLES.filter((r) => r !== 'platform_admin' || audiences.has('platformAdmin')).map((r) => ({ value: r, label: t(`users.role.${r}`) }));
  const submit = async (v: UserValues) => {
    setSaving(true);
    const roles = v.roles.map((r) => ({ role: r.role, orgId: r.role === 'platform_admin' ? null : (r.orgId ?? null) }));
    try {
      const memberId = v.memberId ?? null;
      if (user) await api.patch(`/users/${user.id}`, { displayName: v.displayName, memberId, roles });
      else await api.post('/users', { username: v.username, displayName: v.displayName, password: v.password, memberId, roles });
      void message.success(user ? t('common.saved') : t('users.created'));
      onDone();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open width={600} title={user ? `${t('users.edit')} · ${user.username}` : t('users.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form<UserValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={user ? { displayName: user.displayName, memberId: user.memberId, roles: user.roles.map((r) => ({ role: r.role, orgId: r.orgId })) } : { roles: [{ role: 'org_admin' }] }}>
        {!user && <Form.Item name="username" label={t('users.username')} rules={[{ required: true, message: t('users.username') }]}><Input autoComplete="off" maxLength={50} /></Form.Item>}
        <Form.Item name="displayName" label={t('users.display_name')} rules={[{ required: true, message: t('users.display_name') }]}><Input maxLength={50} /></Form.Item>
        <Form.Item name="memberId" label={t('users.linked_member')} extra={t('users.member_hint')}>
          <MemberPicker current={linked} onPick={pickMember} />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label={t('users.password')} extra={t('auth.password_hint')} rules={[{ required: true, message: t('users.password') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.List name="roles">
          {(fields, { add, remove }) => (
            <>
              <Typography.Text strong>{t('users.roles')}</Typography.Text>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item name={[field.name, 'role']} rules={[{ required: true }]} style={{ marginBottom: 0 }}>
                    <Select options={roleOptions} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => form.getFieldValue(['roles', field.name, 'role']) !== 'platform_admin' && (
                      <Form.Item name={[field.name, 'orgId']} style={{ marginBottom: 0 }}>
                        <OrgTreeSelect placeholder={t('users.org')} style={{ width: 260 }} />
                      </Form.Item>
                    )}
                  </Form.Item>
                  {fields.length > 1 && <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: 'org_admin' })} style={{ marginTop: 8 }}>{t('users.add_role')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function ResetPasswordDialog({ user, onClose, onDone }: { user: UserAccount; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async (v: { newPassword: string }) => {
    setSaving(true);
    try {
      await api.post(`/users/${user.id}/reset-password`, v);
      void message.success(t('users.password_reset_ok'));
      onDone();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={`${t('users.reset_password')} · ${user.username}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="newPassword" label={t('users.new_password')} extra={t('auth.password_hint')} rules={[{ required: true, message: t('users.new_password') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
