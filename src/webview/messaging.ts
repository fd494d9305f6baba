import { isHostMessage, type HostMessage, type PlayerState, type WebviewMessage } from '../shared/protocol';

/** What `acquireVsCodeApi()` returns; kept inside this module, never on a global. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** The webview's end of the protocol: typed sends, and only well-formed host messages handed on. */
export class Messaging {
  constructor(
    private readonly api: VsCodeApi,
    private readonly window: Window,
  ) {}

  send(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  onMessage(handler: (message: HostMessage) => void): void {
    this.window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (isHostMessage(event.data)) handler(event.data);
    });
  }

  /** Kept so VS Code can bring the panel back after a window reload: the job's id, nothing else. */
  remember(state: PlayerState): void {
    this.api.setState(state);
  }
}
