import * as vscode from 'vscode';
import type { TokenStore } from '../tokenStore';
import { validateToken } from '../tokenStore';

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
      void vscode.window.showInformationMessage('Your Hugging Face access token is stored in VS Code\'s secret storage.');
    }),
    vscode.commands.registerCommand('hfVideo.clearToken', async () => {
      const had = await tokens.get();
      await tokens.clear();
      void vscode.window.showInformationMessage(had ? 'Your Hugging Face access token was removed.' : 'No Hugging Face access token was stored.');
    }),
  ];
}
