import type { HostMessage, PlayerState, WebviewMessage } from '../shared/protocol';

/** What `acquireVsCodeApi()` returns; kept inside this module, never on a global. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/**
 * A webview's end of its protocol: typed sends, and only well-formed host messages handed on. The player's
 * page speaks the player's tables; the compare view and the studio pass their own guards and types.
 */
export class Messaging<Out = WebviewMessage, In = HostMessage, State = PlayerState> {
  constructor(
    private readonly api: VsCodeApi,
    private readonly window: Window,
    private readonly accepts: (value: unknown) => value is In,
  ) {}

  send(message: Out): void {
    this.api.postMessage(message);
  }

  onMessage(handler: (message: In) => void): void {
    this.window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (this.accepts(event.data)) handler(event.data);
    });
  }

  /** Kept so VS Code can bring the panel back after a window reload (for the player: the job's id, nothing else). */
  remember(state: State): void {
    this.api.setState(state);
  }
}

/** The player's state inside another page's state (the studio's), so the two never overwrite each other. */
export function nestedState(api: VsCodeApi, key: string): VsCodeApi {
  const outer = () => (api.getState() ?? {}) as Record<string, unknown>;
  return { postMessage: (message) => api.postMessage(message), getState: () => outer()[key], setState: (state) => api.setState({ ...outer(), [key]: state }) };
}
