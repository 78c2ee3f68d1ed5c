// Deterministic size measurements shared by the budget tests (npm test) and the bench report.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

// Decimal units, as Vite's build summary (kB) and `docker images` (MB) print them: the stricter reading.
export const WEB_INITIAL_JS_BUDGET_BYTES = 100_000;
export const API_PAYLOAD_BUDGET_BYTES = 40_000_000;

export interface SizedFile {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface WebInitialRoute {
  readonly files: SizedFile[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** `<script type="module" src>` and `<link rel="modulepreload" href>`: what the browser fetches before first render. */
export function initialScripts(indexHtml: string): string[] {
  const urls: string[] = [];
  for (const tag of indexHtml.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
    if (/^<script/i.test(tag) && attr('type') === 'module' && attr('src')) urls.push(attr('src') as string);
    if (/^<link/i.test(tag) && attr('rel') === 'modulepreload' && attr('href'))
      urls.push(attr('href') as string);
  }
  return urls;
}

/** Static `import ... from "./x.js"` and `import "./x.js"` of a built chunk: loaded with it, before it runs. */
function staticImports(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) {
    if (match[1]) found.push(match[1]);
  }
  return found;
}

/**
 * The JavaScript the web app's initial route needs: the entry script and modulepreload links of
 * dist/index.html, plus any chunk those import statically. Lazy route chunks (import()) are not included.
 */
export function measureWebInitialRoute(webDist: string): WebInitialRoute {
  const indexPath = path.join(webDist, 'index.html');
  if (!existsSync(indexPath)) {
    throw new Error(`${indexPath} does not exist: build the web app first (npm run build -w @taskboard/web)`);
  }
  const queue = initialScripts(readFileSync(indexPath, 'utf8')).map((url) =>
    path.join(webDist, url.replace(/^\//, '')),
  );
  if (queue.length === 0) throw new Error(`${indexPath} has no <script type="module" src> entry`);
  const seen = new Set<string>();
  const files: SizedFile[] = [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(file)) throw new Error(`${indexPath} references ${file}, which does not exist`);
    const content = readFileSync(file);
    files.push({
      file: path.relative(webDist, file),
      bytes: content.length,
      gzipBytes: gzipSync(content).length,
    });
    for (const imported of staticImports(content.toString('utf8')))
      queue.push(path.resolve(path.dirname(file), imported));
  }
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}

export interface PackageSize {
  readonly name: string;
  readonly bytes: number;
  readonly files: number;
}

export interface ApiPayload {
  readonly bytes: number;
  readonly files: number;
  readonly distBytes: number;
  readonly nodeModulesBytes: number;
  /** Every production package, largest first. */
  readonly packages: PackageSize[];
}

/** Apparent size of a folder's files (what an image layer stores), skipping nested node_modules (listed separately). */
function folderSize(dir: string, skip: (name: string) => boolean = (name) => name === 'node_modules') {
  let bytes = 0;
  let files = 0;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (skip(entry.name)) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        bytes += lstatSync(full).size;
        files += 1;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

/**
 * Production dependencies of the API workspace as day 1's image installs them (`npm ci --omit=dev --omit=optional
 * -w @taskboard/api`: the optional embedded PGlite stays on laptops), taken from the lockfile tree
 * (`npm ls --omit=dev --omit=optional --all --parseable`), not from whatever the monorepo has installed.
 */
export function apiProductionPackages(repoRoot: string): string[] {
  const output = execFileSync(
    'npm',
    ['ls', '--omit=dev', '--omit=optional', '--all', '--parseable', '--workspace', '@taskboard/api'],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const workspaceLink = path.join(repoRoot, 'node_modules', '@taskboard');
  return [...new Set(output.split('\n').map((line) => line.trim()))].filter(
    (dir) => dir !== '' && dir !== repoRoot && !dir.startsWith(`${workspaceLink}${path.sep}`),
  );
}

/** The API's production payload: dist/ plus its production node_modules. Build the API first. */
export function measureApiPayload(repoRoot: string): ApiPayload {
  const dist = path.join(repoRoot, 'shared/app/api/dist');
  if (!existsSync(path.join(dist, 'server.js'))) {
    throw new Error(
      `${dist}/server.js does not exist: build the API first (npm run build -w @taskboard/api)`,
    );
  }
  const distSize = folderSize(dist);
  const packages = apiProductionPackages(repoRoot).map((dir) => ({
    name: path.relative(path.join(repoRoot, 'node_modules'), dir),
    ...folderSize(dir),
  }));
  packages.sort((a, b) => b.bytes - a.bytes);
  const nodeModulesBytes = packages.reduce((sum, p) => sum + p.bytes, 0);
  return {
    bytes: distSize.bytes + nodeModulesBytes,
    files: distSize.files + packages.reduce((sum, p) => sum + p.files, 0),
    distBytes: distSize.bytes,
    nodeModulesBytes,
    packages,
  };
}

/** Bytes of the files under `dir` whose name matches `pattern` (for explaining where a package's size goes). */
export function bytesMatching(dir: string, pattern: RegExp): number {
  let bytes = 0;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (pattern.test(entry.name)) bytes += lstatSync(full).size;
    }
  };
  if (existsSync(dir)) walk(dir);
  return bytes;
}

export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
export const kilobytes = (bytes: number): string => `${(bytes / 1e3).toFixed(1)} kB`;
