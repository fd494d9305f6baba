import * as vscode from 'vscode';
import type { Account } from '../core/account';
import { HfVideoError, TOKEN_SETTINGS_URL } from '../core/errors';
import type { Credentials } from '../core/videoClient';
import { PROVIDERS, type ProviderName } from '../core/types';

const TOKEN_KEY = 'hfVideo.token';
const providerKeyName = (provider: ProviderName) => `hfVideo.providerKey.${provider}`;
const ASK_TOKEN = vscode.l10n.t('Paste a Hugging Face access token with the "Make calls to Inference Providers" permission.');
const STORE_UNCHECKED = vscode.l10n.t('Store Unchecked');
const CREATE_TOKEN = vscode.l10n.t('Create Token');

/** Asks the Hub whose token this is; throws its refusal (`auth`) or why it could not be asked (`network`, `unavailable`). */
export type TokenCheck = (token: string) => Promise<Account>;

/** The Hugging Face token and providers' own keys, kept only in SecretStorage and read fresh for every job. */
export class TokenStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly check: TokenCheck,
  ) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(TOKEN_KEY);
  }

  /** Stores a token only once the Hub accepted it; a refused one throws and leaves the stored token as it was. */
  async signIn(token: string): Promise<Account> {
    const account = await this.check(token.trim());
    await this.secrets.store(TOKEN_KEY, token.trim());
    return account;
  }

  /** Who the stored token signs in as; undefined when none is stored. Throws like `signIn`. */
  async account(): Promise<Account | undefined> {
    const token = await this.get();
    return token ? this.check(token) : undefined;
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
    const asked = await this.ask(vscode.l10n.t('A Hugging Face access token is needed to generate videos. Paste a Hugging Face access token with the "Make calls to Inference Providers" permission.'));
    return asked ? { hfToken: asked, providerKeys } : undefined;
  }

  /**
   * Asks for a token in a password box until the Hub accepts one; returns it once stored, or undefined
   * if the user backs out. A refused token is never stored: the box opens again saying why.
   */
  async ask(reason = ASK_TOKEN): Promise<string | undefined> {
    for (let prompt = reason; ; ) {
      const token = await askSecret(vscode.l10n.t('Hugging Face Access Token'), prompt, 'hf_…');
      if (!token) return undefined;
      const outcome = await this.signInOrExplain(token);
      if (outcome.refusal === undefined) return outcome.stored ? token : undefined;
      prompt = vscode.l10n.t('{0} It was not stored: paste another token, or press Escape to cancel.', outcome.refusal);
    }
  }

  /**
   * Signs in with a token the user gave, telling them who they are. When the Hub cannot be asked, the
   * user may store it unchecked; when the Hub refused it, nothing is stored and `refusal` says why.
   */
  async signInOrExplain(token: string): Promise<{ stored: boolean; refusal?: string }> {
    try {
      announceSignIn(await this.signIn(token));
      return { stored: true };
    } catch (error) {
      if (!(error instanceof HfVideoError)) throw error;
      if (error.kind !== 'network' && error.kind !== 'unavailable') return { stored: false, refusal: error.userMessage };
      const picked = await vscode.window.showWarningMessage(vscode.l10n.t('{0} The token could not be checked. Store it anyway?', error.userMessage), { modal: true }, STORE_UNCHECKED);
      if (picked !== STORE_UNCHECKED) return { stored: false };
      await this.secrets.store(TOKEN_KEY, token.trim());
      return { stored: true };
    }
  }
}

/** Says who the token signs in as, and warns when the Hub shows it cannot call Inference Providers. */
export function announceSignIn(account: Account): void {
  if (account.canCallInference) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Hugging Face as {0}.', account.name));
    return;
  }
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t('Signed in to Hugging Face as {0}, but this token lacks the "Make calls to Inference Providers" permission, so generations will be refused. Create a fine-grained token with that permission and set it instead.', account.name),
      CREATE_TOKEN,
    )
    .then((picked) => picked === CREATE_TOKEN && vscode.env.openExternal(vscode.Uri.parse(TOKEN_SETTINGS_URL)));
}

export function askSecret(title: string, prompt: string, placeHolder: string): Thenable<string | undefined> {
  return vscode.window
    .showInputBox({ title, prompt, placeHolder, password: true, ignoreFocusOut: true, validateInput: validateToken })
    .then((value) => value?.trim() || undefined);
}

/**
 * Why a character cannot be in a token. Characters that sneak in when a token is copied from a web page
 * or a chat are named so the user can find them; `code` is its U+ number.
 */
function foreignCharacter(character: string, code: string): string {
  const name = CHARACTER_NAMES[character]?.() ?? vscode.l10n.t('the character "{0}"', character);
  return vscode.l10n.t('This contains {0} ({1}); tokens and keys are plain ASCII letters, digits and symbols. Copy it again, or type it.', name, code);
}

/** Characters that look like nothing, by the name a user can search for. */
const CHARACTER_NAMES: Record<string, () => string> = {
  '\t': () => vscode.l10n.t('a tab'),
  '\n': () => vscode.l10n.t('a line break'),
  '\r': () => vscode.l10n.t('a line break'),
  '\u200b': () => vscode.l10n.t('a zero-width space'),
  '\u200c': () => vscode.l10n.t('a zero-width non-joiner'),
  '\u200d': () => vscode.l10n.t('a zero-width joiner'),
  '\u2060': () => vscode.l10n.t('a word joiner'),
  '\ufeff': () => vscode.l10n.t('a byte order mark'),
  '\u00a0': () => vscode.l10n.t('a non-breaking space'),
};

/** Tokens and keys are printable ASCII without spaces; anything else could never be sent in a header. */
export function validateToken(value: string): string | undefined {
  const token = value.trim();
  if (!token) return vscode.l10n.t('Paste your token, or press Escape to cancel.');
  const foreign = /[^\x20-\x7e]/u.exec(token)?.[0];
  if (foreign) {
    const code = `U+${foreign.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return foreignCharacter(foreign, code);
  }
  if (token.includes(' ')) return vscode.l10n.t('A token has no spaces in it.');
  if (token.length < 8) return vscode.l10n.t('This is too short to be an access token.');
  return undefined;
}
