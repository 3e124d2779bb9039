import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';

interface Props {
  /** What this boundary guards, for the message ("the diagram"). */
  area: string;
  children: ReactNode;
  /** Offered beside "Try again": e.g. undo the act that led here. */
  onUndo?: () => void;
}

interface State {
  error: Error | null;
}

/**
 * A bad state must never blank the screen: each region has its own boundary, so a failing
 * panel shows what happened and a way out while the rest keeps working.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`StateLab: ${this.props.area} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="boundary">
        <p>
          <strong>Something went wrong showing {this.props.area}.</strong> {error.message}
        </p>
        <p className="boundary-actions">
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          {this.props.onUndo && (
            <button
              type="button"
              onClick={() => {
                this.props.onUndo?.();
                this.setState({ error: null });
              }}
            >
              Undo last action
            </button>
          )}
        </p>
      </div>
    );
  }
}
