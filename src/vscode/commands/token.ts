import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { findTokenSource } from '../../core/account';
import { HfVideoError } from '../../core/errors';
import { PROVIDERS, isProviderName, type ProviderName } from '../../core/types';
import { announceSignIn, askSecret, validateToken, type TokenStore } from '../tokenStore';

/** Set once the user answered the offer to import a token from HF_TOKEN or the Hugging Face CLI. */
const IMPORT_ANSWERED = 'hfVideo.tokenImportAnswered';
const SET_TOKEN = 'Set Access Token';

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
      void vscode.window.showInformationMessage(had ? 'Your Hugging Face access token was removed.' : 'No Hugging Face access token was stored.');
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
      const name = isProviderName(provider) ? provider : await pickProvider('Which provider is the key for?');
      if (!name) return;
      const problem = typeof key === 'string' ? validateToken(key) : undefined;
      if (problem) throw new Error(problem);
      const secret = typeof key === 'string' ? key : await askSecret(`${name} API Key`, `Paste your own ${name} API key. Requests for ${name} then go straight to ${name} and are billed by ${name}, not Hugging Face.`, 'key');
      if (!secret) return;
      await tokens.setProviderKey(name, secret);
      void vscode.window.showInformationMessage(`Your ${name} key is stored in VS Code's secret storage; ${name} jobs now go straight to ${name}.`);
    }),
    vscode.commands.registerCommand('hfVideo.clearProviderKey', async (provider?: unknown) => {
      const stored = Object.keys(await tokens.providerKeys()) as ProviderName[];
      const name = isProviderName(provider) ? provider : stored.length ? await pickProvider('Which provider key should be removed?', stored) : undefined;
      if (!name) {
        if (!stored.length) void vscode.window.showInformationMessage('No provider keys are stored.');
        return;
      }
      await tokens.clearProviderKey(name);
      void vscode.window.showInformationMessage(`Your ${name} key was removed; ${name} jobs go through Hugging Face again.`);
    }),
  ];
}

/** Who the stored token signs in as (the Hub is asked), and which providers have a key: names only, never values. */
async function signInStatus(tokens: TokenStore): Promise<{ message: string; signedIn: boolean }> {
  const keys = Object.keys(await tokens.providerKeys());
  const keysLine = keys.length ? `Provider keys are stored for ${keys.join(', ')}.` : 'No provider keys are stored.';
  try {
    const account = await tokens.account();
    if (!account) return { message: `No Hugging Face access token is stored. ${keysLine}`, signedIn: false };
    const tokenName = account.tokenName ? ` with the token "${account.tokenName}"` : '';
    const lacks = account.canCallInference ? '' : ' This token lacks the "Make calls to Inference Providers" permission.';
    return { message: `Signed in to Hugging Face as ${account.name}${tokenName}.${lacks} ${keysLine}`, signedIn: account.canCallInference };
  } catch (error) {
    if (!(error instanceof HfVideoError)) throw error;
    const unchecked = error.kind === 'network' || error.kind === 'unavailable';
    return { message: `${error.userMessage}${unchecked ? ' The stored token could not be checked.' : ''} ${keysLine}`, signedIn: unchecked };
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
  const where = source.kind === 'environment' ? 'the HF_TOKEN environment variable' : `the Hugging Face CLI's token file (${source.path})`;
  const importToken = 'Import Token';
  const picked = await vscode.window.showInformationMessage(
    `A Hugging Face access token is available in ${where}. Import it? It is checked with the Hub, then kept in VS Code's secret storage.`,
    importToken,
    'No, Thanks',
  );
  if (!picked) return;
  await memory.update(IMPORT_ANSWERED, true);
  if (picked !== importToken) return;
  const token = source.kind === 'environment' ? (process.env.HF_TOKEN ?? '') : await readFile(source.path, 'utf8').catch(() => '');
  const problem = validateToken(token);
  const refusal = problem ?? (await tokens.signInOrExplain(token)).refusal;
  if (refusal && (await vscode.window.showErrorMessage(`The token in ${where} was not imported: ${refusal}`, SET_TOKEN)) === SET_TOKEN) await tokens.ask();
}

async function pickProvider(title: string, choices: readonly ProviderName[] = PROVIDERS): Promise<ProviderName | undefined> {
  const picked = await vscode.window.showQuickPick([...choices], { title, placeHolder: 'Provider' });
  return isProviderName(picked) ? picked : undefined;
}
