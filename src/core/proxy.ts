import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/**
 * The dispatcher for every request: VS Code's `http.proxy` when set, else the environment's
 * HTTPS_PROXY / HTTP_PROXY, always honouring NO_PROXY (so a local emulator is never proxied).
 */
export function createDispatcher(proxyUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const httpsProxy = proxyUrl || env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
  if (!httpsProxy) return new Agent();
  return new EnvHttpProxyAgent({
    httpProxy: proxyUrl || env.HTTP_PROXY || env.http_proxy || httpsProxy,
    httpsProxy,
    noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
  });
}
