import * as vscode from 'vscode';
import type { Credentials } from '../core/videoClient';
import { PROVIDERS, type ProviderName } from '../core/types';

const TOKEN_KEY = 'hfVideo.token';
const providerKeyName = (provider: ProviderName) => `hfVideo.providerKey.${provider}`;

/** The Hugging Face token and providers' own keys, kept only in SecretStorage and read fresh for every job. */
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

  async setProviderKey(provider: ProviderName, key: string): Promise<void> {
    await this.secrets.store(providerKeyName(provider), key.trim());
  }

  async clearProviderKey(provider: ProviderName): Promise<void> {
    await this.secrets.delete(providerKeyName(provider));
  }

  async providerKeys(): Promise<Partial<Record<ProviderName, string>>> {
    const keys: Partial<Record<ProviderName, string>> = {};
    for (const provider of PROVIDERS) {
      const key = await this.secrets.get(providerKeyName(provider));
      if (key) keys[provider] = key;
    }
    return keys;
  }

  /** What is stored now, without asking: what a job resumed after a reload runs with. */
  async stored(): Promise<Credentials> {
    return { hfToken: await this.get(), providerKeys: await this.providerKeys() };
  }

  /**
   * What a job needs: provider keys where the user stored them, and the HF token, asked for when
   * missing unless the chosen provider has its own key. Undefined when the user backs out.
   */
  async credentials(provider: string): Promise<Credentials | undefined> {
    const providerKeys = await this.providerKeys();
    const hfToken = await this.get();
    if (hfToken || providerKeys[provider as ProviderName]) return { hfToken, providerKeys };
    const asked = await this.ask('A Hugging Face access token is needed to generate videos. Paste one with the "Make calls to Inference Providers" permission.');
    return asked ? { hfToken: asked, providerKeys } : undefined;
  }

  /** Asks for a token in a password box; returns it once stored, or undefined if the user backs out. */
  async ask(reason?: string): Promise<string | undefined> {
    const token = await askSecret('Hugging Face Access Token', reason ?? 'Paste a Hugging Face access token with the "Make calls to Inference Providers" permission.', 'hf_…');
    if (!token) return undefined;
    await this.set(token);
    return token;
  }
}

export function askSecret(title: string, prompt: string, placeHolder: string): Thenable<string | undefined> {
  return vscode.window
    .showInputBox({ title, prompt, placeHolder, password: true, ignoreFocusOut: true, validateInput: validateToken })
    .then((value) => value?.trim() || undefined);
}

export function validateToken(value: string): string | undefined {
  const token = value.trim();
  if (!token) return 'Paste your token, or press Escape to cancel.';
  if (/\s/.test(token)) return 'A token has no spaces in it.';
  if (token.length < 8) return 'This is too short to be an access token.';
  return undefined;
}
