import * as vscode from 'vscode';
import { redactSecrets } from '../core/errors';

/** The "Hugging Face Video" log channel; every line is scrubbed of tokens before it is written. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Hugging Face Video', { log: true });

  info(line: string): void {
    this.channel.info(redactSecrets(line));
  }

  warn(line: string): void {
    this.channel.warn(redactSecrets(line));
  }

  error(line: string): void {
    this.channel.error(redactSecrets(line));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
