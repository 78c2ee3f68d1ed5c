#!/usr/bin/env node
// Regenerates azurerm.json and random.json: the real provider schemas (at the versions below) of exactly the
// resource and data-source types the .tf files of days 5 and 7 use, plus each provider block's own schema.
//
//   node shared/verify/terraform-schema/regenerate.mjs
//
// Why from npm: the azurerm and random providers cannot be built here (the Go module proxy answers 403 for
// github.com/hashicorp/terraform-provider-azurerm@v4.73.0 and terraform-provider-random@v3.7.2; ADR 0012). The
// @cdktn/provider-* packages are generated from the providers' own `terraform providers schema -json`; their code
// keeps each attribute's name, type, required/optional and computed-only status and each block's nesting, which
// is what this script reads back. The packages are fetched with `npm pack` into a temporary folder (azurerm's is
// 30 MB packed, 1,500 resource folders), never installed as a dependency.
//
// What the generated code does not keep, so the JSON cannot say it: which optional attributes are also computed
// (only `id` is marked so, as every SDKv2 resource has it), `sensitive`, descriptions, and max_items of the
// provider block's own nested blocks (cdktn writes those as lists).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { typesUsed as typesUsedUnder } from '../src/terraform/types-used.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

/** The packages, checked in their own package.json (cdktn.provider) and README before use. */
export const SOURCES = {
  azurerm: { package: '@cdktn/provider-azurerm', version: '16.1.0', providerVersion: '4.73.0' },
  random: { package: '@cdktn/provider-random', version: '15.0.1', providerVersion: '3.9.1' },
};

/** The Terraform folders whose .tf files decide which types are extracted, and the scan (shared with the tests). */
export { SCHEMA_TERRAFORM_DIRS as TERRAFORM_DIRS } from '../src/terraform/types-used.ts';

/** Every `resource "T"` and `data "T"` in the .tf files under TERRAFORM_DIRS, with file and line. */
export const typesUsed = (root = repoRoot) => typesUsedUnder(root);

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

/** Text of `class Name extends ...` up to the next top-level class or function. */
function classBody(js, name) {
  const start = js.search(new RegExp(`^class ${name} extends`, 'm'));
  if (start < 0) throw new Error(`class ${name} not found`);
  const rest = js.slice(start + 1);
  const end = rest.search(/^(class |function |exports\.)/m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The `const attrs = { ... }` entries of a ToHclTerraform function or synthesizeHclAttributes. */
function hclAttrs(text) {
  const entry =
    /^\s+(\w+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\},?$/gm;
  const attrs = [];
  for (const m of text.matchAll(entry)) {
    const camel = /(?:struct\.|this\._)(\w+)/.exec(m[2]);
    if (!camel) throw new Error(`cannot read the property of ${m[1]} from ${m[2]}`);
    attrs.push({ name: m[1], camel: camel[1], isBlock: m[3] === 'true', kind: m[4], storage: m[5] });
  }
  return attrs;
}

function hclFunctionBody(js, structName) {
  const fn = `${lowerFirst(structName)}ToHclTerraform`;
  const start = js.search(new RegExp(`^function ${fn}\\(`, 'm'));
  if (start < 0) throw new Error(`function ${fn} not found`);
  const rest = js.slice(start);
  return rest.slice(0, rest.search(/^}/m));
}

/** `readonly camel?: Type;` members of an interface in the .d.ts: camel -> { optional, type }. */
function interfaceMembers(dts, name) {
  const start = dts.search(new RegExp(`^export interface ${name} (extends [\\w.]+ )?\\{`, 'm'));
  if (start < 0) throw new Error(`interface ${name} not found`);
  const rest = dts.slice(start);
  const body = rest.slice(0, rest.search(/^}/m));
  const members = new Map();
  for (const m of body.matchAll(/^\s+readonly (\w+)(\??): ([^;]+);$/gm))
    members.set(m[1], { optional: m[2] === '?', type: m[3] });
  return members;
}

const simpleTypes = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  stringList: 'string',
  numberList: 'number',
  booleanList: 'bool',
  stringMap: 'string',
  numberMap: 'number',
  booleanMap: 'bool',
};

function attributeType(attr) {
  const element = simpleTypes[attr.storage];
  if (!element) throw new Error(`attribute ${attr.name}: unknown storage class ${attr.storage}`);
  if (attr.kind === 'simple') return element;
  if (attr.kind === 'list' || attr.kind === 'set' || attr.kind === 'map') return [attr.kind, element];
  throw new Error(`attribute ${attr.name}: unknown kind ${attr.kind}`);
}

/** Getters of a class: snake name -> the type of what it returns, for the attributes not in the config. */
function getters(js, body) {
  const result = new Map();
  for (const m of body.matchAll(/^ {4}get (\w+)\(\) \{\n\s+return (.*);\n\s+\}/gm)) {
    const [, camel, expr] = m;
    if (camel.endsWith('Input') || camel === 'internalValue') continue;
    const call = /this\.get(\w+)Attribute\('(\w+)'\)/.exec(expr);
    if (call) {
      const asSet = expr.startsWith('cdktn.Fn.tolist(');
      const types = {
        String: 'string',
        Number: 'number',
        Boolean: 'bool',
        List: [asSet ? 'set' : 'list', 'string'],
        NumberList: [asSet ? 'set' : 'list', 'number'],
        StringMap: ['map', 'string'],
        NumberMap: ['map', 'number'],
        BooleanMap: ['map', 'bool'],
        AnyMap: ['map', 'dynamic'],
      };
      if (!(call[1] in types)) throw new Error(`getter ${camel}: unknown attribute kind ${call[1]}`);
      result.set(call[2], { camel, type: types[call[1]] });
      continue;
    }
    const field = /^this\._(\w+)$/.exec(expr);
    if (field) {
      const made = new RegExp(`this\\._${field[1]} = new (\\w+)\\(this, "(\\w+)"(?:, (true|false))?\\)`).exec(
        body,
      );
      if (!made) continue; // a plain configurable value kept in a field; the config attrs describe it
      const [, className, snake, wrapsSet] = made;
      const element = className.endsWith('List')
        ? `${className.slice(0, -'List'.length)}OutputReference`
        : className;
      const object = ['object', objectAttributes(js, classBody(js, element))];
      result.set(snake, {
        camel,
        className,
        type: className.endsWith('List') ? [wrapsSet === 'true' ? 'set' : 'list', object] : object,
      });
      continue;
    }
    if (/interpolationForAttribute/.test(expr)) {
      const snake = /interpolationForAttribute\('(\w+)'\)/.exec(expr)[1];
      result.set(snake, { camel, type: 'dynamic' });
    }
  }
  return result;
}

/** A computed-only nested object: every getter is one of its attributes. */
function objectAttributes(js, body) {
  const attrs = {};
  for (const [snake, g] of [...getters(js, body)].sort(([a], [b]) => a.localeCompare(b)))
    attrs[snake] = g.type;
  return attrs;
}

/**
 * The schema block of one object: configurable attributes and blocks from `attrs` (with required/optional from
 * the config interface), computed-only attributes from the class's getters.
 */
function schemaBlock(js, dts, { attrs, members, body, topLevel = false }) {
  const block = { attributes: {}, block_types: {} };
  const configured = new Set(attrs.map((a) => a.name));
  for (const attr of attrs) {
    const member = members.get(attr.camel);
    if (!member) throw new Error(`${attr.name}: no member ${attr.camel} in the config interface`);
    if (attr.isBlock) {
      const struct = attr.storage.replace(/List$/, '');
      const single = !member.type.includes('[]');
      const nested = schemaBlock(js, dts, {
        attrs: hclAttrs(hclFunctionBody(js, struct)),
        members: interfaceMembers(dts, struct),
        body: tryClassBody(js, `${struct}OutputReference`),
      });
      block.block_types[attr.name] = {
        nesting_mode: attr.kind === 'set' ? 'set' : 'list',
        block: nested,
        ...(member.optional ? {} : { min_items: 1 }),
        ...(single ? { max_items: 1 } : {}),
      };
    } else {
      block.attributes[attr.name] = {
        type: attributeType(attr),
        ...(member.optional ? { optional: true } : { required: true }),
        // SDKv2 adds a top-level `id` to every resource as optional and computed; mocks and references rely on it.
        ...(topLevel && attr.name === 'id' && member.optional ? { computed: true } : {}),
      };
    }
  }
  if (body) {
    for (const [snake, g] of getters(js, body)) {
      if (configured.has(snake)) continue;
      block.attributes[snake] = { type: g.type, computed: true };
    }
  }
  block.attributes = sortKeys(block.attributes);
  block.block_types = sortKeys(block.block_types);
  return block;
}

function tryClassBody(js, name) {
  return new RegExp(`^class ${name} extends`, 'm').test(js) ? classBody(js, name) : undefined;
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

/** Meta-arguments cdktn adds to every config; they are Terraform's, not the provider's. */
const META = new Set(['alias']);

/** cdktn's folder for a type: `azurerm_key_vault` -> key-vault, data -> data-azurerm-key-vault, the provider -> provider. */
function folderOf(provider, kind, tfType) {
  if (kind === 'provider') return 'provider';
  const kebab = tfType.replace(/_/g, '-');
  return kind === 'data' ? `data-${kebab}` : kebab.slice(provider.length + 1);
}

function typeSchema(libDir, provider, kind, tfType) {
  const dir = path.join(libDir, folderOf(provider, kind, tfType));
  const js = readFileSync(path.join(dir, 'index.js'), 'utf8');
  const dts = readFileSync(path.join(dir, 'index.d.ts'), 'utf8');
  // `X.tfResourceType = "t";` after the class (azurerm's ES2020 build) or `static tfResourceType = "t";` inside it.
  const after = new RegExp(`^(\\w+)\\.tfResourceType = "${tfType}";$`, 'm').exec(js);
  const staticAt = js.indexOf(`static tfResourceType = "${tfType}";`);
  const inside = staticAt < 0 ? null : [...js.slice(0, staticAt).matchAll(/^class (\w+) extends/gm)].pop();
  const className = (after ?? inside)?.[1];
  if (!className) throw new Error(`${dir}: no class with tfResourceType "${tfType}"`);
  const body = classBody(js, className);
  const attrs = hclAttrs(body.slice(body.indexOf('synthesizeHclAttributes()'))).filter(
    (a) => !META.has(a.name),
  );
  return schemaBlock(js, dts, {
    attrs,
    members: interfaceMembers(dts, `${className}Config`),
    body,
    topLevel: true,
  });
}

function packAndUnpack(source, work) {
  const spec = `${source.package}@${source.version}`;
  const tgz = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
  }).trim();
  const dir = path.join(work, source.package.replace(/\W/g, '_'));
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('tar', ['-xzf', path.join(work, tgz.split('\n').pop()), '-C', dir]);
  const pkgDir = path.join(dir, 'package');
  // The facts this file relies on, read from the package itself.
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const embedded = pkg.cdktn?.provider?.version ?? pkg.cdktf?.provider?.version;
  if (pkg.version !== source.version || embedded !== source.providerVersion) {
    throw new Error(
      `${spec}: package.json says version ${pkg.version}, provider ${embedded}; expected ${source.version}, provider ${source.providerVersion}`,
    );
  }
  return pkgDir;
}

function main() {
  const used = typesUsed();
  const work = mkdtempSync(path.join(os.tmpdir(), 'tf-schema-'));
  try {
    for (const [provider, source] of Object.entries(SOURCES)) {
      const lib = path.join(packAndUnpack(source, work), 'lib');
      const ofProvider = (kind) =>
        [
          ...new Set(
            used.filter((u) => u.kind === kind && u.type.split('_')[0] === provider).map((u) => u.type),
          ),
        ].sort();
      const schema = {
        '//': `Generated by node shared/verify/terraform-schema/regenerate.mjs from ${source.package}@${source.version} (generated from hashicorp/${provider} ${source.providerVersion}). Do not edit.`,
        source: { ...source, provider: `registry.terraform.io/hashicorp/${provider}` },
        provider: { block: typeSchema(lib, provider, 'provider', provider) },
        resource_schemas: Object.fromEntries(
          ofProvider('resource').map((t) => [t, { block: typeSchema(lib, provider, 'resource', t) }]),
        ),
        data_source_schemas: Object.fromEntries(
          ofProvider('data').map((t) => [t, { block: typeSchema(lib, provider, 'data', t) }]),
        ),
      };
      const out = path.join(here, `${provider}.json`);
      writeFileSync(out, `${JSON.stringify(schema, null, 2)}\n`);
      const count =
        Object.keys(schema.resource_schemas).length + Object.keys(schema.data_source_schemas).length;
      process.stdout.write(
        `${path.relative(repoRoot, out)}: ${count} types from ${source.package}@${source.version}\n`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
