// A tiny path matcher: `:name` takes one segment, `*name` takes the rest (at least one segment).

export interface RoutePattern {
  method: string;
  pattern: string;
}

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '').map(decodeSegment);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The first route whose method and pattern fit; `methodMismatch` when only the method was wrong. */
export function matchRoute<R extends RoutePattern>(routes: readonly R[], method: string, segments: string[]): RouteMatch<R> | 'methodMismatch' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? 'methodMismatch' : undefined;
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = splitPath(pattern);
  const params: Record<string, string> = {};
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index];
    if (part.startsWith('*')) {
      if (index >= segments.length) return undefined;
      params[part.slice(1)] = segments.slice(index).join('/');
      return params;
    }
    const segment = segments[index];
    if (segment === undefined) return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}
