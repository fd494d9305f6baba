import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { findTokenSource } from '../../core/account';
import { HfVideoError } from '../../core/errors';
import { PROVIDERS, isProviderName, type ProviderName } from '../../core/types';
import { announceSignIn, askSecret, validateToken, type TokenStore } from '../tokenStore';

/** Set once the user answered the offer to import a token from HF_TOKEN or the Hugging Face CLI. */
const IMPORT_ANSWERED = 'hfVideo.tokenImportAnswered';
const SET_TOKEN = vscode.l10n.t('Set Access Token');
const IMPORT_TOKEN = vscode.l10n.t('Import Token');
const NO_THANKS = vscode.l10n.t('No, Thanks');

export function registerTokenCommands(tokens: TokenStore): vscode.Disposable[] {
  return [
    // An argument lets scripts and tests set the token without the input box; a refused one throws the Hub's reason.
    vscode.commands.registerCommand('hfVideo.setToken', async (token?: unknown) => {
      if (typeof token !== 'string') {
        await tokens.ask();
        return undefined;
      }
      const problem = validateToken(token);
      if (problem) throw new Error(problem);
      const account = await tokens.signIn(token);
      announceSignIn(account);
      return account;
    }),
    vscode.commands.registerCommand('hfVideo.clearToken', async () => {
      const had = await tokens.get();
      await tokens.clear();
      void vscode.window.showInformationMessage(had ? vscode.l10n.t('Your Hugging Face access token was removed.') : vscode.l10n.t('No Hugging Face access token was stored.'));
    }),
    vscode.commands.registerCommand('hfVideo.showSignInStatus', async () => {
      const { message, signedIn } = await signInStatus(tokens);
      const show = signedIn ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void Promise.resolve(show(message, ...(signedIn ? [] : [SET_TOKEN]))).then(async (picked) => {
        if (picked === SET_TOKEN) await tokens.ask();
      });
      return message;
    }),
    vscode.commands.registerCommand('hfVideo.setProviderKey', async (provider?: unknown, key?: unknown) => {
      const name = isProviderName(provider) ? provider : await pickProvider(vscode.l10n.t('Which provider is the key for?'));
      if (!name) return;
      const problem = typeof key === 'string' ? validateToken(key) : undefined;
      if (problem) throw new Error(problem);
      const secret = typeof key === 'string' ? key : await askSecret(
            vscode.l10n.t('{0} API Key', name),
            vscode.l10n.t('Paste your own {0} API key. Requests for {0} then go straight to {0} and are billed by {0}, not Hugging Face.', name),
            vscode.l10n.t('key'),
          );
      if (!secret) return;
      await tokens.setProviderKey(name, secret);
      void vscode.window.showInformationMessage(vscode.l10n.t('Your {0} key is stored in VS Code\'s secret storage; {0} jobs now go straight to {0}.', name));
    }),
    vscode.commands.registerCommand('hfVideo.clearProviderKey', async (provider?: unknown) => {
      const stored = Object.keys(await tokens.providerKeys()) as ProviderName[];
      const name = isProviderName(provider) ? provider : stored.length ? await pickProvider(vscode.l10n.t('Which provider key should be removed?'), stored) : undefined;
      if (!name) {
        if (!stored.length) void vscode.window.showInformationMessage(vscode.l10n.t('No provider keys are stored.'));
        return;
      }
      await tokens.clearProviderKey(name);
      void vscode.window.showInformationMessage(vscode.l10n.t('Your {0} key was removed; {0} jobs go through Hugging Face again.', name));
    }),
  ];
}

/** Who the stored token signs in as (the Hub is asked), and which providers have a key: names only, never values. */
async function signInStatus(tokens: TokenStore): Promise<{ message: string; signedIn: boolean }> {
  const keys = Object.keys(await tokens.providerKeys());
  const keysLine = keys.length ? vscode.l10n.t('Provider keys are stored for {0}.', keys.join(', ')) : vscode.l10n.t('No provider keys are stored.');
  // Whole sentences, joined by spaces.
  const sentences = (...parts: Array<string | undefined>) => parts.filter((part) => !!part).join(' ');
  try {
    const account = await tokens.account();
    if (!account) return { message: sentences(vscode.l10n.t('No Hugging Face access token is stored.'), keysLine), signedIn: false };
    const who = account.tokenName
      ? vscode.l10n.t('Signed in to Hugging Face as {0} with the token "{1}".', account.name, account.tokenName)
      : vscode.l10n.t('Signed in to Hugging Face as {0}.', account.name);
    const lacks = account.canCallInference ? undefined : vscode.l10n.t('This token lacks the "Make calls to Inference Providers" permission.');
    return { message: sentences(who, lacks, keysLine), signedIn: account.canCallInference };
  } catch (error) {
    if (!(error instanceof HfVideoError)) throw error;
    const unchecked = error.kind === 'network' || error.kind === 'unavailable';
    return { message: sentences(error.userMessage, unchecked ? vscode.l10n.t('The stored token could not be checked.') : undefined, keysLine), signedIn: unchecked };
  }
}

/**
 * When no token is stored but HF_TOKEN is set or the Hugging Face CLI saved one, offers once to import it.
 * Nothing is read before the user says yes; closing the notification without an answer asks again next time.
 */
export async function offerTokenImport(tokens: TokenStore, memory: vscode.Memento): Promise<void> {
  if (memory.get<boolean>(IMPORT_ANSWERED) || (await tokens.get())) return;
  const source = findTokenSource();
  if (!source) return;
  const fromEnvironment = source.kind === 'environment';
  const offer = fromEnvironment
    ? vscode.l10n.t('A Hugging Face access token is available in the HF_TOKEN environment variable. Import it? It is checked with the Hub, then kept in VS Code\'s secret storage.')
    : vscode.l10n.t('A Hugging Face access token is available in the Hugging Face CLI\'s token file ({0}). Import it? It is checked with the Hub, then kept in VS Code\'s secret storage.', source.path);
  const picked = await vscode.window.showInformationMessage(offer, IMPORT_TOKEN, NO_THANKS);
  if (!picked) return;
  await memory.update(IMPORT_ANSWERED, true);
  if (picked !== IMPORT_TOKEN) return;
  const token = source.kind === 'environment' ? (process.env.HF_TOKEN ?? '') : await readFile(source.path, 'utf8').catch(() => '');
  const problem = validateToken(token);
  const refusal = problem ?? (await tokens.signInOrExplain(token)).refusal;
  if (!refusal) return;
  const notImported = fromEnvironment
    ? vscode.l10n.t('The token in the HF_TOKEN environment variable was not imported: {0}', refusal)
    : vscode.l10n.t('The token in the Hugging Face CLI\'s token file ({0}) was not imported: {1}', source.path, refusal);
  if ((await vscode.window.showErrorMessage(notImported, SET_TOKEN)) === SET_TOKEN) await tokens.ask();
}

async function pickProvider(title: string, choices: readonly ProviderName[] = PROVIDERS): Promise<ProviderName | undefined> {
  const picked = await vscode.window.showQuickPick([...choices], { title, placeHolder: vscode.l10n.t('Provider') });
  return isProviderName(picked) ? picked : undefined;
}
