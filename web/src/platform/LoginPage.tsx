import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Card, Dropdown, Form, Input, Typography } from 'antd';
import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import type { Login } from '../../../contracts/auth.js';
import { useLocale } from './locale.js';
import { useSession } from './session.js';
import { errorMessage } from './status.js';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from './i18n.js';

export default function LoginPage() {
  const { t, lang, setLang } = useLocale();
  const { me, login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  if (me) return <Navigate to={from ?? '/'} replace />;

  const submit = async (values: Login) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values);
      void navigate(from ?? '/', { replace: true });
    } catch (e) {
      setError(errorMessage(e, t('app.error')));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, background: 'linear-gradient(160deg, #c0161b 0%, #8c0f13 45%, #f5f5f5 45%)' }}>
      <Card style={{ width: '100%', maxWidth: 380 }} styles={{ body: { padding: 28 } }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'start' }}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('app.name')}</Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
          <Dropdown menu={{ items: LANGUAGES.map((l) => ({ key: l, label: LANGUAGE_NAMES[l] })), selectable: true, selectedKeys: [lang], onClick: ({ key }) => setLang(key as Language) }} trigger={['click']}>
            <Button type="text" icon={<GlobalOutlined />} aria-label={t('lang.switch')} data-testid="language-switch" />
          </Dropdown>
        </div>
        <Form<Login> layout="vertical" style={{ marginTop: 24 }} onFinish={(v) => void submit(v)} requiredMark={false}>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.required_username') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.required_password') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={submitting}>{t('auth.login')}</Button>
        </Form>
      </Card>
    </div>
  );
}
