import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Result } from 'antd';

interface State {
  error: Error | null;
}

/** A page that throws while rendering shows a message instead of blanking the whole console. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Result
        status="error"
        title={document.documentElement.lang === 'en' ? 'Something went wrong' : '出错了'}
        subTitle={this.state.error.message}
        extra={<Button onClick={() => this.setState({ error: null })}>↻</Button>}
      />
    );
  }
}
