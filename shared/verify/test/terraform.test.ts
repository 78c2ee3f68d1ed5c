import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  HclParseError,
  attributeLine,
  blockLine,
  isLiteral,
  loadTerraformModule,
  parseHclFile,
} from '../src/terraform';
import { pinsMajor } from '../../../day5-terraform/verify/checks';
import { failureSummary } from '../../../day5-terraform/verify/offline';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tf-loader-'));
  mkdirSync(path.join(root, 'mod'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (file: string, text: string | Buffer) => writeFileSync(path.join(root, file), text);

describe('parseHclFile', () => {
  it('names the file and line of a block that is never closed', async () => {
    write('mod/main.tf', 'variable "a" {\n  type = string\n\nresource "x" "y" {\n');
    const error = await parseHclFile(root, 'mod/main.tf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HclParseError);
    expect((error as HclParseError).message).toMatch(
      /^mod\/main\.tf:\d+: HCL does not parse: Unclosed configuration block/,
    );
  });

  it('rejects binary junk with a clear message instead of parsing it', async () => {
    write('mod/main.tf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff]));
    await expect(parseHclFile(root, 'mod/main.tf')).rejects.toThrow(
      'mod/main.tf: HCL does not parse: the file is binary',
    );
  });

  it('reads an empty file as an empty body', async () => {
    write('mod/main.tf', '');
    await expect(parseHclFile(root, 'mod/main.tf')).resolves.toMatchObject({ body: {} });
  });
});

describe('loadTerraformModule', () => {
  it('locates variables, module inputs, providers and resource arguments by file and line', async () => {
    write(
      'mod/versions.tf',
      'terraform {\n  required_version = ">= 1.9"\n  required_providers {\n    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "~> 4.77"\n    }\n  }\n}\n',
    );
    write(
      'mod/main.tf',
      'variable "name" {\n  type = string\n}\n\nmodule "kv" {\n  source = "../kv"\n  count  = 1\n  name   = var.name\n}\n\nresource "azurerm_key_vault" "this" {\n  name = var.name\n  purge_protection_enabled = true\n}\n',
    );
    const mod = await loadTerraformModule(root, 'mod');
    expect(mod.requiredVersion).toMatchObject({ file: 'mod/versions.tf', line: 2, value: '>= 1.9' });
    expect(mod.requiredProviders).toEqual([
      { name: 'azurerm', file: 'mod/versions.tf', line: 4, source: 'hashicorp/azurerm', version: '~> 4.77' },
    ]);
    expect(mod.variables[0]).toMatchObject({ name: 'name', line: 1, type: '${string}', hasDefault: false });
    expect(mod.modules[0]).toMatchObject({
      name: 'kv',
      source: '../kv',
      inputs: { name: '${var.name}' },
      inputLines: { name: 8 },
    });
    const vault = mod.resources[0]!;
    expect([
      vault.line,
      vault.lineOf('purge_protection_enabled'),
      vault.body.purge_protection_enabled,
    ]).toEqual([11, 13, true]);
  });
});

describe('line helpers', () => {
  const text = 'resource "a" "b" {\n  x = 1\n}\nresource "a" "c" {\n  y = 2\n}\n';
  it('finds a block header and stops an attribute search at the next block', () => {
    expect(blockLine(text, 'resource', ['a', 'c'])).toBe(4);
    expect(attributeLine(text, 1, 'y')).toBeUndefined();
    expect(attributeLine(text, 4, 'y')).toBe(5);
  });
  it('tells literals from expressions', () => {
    expect([isLiteral('abc'), isLiteral('${var.x}'), isLiteral(true)]).toEqual([true, false, true]);
  });
});

describe('pinsMajor', () => {
  it.each([
    ['~> 4.77', true],
    ['>= 4.0, < 5.0', true],
    ['4.77.0', true],
    ['>= 4.0', false],
    [undefined, false],
  ])('%s pins the major version: %s', (constraint, pinned) => {
    expect(pinsMajor(constraint)).toBe(pinned);
  });
});

describe('failureSummary', () => {
  it("keeps the failed run, the error's location and its error_message", () => {
    const output = [
      'tests/naming.tftest.hcl... in progress',
      '  run "builds_consistent_names"... fail',
      '',
      'Error: Module output value precondition failed',
      '',
      '  on outputs.tf line 35, in output "key_vault_name":',
      '  35:     condition     = can(regex(...))',
      '',
      'Key Vault name "kv-x" breaks Azure\'s',
      'rule: 3-24 characters.',
      '  run "rejects_uppercase_workload"... skip',
    ].join('\n');
    expect(failureSummary(output)).toBe(
      'run "builds_consistent_names"... fail\n            Error: Module output value precondition failed — on outputs.tf line 35, in output "key_vault_name": — Key Vault name "kv-x" breaks Azure\'s rule: 3-24 characters.',
    );
  });
});
