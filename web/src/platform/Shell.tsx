import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Badge, Button, Drawer, Dropdown, Form, Grid, Input, Layout, Menu, Modal, Spin, Typography, type MenuProps } from 'antd';
import { BellOutlined, DownOutlined, GlobalOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, PoweroffOutlined, UserOutlined } from '@ant-design/icons';
import { useLocale } from './locale.js';
import { useSession } from './session.js';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from './i18n.js';
import { api, showFieldErrors, ApiError } from './api.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { menuGroups, type ConsoleEntry, type ConsoleSection } from './menu.js';

const { Header, Sider, Content } = Layout;

/** The menu entry a location belongs to: the longest menu path or owned route that matches. */
export function entryOf(pathname: string, entries: readonly ConsoleEntry[]): ConsoleEntry | undefined {
  let best: { entry: ConsoleEntry; score: number } | undefined;
  for (const entry of entries) {
    for (const path of [entry.path, ...(entry.routes ?? []).map((r) => r.path)]) {
      const pattern = new RegExp(`^${path.replace(/:[^/]+/g, '[^/]+')}/?$`);
      if (pattern.test(pathname) && (!best || path.length > best.score)) best = { entry, score: path.length };
    }
  }
  return best?.entry;
}

/** The signed-in console around the page: the menu of `entries` grouped by `sections` (the module registry's), as menuGroups places them for the user. */
export function Shell({ sections, entries }: { sections: readonly ConsoleSection[]; entries: readonly ConsoleEntry[] }) {
  const { t, lang, setLang } = useLocale();
  const { me, audiences, logout, logoutEverywhere } = useSession();
  const { modal, message } = AntApp.useApp();
  const screens = Grid.useBreakpoint();
  const isSmall = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  // after an administrator's reset the console offers nothing but choosing a new password
  const mustChangePassword = me?.user.mustChangePassword === true;
  // an inspector or a liaison who administers nothing: the admin pages they see are for reading
  const readOnly = audiences.has('inspector') && !me?.user.roles.some((r) => r.role === 'org_admin' || r.role === 'platform_admin');
  const location = useLocation();
  const navigate = useNavigate();
  useFocusableScrollRegions();

  const groups = useMemo(() => menuGroups(sections, entries, audiences), [sections, entries, audiences]);
  const visible = useMemo(() => groups.flatMap((g) => g.entries), [groups]);
  const current = entryOf(location.pathname, visible);
  const currentSection = current && groups.find((g) => g.entries.includes(current))?.section.key;

  // one work at a time: each section folds, and the one the page belongs to opens as the page does;
  // a user with one section (a member: 我的) sees its entries without a fold
  const isFolded = groups.length > 1;
  const [openKeys, setOpenKeys] = useState<string[]>(() => (currentSection ? [`section-${currentSection}`] : []));
  useEffect(() => {
    if (currentSection) setOpenKeys((keys) => (keys.includes(`section-${currentSection}`) ? keys : [...keys, `section-${currentSection}`]));
  }, [currentSection]);
  const menuItems: MenuProps['items'] = groups.map(({ section, entries }) => {
    const children = entries.map((e) => ({ key: e.key, icon: <e.icon />, label: <Link to={e.path}>{t(e.label)}</Link> }));
    const key = `section-${section.key}`;
    return isFolded ? { key, icon: <section.icon />, label: t(section.label), children } : { type: 'group' as const, key, label: t(section.label), children };
  });

  const menu = (
    <Menu
      mode="inline"
      theme="light"
      selectedKeys={current ? [current.key] : []}
      // the collapsed sider opens a section as a popup, on hover: the menu keeps that state itself
      openKeys={isFolded && !(collapsed && !isSmall) ? openKeys : undefined}
      onOpenChange={setOpenKeys}
      items={menuItems}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 'none' }}
      aria-label={t('app.main_menu')}
      data-testid="main-menu"
    />
  );

  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: t('auth.change_password'), onClick: () => setPasswordOpen(true) },
    {
      key: 'everywhere', icon: <PoweroffOutlined />, label: t('auth.logout_everywhere'),
      onClick: () => modal.confirm({
        title: t('auth.logout_everywhere'),
        content: t('auth.logout_everywhere_confirm'),
        onOk: async () => {
          const n = await logoutEverywhere();
          void message.success(t('auth.logged_out_everywhere', { n }));
          void navigate('/login');
        },
      }),
    },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), onClick: () => void logout().then(() => navigate('/login')) },
  ];

  const languageMenu: MenuProps = {
    items: LANGUAGES.map((l) => ({ key: l, label: LANGUAGE_NAMES[l] })),
    selectable: true,
    selectedKeys: [lang],
    onClick: ({ key }) => setLang(key as Language),
  };

  const brand = (
    <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, color: 'inherit' }}>
      <span aria-hidden style={{ width: 28, height: 28, borderRadius: 6, background: '#c0161b', color: '#ffd700', display: 'inline-flex', alignItems: 'center', justifyContent: 'center', fontWeight: 700 }}>党</span>
      {!(collapsed && !isSmall) && <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'nowrap' }}>{t('app.name')}</Typography.Text>}
    </Link>
  );

  return (
    <Layout style={{ minHeight: '100%' }}>
      {!isSmall && (
        <Sider theme="light" width={216} collapsible collapsed={collapsed} onCollapse={setCollapsed} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div style={{ height: 56, display: 'flex', alignItems: 'center', padding: '0 20px' }}>{brand}</div>
          {menu}
        </Sider>
      )}
      {isSmall && (
        <Drawer placement="left" open={drawerOpen} onClose={() => setDrawerOpen(false)} size={260} title={brand} styles={{ body: { padding: 0 } }}>
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header style={{ background: '#fff', padding: isSmall ? '0 12px' : '0 24px', display: 'flex', alignItems: 'center', gap: 8, height: 56, lineHeight: '56px', borderBottom: '1px solid #f0f0f0', position: 'sticky', top: 0, zIndex: 10 }}>
          {isSmall && <Button type="text" icon={<MenuOutlined />} aria-label={t('app.open_menu')} data-testid="menu-button" onClick={() => setDrawerOpen(true)} />}
          {isSmall && brand}
          <div style={{ flex: 1 }} />
          {!mustChangePassword && <InboxBell />}
          <Dropdown menu={languageMenu} trigger={['click']}>
            <Button type="text" icon={<GlobalOutlined />} aria-label={isSmall ? t('lang.switch') : `${t('lang.switch')}：${LANGUAGE_NAMES[lang]}`} data-testid="language-switch">
              {!isSmall && LANGUAGE_NAMES[lang]}
            </Button>
          </Dropdown>
          <Dropdown menu={{ items: userMenu }} trigger={['click']}>
            <Button type="text" data-testid="user-menu">
              <UserOutlined />
              <span style={{ maxWidth: isSmall ? 96 : 200, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{me?.user.displayName}</span>
              <DownOutlined style={{ fontSize: 10 }} />
            </Button>
          </Dropdown>
        </Header>
        <Content style={{ padding: isSmall ? 12 : 24, minWidth: 0 }}>
          {mustChangePassword
            ? <Alert type="warning" showIcon message={t('auth.password_change_required')} action={<Button onClick={() => setPasswordOpen(true)}>{t('auth.change_password')}</Button>} />
            : (
              <ErrorBoundary key={location.pathname}>
                {readOnly && <Alert type="info" showIcon message={t('shell.read_only')} style={{ marginBottom: 12 }} data-testid="read-only-banner" />}
                <Suspense fallback={<div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>}>
                  <Outlet />
                </Suspense>
              </ErrorBoundary>
            )}
        </Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen || mustChangePassword} required={mustChangePassword} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}

/** The header's bell: the unread count of the user's inbox, a link to it (polled each minute and on focus). */
function InboxBell() {
  const { t } = useLocale();
  const unread = useQuery({
    queryKey: ['inbox', 'unread-count'],
    queryFn: () => api.get<{ unread: number }>('/inbox/unread-count'),
    refetchInterval: 60_000,
  });
  const n = unread.data?.unread ?? 0;
  return (
    <Link to="/me/inbox" aria-label={n ? t('inbox.bell_unread', { n }) : t('inbox.bell')} data-testid="inbox-bell"
      style={{ display: 'inline-flex', alignItems: 'center', padding: '0 8px', height: 40, color: 'inherit' }}>
      <Badge count={n} size="small" overflowCount={99}>
        <BellOutlined style={{ fontSize: 18 }} aria-hidden />
      </Badge>
    </Link>
  );
}

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

function ChangePasswordModal({ open, required, onClose }: { open: boolean; required: boolean; onClose: () => void }) {
  const { t } = useLocale();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PasswordForm>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: PasswordForm) => {
    setSaving(true);
    try {
      await api.post('/auth/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
      void message.success(t('auth.password_changed'));
      form.resetFields();
      onClose();
      if (required) await queryClient.invalidateQueries({ queryKey: ['auth', 'me'] });
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? (error instanceof ApiError ? error.message : t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={open} title={t(required ? 'auth.password_change_required' : 'auth.change_password')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden
      closable={!required} maskClosable={!required} keyboard={!required} cancelButtonProps={required ? { style: { display: 'none' } } : undefined}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
        <Form.Item name="currentPassword" label={t('auth.current_password')} rules={[{ required: true, message: t('auth.required_password') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('auth.new_password')} extra={t('auth.password_hint')} rules={[{ required: true, message: t('auth.required_password') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm" label={t('auth.confirm_password')} dependencies={['newPassword']}
          rules={[{ required: true, message: t('auth.required_password') }, ({ getFieldValue }) => ({
            validator: (_, value) => (!value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t('auth.password_mismatch')))),
          })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * A table wider than its card (on a phone) scrolls sideways: such a region takes the keyboard's
 * focus, so that it can be scrolled without a mouse (WCAG 2.1.1); one that fits is not a tab stop.
 */
function useFocusableScrollRegions(): void {
  useEffect(() => {
    const mark = () => {
      for (const el of document.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body')) {
        const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
        if (scrolls && !el.hasAttribute('tabindex')) {
          el.tabIndex = 0;
          el.dataset.scrollRegion = '1';
        } else if (!scrolls && el.dataset.scrollRegion) {
          el.removeAttribute('tabindex');
          delete el.dataset.scrollRegion;
        }
      }
    };
    let frame = 0;
    const schedule = () => { cancelAnimationFrame(frame); frame = requestAnimationFrame(mark); };
    const observer = new MutationObserver(schedule);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', schedule);
    schedule();
    return () => { observer.disconnect(); window.removeEventListener('resize', schedule); cancelAnimationFrame(frame); };
  }, []);
}
