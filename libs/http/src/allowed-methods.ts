import type { NestExpressApplication } from '@nestjs/platform-express';

/** The methods an app's routes serve at a request path, for a 405's `Allow` header; none for an unknown path. */
export type AllowedMethods = (path: string) => string[];

interface RouterLayer {
  route?: { methods: Record<string, boolean | undefined> };
  match(path: string): unknown;
}

/**
 * Reads Express's route table when asked, so it sees every route however late it was registered.
 * A GET route serves HEAD too, as Express answers it.
 */
export function allowedMethodsOf(app: NestExpressApplication): AllowedMethods {
  return (path) => {
    const { stack } = (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router;
    const methods = new Set<string>();
    for (const layer of stack) {
      if (!layer.route || !matches(layer, path)) continue;
      for (const [method, served] of Object.entries(layer.route.methods))
        if (served && method !== '_all') methods.add(method.toUpperCase());
    }
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

/** A path Express cannot decode (a stray `%`) matches no route. */
function matches(layer: RouterLayer, path: string): boolean {
  try {
    return Boolean(layer.match(path));
  } catch {
    return false;
  }
}
