import { isHostMessage, type HostMessage, type PlayerState, type WebviewMessage } from '../shared/protocol';

/** What `acquireVsCodeApi()` returns; kept inside this module, never on a global. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/**
 * A webview's end of its protocol: typed sends, and only well-formed host messages handed on. The
 * player's protocol by default; the compare view passes its own guard and types.
 */
export class Messaging<Sent = WebviewMessage, Received = HostMessage, State = PlayerState> {
  constructor(
    private readonly api: VsCodeApi,
    private readonly window: Window,
    private readonly isReceived: (value: unknown) => value is Received = isHostMessage as unknown as (value: unknown) => value is Received,
  ) {}

  send(message: Sent): void {
    this.api.postMessage(message);
  }

  onMessage(handler: (message: Received) => void): void {
    this.window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (this.isReceived(event.data)) handler(event.data);
    });
  }

  /** Kept so VS Code can bring the panel back after a window reload: an id, nothing else. */
  remember(state: State): void {
    this.api.setState(state);
  }
}
