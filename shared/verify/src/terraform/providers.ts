import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../check';

/**
 * The provider tier's providers: azurerm and random at the versions their real schemas were extracted from
 * (shared/verify/terraform-schema/*.json, see ADR 0012), served by terraform-schema-provider. The registry is out
 * of reach on the course's CI machine, so `terraform init` installs them from a filesystem mirror instead.
 */
export const SCHEMA_DIR = 'shared/verify/terraform-schema';
export const REGENERATE_COMMAND = `node ${SCHEMA_DIR}/regenerate.mjs`;
const SCHEMA_FILES = ['azurerm.json', 'random.json'];

export interface SchemaSource {
  /** `azurerm` */
  name: string;
  /** The provider release the schema comes from, e.g. `4.73.0`. */
  providerVersion: string;
  /** The npm package it was extracted from, e.g. `@cdktn/provider-azurerm`, and that package's version. */
  package: string;
  version: string;
  schemaFile: string;
}

export interface ProviderSchemaFile {
  source: SchemaSource;
  resource_schemas: Record<string, unknown>;
  data_source_schemas: Record<string, unknown>;
}

/** The committed schemas: the toolkit's own files, also when a check runs on a fixture copy of the repository. */
export function loadSchemaFiles(root: string = repoRoot): ProviderSchemaFile[] {
  return SCHEMA_FILES.map((file) => {
    const schemaFile = path.join(root, SCHEMA_DIR, file);
    const parsed = JSON.parse(readFileSync(schemaFile, 'utf8')) as ProviderSchemaFile & {
      source: Omit<SchemaSource, 'name' | 'schemaFile'>;
    };
    const name = path.basename(file, '.json');
    return { ...parsed, source: { ...parsed.source, name, schemaFile } };
  });
}

/** `linux_amd64`: the folder name terraform and OpenTofu look for in a mirror. */
function platform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

const mirrors = new Map<string, { dir: string; env: Record<string, string> }>();

/**
 * A filesystem mirror holding hashicorp/azurerm and hashicorp/random for both registry hosts (Terraform's and
 * OpenTofu's default), each a one-line script that runs terraform-schema-provider on that provider's schema,
 * and the CLI configuration that installs only from it. Made once per process; removed when it exits.
 */
export function providerMirror(schemaProvider: string): { env: Record<string, string> } {
  const existing = mirrors.get(schemaProvider);
  if (existing) return existing;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tf-mirror-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  for (const { source } of loadSchemaFiles()) {
    for (const host of ['registry.terraform.io', 'registry.opentofu.org']) {
      const folder = path.join(dir, host, 'hashicorp', source.name, source.providerVersion, platform());
      mkdirSync(folder, { recursive: true });
      const executable = path.join(folder, `terraform-provider-${source.name}_v${source.providerVersion}`);
      writeFileSync(
        executable,
        `#!/bin/sh\nexec ${quote(schemaProvider)} ${quote(source.schemaFile)} "$@"\n`,
      );
      chmodSync(executable, 0o755);
    }
  }
  const config = path.join(dir, 'cli.tfrc');
  writeFileSync(
    config,
    [
      '# Written by shared/verify/src/terraform/providers.ts: providers come only from this mirror, never a registry.',
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(dir)}`,
      '    include = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const made = { dir, env: { TF_CLI_CONFIG_FILE: config } };
  mirrors.set(schemaProvider, made);
  return made;
}
