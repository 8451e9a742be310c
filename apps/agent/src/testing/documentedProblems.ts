import { isDeepStrictEqual } from 'node:util';
import { apiRoutes } from '../routes/apiRoutes';
import { problemsOf, type RouteDeclaration } from '../routes/route';

/**
 * Test support: every problem an API test receives must be one its route documents (the route
 * declarations are what the OpenAPI document is written from), with the status it came with.
 */
const methods = new WeakMap<Response, string>();

/** Remembers the method a response answered, for the check to find its route. */
export function rememberMethod(res: Response, method: string): Response {
  methods.set(res, method.toLowerCase());
  return res;
}

function servesPath(declaration: RouteDeclaration, path: string): boolean {
  return new RegExp(`^${declaration.path.replace(/:\w+/g, '[^/]+')}$`).test(path);
}

/**
 * Throws unless a route serving the response's path (with its method, when known) lists a
 * problem variant that describes `problem` exactly. A path no route serves (the catch-all 404)
 * is not checked.
 */
export function expectDocumented(res: Response, problem: unknown): void {
  const path = new URL(res.url).pathname;
  const method = methods.get(res);
  const routes = Object.values(apiRoutes).filter((r: RouteDeclaration) => (method === undefined || r.method === method) && servesPath(r, path));
  if (routes.length === 0) return;
  const documented = routes.some((r) =>
    problemsOf(r).some((variant) => {
      const parsed = variant.safeParse(problem);
      return parsed.success && parsed.data.status === res.status && isDeepStrictEqual(parsed.data, problem);
    }),
  );
  if (!documented) throw new Error(`${method?.toUpperCase() ?? ''} ${path} answered ${res.status} with a problem its route does not document: ${JSON.stringify(problem)}`);
}
