// Day 1's static tier without the verify toolkit: only the parsers and the schema validation it wraps
// (dockerfile-ast for both Dockerfiles, yaml plus ajv against the Compose Specification for compose.yaml).
// The bench times this process against `npm run verify:day1 -- static` to show the toolkit's overhead.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
// The very packages (and versions) the verify toolkit loads.
const require = createRequire(path.join(root, 'shared/verify/package.json'));
const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast');
const YAML = require('yaml') as typeof import('yaml');
// ajv 8 as the verify toolkit resolves it; typed structurally because the root node_modules holds ajv 6's types.
type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const Ajv = require('ajv') as new (options: object) => { compile(schema: object): Validator };

for (const file of ['day1-containers/api.Dockerfile', 'day1-containers/web.Dockerfile']) {
  const dockerfile = DockerfileParser.parse(readFileSync(path.join(root, file), 'utf8'));
  if (dockerfile.getInstructions().length === 0) throw new Error(`${file}: no instructions parsed`);
}
const compose = YAML.parse(readFileSync(path.join(root, 'day1-containers/compose.yaml'), 'utf8'), {
  merge: true,
}) as unknown;
const dclintRoot = path.dirname(require.resolve('dclint/package.json'));
const schema = JSON.parse(
  readFileSync(path.join(dclintRoot, 'schemas', 'compose.schema.json'), 'utf8'),
) as Record<string, unknown>;
delete schema.$schema; // draft-07 named by an https URL ajv does not register
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
if (!validate(compose)) throw new Error(`compose.yaml: ${JSON.stringify(validate.errors)}`);
