import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The GET paths an Express app serves, read from its source: `app.use(prefix?, someRouter(...))` in the app
 * file and `router.get('/path', ...)` inside each exported router factory. Probes are cross-checked against
 * this list, so renaming /readyz in the API fails the manifests' check instead of a rollout.
 */

const mountPattern = /app\.use\(\s*(?:'([^']*)'\s*,\s*)?(\w+)\(/g;
const factoryPattern = /export function (\w+)\(/g;
const getPattern = /router\.get\(\s*'([^']+)'/g;

function join(prefix: string, route: string): string {
  const full = `${prefix.replace(/\/$/, '')}${route === '/' ? '' : route}`;
  return full === '' ? '/' : full;
}

/** `appFile` mounts routers built by factories exported from the `.ts` files in `routesDir`. */
export function expressGetRoutes(appFile: string, routesDir: string): string[] {
  const factories = new Map<string, string[]>();
  for (const entry of readdirSync(routesDir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(routesDir, entry), 'utf8');
    const starts = [...source.matchAll(factoryPattern)];
    starts.forEach((match, i) => {
      const body = source.slice(match.index, starts[i + 1]?.index ?? source.length);
      factories.set(
        match[1]!,
        [...body.matchAll(getPattern)].map((m) => m[1]!),
      );
    });
  }
  const routes = new Set<string>();
  for (const [, prefix, factory] of readFileSync(appFile, 'utf8').matchAll(mountPattern)) {
    for (const route of factories.get(factory!) ?? []) routes.add(join(prefix ?? '', route));
  }
  return [...routes].sort();
}
