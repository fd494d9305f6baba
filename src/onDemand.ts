/**
 * What activation does not load: the HTTP client (undici) with everything that talks to the network, the
 * prompt-file parser (yaml), the media-facts reader (mp4box) and the snippet writers of Copy as Code.
 * esbuild.mjs bundles it on its own (dist/onDemand.js); src/vscode/onDemand.ts requires it the first time a
 * generation, a resume, a token check, a prompt file, a copy or a video without recorded facts needs it.
 */
import { whoami, type Account } from './core/account';
import { HttpClient } from './core/http';
import { HubClient } from './core/hub';
import { JobRunner } from './core/jobs/runner';
import { createDispatcher } from './core/proxy';
import { VideoClient } from './core/videoClient';

export { readMediaFacts } from './core/media/readMediaFacts';
export { frontMatterKeys, isPromptFileName, parsePromptFile, promptFileSnippet, shotSnippet } from './core/promptFile';
export { snippetFor, snippetJob } from './core/snippets';

export interface NetworkOptions {
  userAgent: string;
  /** VS Code's `http.proxy`, when set. */
  proxyUrl: string | undefined;
  log(line: string): void;
}

export interface Network {
  runner: JobRunner;
  whoami(hubUrl: string, token: string): Promise<Account>;
  /** The Hub's model list and provider mappings, for the studio's model and provider choices. */
  hub: HubClient;
  setProxy(proxyUrl: string | undefined): void;
}

export function createNetwork({ userAgent, proxyUrl, log }: NetworkOptions): Network {
  const http = new HttpClient({ userAgent, dispatcher: createDispatcher(proxyUrl), log });
  return {
    runner: new JobRunner(new VideoClient(http)),
    whoami: (hubUrl, token) => whoami(http, hubUrl, token),
    hub: new HubClient(http),
    setProxy: (url) => http.setDispatcher(createDispatcher(url)),
  };
}
