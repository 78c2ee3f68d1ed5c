// Size budgets: byte counts of the built app, deterministic on every machine. `npm test` builds first.
import path from 'node:path';
import {
  API_PAYLOAD_BUDGET_BYTES,
  WEB_INITIAL_JS_BUDGET_BYTES,
  apiProductionPackages,
  initialScripts,
  kilobytes,
  measureApiPayload,
  measureWebInitialRoute,
  megabytes,
} from '../src/sizes.ts';

const repoRoot = path.resolve(__dirname, '../../..');
const webDist = path.join(repoRoot, 'shared/app/web/dist');

describe('what the measurements count', () => {
  it('takes the module entry script and modulepreload links from index.html, not stylesheets or icons', () => {
    const html = `<link rel="icon" href="/favicon.svg" />
      <script type="module" crossorigin src="/assets/index-abc.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/vendor-def.js">
      <link rel="stylesheet" href="/assets/index-ghi.css">`;

    expect(initialScripts(html)).toEqual(['/assets/index-abc.js', '/assets/vendor-def.js']);
  });

  it('counts the API production dependencies from the lockfile tree: express and pg in, dev tools out', () => {
    const names = apiProductionPackages(repoRoot).map((dir) =>
      path.relative(path.join(repoRoot, 'node_modules'), dir),
    );

    expect({
      express: names.includes('express'),
      pg: names.includes('pg'),
      supertest: names.includes('supertest'),
      typescript: names.includes('typescript'),
      jest: names.includes('jest'),
    }).toEqual({ express: true, pg: true, supertest: false, typescript: false, jest: false });
  });
});

describe('size budgets', () => {
  it(`the web app's initial route ships at most ${kilobytes(WEB_INITIAL_JS_BUDGET_BYTES)} of gzipped JavaScript`, () => {
    const route = measureWebInitialRoute(webDist);
    const files = route.files.map((f) => `${f.file} ${kilobytes(f.gzipBytes)}`).join(', ');

    expect(`${kilobytes(route.gzipBytes)} (${files})`).toBe(
      route.gzipBytes <= WEB_INITIAL_JS_BUDGET_BYTES
        ? `${kilobytes(route.gzipBytes)} (${files})`
        : `at most ${kilobytes(WEB_INITIAL_JS_BUDGET_BYTES)}: lazy-load a route or drop a dependency`,
    );
  });

  it(`the API's production payload (dist + production node_modules) is at most ${megabytes(API_PAYLOAD_BUDGET_BYTES)}`, () => {
    const payload = measureApiPayload(repoRoot);
    const largest = payload.packages
      .slice(0, 5)
      .map((p) => `${p.name} ${megabytes(p.bytes)}`)
      .join(', ');

    expect(`${megabytes(payload.bytes)} (largest: ${largest})`).toBe(
      payload.bytes <= API_PAYLOAD_BUDGET_BYTES
        ? `${megabytes(payload.bytes)} (largest: ${largest})`
        : `at most ${megabytes(API_PAYLOAD_BUDGET_BYTES)}: see docs/performance.md, section 5`,
    );
  });
});
