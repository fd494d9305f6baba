import * as vscode from 'vscode';

const TOKEN_KEY = 'hfVideo.token';

/** The Hugging Face token, kept only in SecretStorage and read fresh for every job. */
export class TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(TOKEN_KEY);
  }

  async set(token: string): Promise<void> {
    await this.secrets.store(TOKEN_KEY, token.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(TOKEN_KEY);
  }

  /** Asks for a token in a password box; returns it once stored, or undefined if the user backs out. */
  async ask(reason?: string): Promise<string | undefined> {
    const token = await vscode.window.showInputBox({
      title: 'Hugging Face Access Token',
      prompt: reason ?? 'Paste a Hugging Face access token with the "Make calls to Inference Providers" permission.',
      placeHolder: 'hf_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: validateToken,
    });
    if (!token) return undefined;
    await this.set(token);
    return token.trim();
  }

  async getOrAsk(): Promise<string | undefined> {
    return (await this.get()) ?? this.ask('A Hugging Face access token is needed to generate videos. Paste one with the "Make calls to Inference Providers" permission.');
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key === TOKEN_KEY) listener();
    });
  }
}

export function validateToken(value: string): string | undefined {
  const token = value.trim();
  if (!token) return 'Paste your token, or press Escape to cancel.';
  if (/\s/.test(token)) return 'A token has no spaces in it.';
  if (token.length < 8) return 'This is too short to be an access token.';
  return undefined;
}
