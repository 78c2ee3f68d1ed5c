import path from 'node:path';
import {
  attributeLine,
  blockLine,
  filesUnder,
  firstBlock,
  parseHclFile,
  type HclBody,
  type HclFile,
} from './hcl';

/** Where something is declared: repository-relative file and 1-based line. */
export interface Located {
  file: string;
  line: number;
}

export interface TfVariable extends Located {
  name: string;
  type?: string;
  description?: string;
  hasDefault: boolean;
  validations: number;
}

export interface TfOutput extends Located {
  name: string;
  description?: string;
  value: unknown;
}

export interface TfModuleCall extends Located {
  name: string;
  source?: string;
  /** Input arguments only: meta-arguments (source, version, providers, count, for_each, depends_on) are removed. */
  inputs: Record<string, unknown>;
  /** Line of each input argument. */
  inputLines: Record<string, number>;
}

export interface TfResource extends Located {
  mode: 'resource' | 'data';
  type: string;
  name: string;
  body: HclBody;
  /** Line of a top-level argument of the resource, falling back to the block header. */
  lineOf(attribute: string): number;
}

export interface TfRequiredProvider extends Located {
  name: string;
  source?: string;
  version?: string;
}

export interface TfBackend extends Located {
  type: string;
  body: HclBody;
}

/** One Terraform root or module folder: every `.tf` file in it, merged, each item with its file and line. */
export interface TfModule {
  dir: string;
  files: HclFile[];
  requiredVersion?: Located & { value: string };
  requiredProviders: TfRequiredProvider[];
  backends: TfBackend[];
  variables: TfVariable[];
  outputs: TfOutput[];
  modules: TfModuleCall[];
  resources: TfResource[];
  /** Line of the first `terraform {` block, or 1 of the first file. */
  settings: Located;
}

const moduleMetaArguments = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

function entries(body: HclBody, key: string): [string, HclBody][] {
  const group = body[key];
  if (!group || typeof group !== 'object') return [];
  return Object.entries(group as Record<string, unknown>).flatMap(([name, blocks]) => {
    const block = firstBlock(blocks);
    return block ? [[name, block] as [string, HclBody]] : [];
  });
}

/** Parses every `.tf` file directly in `dir` (repository-relative) into one module model. */
export async function loadTerraformModule(root: string, dir: string): Promise<TfModule> {
  const names = filesUnder(root, dir, (n) => n.endsWith('.tf')).filter((f) => path.posix.dirname(f) === dir);
  const files = await Promise.all(names.map((f) => parseHclFile(root, f)));
  const mod: TfModule = {
    dir,
    files,
    requiredProviders: [],
    backends: [],
    variables: [],
    outputs: [],
    modules: [],
    resources: [],
    settings: { file: names[0] ?? dir, line: 1 },
  };
  let settingsFound = false;

  for (const { file, text, body } of files) {
    const at = (line: number | undefined) => line ?? 1;
    for (const terraform of (body.terraform as HclBody[] | undefined) ?? []) {
      const terraformLine = at(blockLine(text, 'terraform'));
      if (!settingsFound) {
        mod.settings = { file, line: terraformLine };
        settingsFound = true;
      }
      if (typeof terraform.required_version === 'string') {
        const line = at(attributeLine(text, terraformLine, 'required_version'));
        mod.requiredVersion = { file, line, value: terraform.required_version };
      }
      for (const providers of (terraform.required_providers as HclBody[] | undefined) ?? []) {
        for (const [name, spec] of Object.entries(providers)) {
          const requirement = (typeof spec === 'string' ? { version: spec } : spec) as Record<
            string,
            unknown
          >;
          mod.requiredProviders.push({
            name,
            file,
            line: at(attributeLine(text, terraformLine, name)),
            source: typeof requirement.source === 'string' ? requirement.source : undefined,
            version: typeof requirement.version === 'string' ? requirement.version : undefined,
          });
        }
      }
      for (const [type, block] of entries(terraform, 'backend')) {
        mod.backends.push({ type, body: block, file, line: at(blockLine(text, 'backend', [type])) });
      }
    }
    for (const [name, block] of entries(body, 'variable')) {
      mod.variables.push({
        name,
        file,
        line: at(blockLine(text, 'variable', [name])),
        type: typeof block.type === 'string' ? block.type : undefined,
        description: typeof block.description === 'string' ? block.description : undefined,
        hasDefault: 'default' in block,
        validations: Array.isArray(block.validation) ? block.validation.length : 0,
      });
    }
    for (const [name, block] of entries(body, 'output')) {
      mod.outputs.push({
        name,
        file,
        line: at(blockLine(text, 'output', [name])),
        description: typeof block.description === 'string' ? block.description : undefined,
        value: block.value,
      });
    }
    for (const [name, block] of entries(body, 'module')) {
      const line = at(blockLine(text, 'module', [name]));
      const inputs = Object.fromEntries(Object.entries(block).filter(([k]) => !moduleMetaArguments.has(k)));
      mod.modules.push({
        name,
        file,
        line,
        source: typeof block.source === 'string' ? block.source : undefined,
        inputs,
        inputLines: Object.fromEntries(Object.keys(inputs).map((k) => [k, at(attributeLine(text, line, k))])),
      });
    }
    for (const mode of ['resource', 'data'] as const) {
      const group = (body[mode] ?? {}) as Record<string, Record<string, unknown>>;
      for (const [type, byName] of Object.entries(group)) {
        for (const [name, blocks] of Object.entries(byName)) {
          const block = firstBlock(blocks) ?? {};
          const line = at(blockLine(text, mode, [type, name]));
          mod.resources.push({
            mode,
            type,
            name,
            body: block,
            file,
            line,
            lineOf: (attribute) => attributeLine(text, line, attribute) ?? line,
          });
        }
      }
    }
  }
  return mod;
}
