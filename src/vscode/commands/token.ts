import * as vscode from 'vscode';
import { PROVIDERS, isProviderName, type ProviderName } from '../../core/types';
import { askSecret, validateToken, type TokenStore } from '../tokenStore';

export function registerTokenCommands(tokens: TokenStore): vscode.Disposable[] {
  return [
    // An argument lets scripts and tests set the token without the input box.
    vscode.commands.registerCommand('hfVideo.setToken', async (token?: unknown) => {
      if (typeof token === 'string') {
        const problem = validateToken(token);
        if (problem) throw new Error(problem);
        await tokens.set(token);
      } else if (!(await tokens.ask())) {
        return;
      }
      void vscode.window.showInformationMessage("Your Hugging Face access token is stored in VS Code's secret storage.");
    }),
    vscode.commands.registerCommand('hfVideo.clearToken', async () => {
      const had = await tokens.get();
      await tokens.clear();
      void vscode.window.showInformationMessage(had ? 'Your Hugging Face access token was removed.' : 'No Hugging Face access token was stored.');
    }),
    vscode.commands.registerCommand('hfVideo.setProviderKey', async (provider?: unknown, key?: unknown) => {
      const name = isProviderName(provider) ? provider : await pickProvider('Which provider is the key for?');
      if (!name) return;
      const secret = typeof key === 'string' && !validateToken(key) ? key : await askSecret(`${name} API Key`, `Paste your own ${name} API key. Requests for ${name} then go straight to ${name} and are billed by ${name}, not Hugging Face.`, 'key');
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

async function pickProvider(title: string, choices: readonly ProviderName[] = PROVIDERS): Promise<ProviderName | undefined> {
  const picked = await vscode.window.showQuickPick([...choices], { title, placeHolder: 'Provider' });
  return isProviderName(picked) ? picked : undefined;
}
