// The pin inventory's static check (docs/pins.md): the repository's files agree with pins.yaml, and each way a
// pin can drift makes the check fail (one fixture folder per way, test/fixtures/pins/README.md).
import fs from 'node:fs';
import path from 'node:path';
import {
  checkRepository,
  comparePins,
  formatProblem,
  RULES,
  type Problem,
  type Rule,
} from '../src/pins/check.ts';
import { extractPins, listFiles, type FoundPin } from '../src/pins/extract.ts';
import { loadInventory, parseInventory } from '../src/pins/inventory.ts';
import { RENOVATE_FILE, renovateConfig } from '../src/pins/renovate.ts';
import { helmRepositories, syncInventory } from '../src/pins/sync.ts';
import { repoRoot } from '../src/repo.ts';

const root = repoRoot(__dirname);
const fixtures = path.join(__dirname, 'fixtures', 'pins');
const repository = checkRepository(root);

const report = (problems: readonly Problem[]): string =>
  problems.length ? `\n${problems.map(formatProblem).join('\n')}\n` : '';

describe('pins.yaml agrees with the repository', () => {
  it.each(Object.entries(RULES))('%s: %s', (rule) => {
    expect(report(repository.problems.filter((problem) => problem.rule === rule))).toBe('');
  });

  it('finds the pins of every convention the inventory relies on (workflows, Dockerfiles, scripts, YAML, Terraform)', () => {
    const extractors = new Set(repository.found.map((pin) => pin.extractor));
    expect([...extractors].sort()).toEqual(
      expect.arrayContaining([
        'bootstrap-ensure-tool',
        'dockerfile-from',
        'helm-version-flag',
        'nvmrc',
        'terraform-required-providers',
        'workflow-uses',
        'yaml-image',
      ]),
    );
  });

  it(`${RENOVATE_FILE} is what npm run pins:sync generates from pins.yaml`, () => {
    const inventory = loadInventory(root);
    const expected = renovateConfig(inventory, repository.found);
    const actual: unknown = JSON.parse(fs.readFileSync(path.join(root, RENOVATE_FILE), 'utf8'));
    expect(actual).toEqual(expected);
  });
});

describe('the static check fails on each way a pin drifts', () => {
  const failing = (scenario: string): Problem[] => checkRepository(path.join(fixtures, scenario)).problems;

  it('passes the clean fixture', () => {
    expect(report(failing('clean'))).toBe('');
  });

  it.each<[string, Rule, RegExp]>([
    ['new-pin', 'pin-in-inventory', /\.github\/workflows\/ci\.yml:11: .*actions\/setup-node v6\.0\.0/],
    [
      'version-bumped',
      'version-agrees',
      /platform\/install\.sh:4: .*expected example\/widget 1\.2\.3 .*found 1\.2\.4/,
    ],
    ['entry-not-carried', 'entry-carried', /pins\.yaml:\d+: .*README\.md to carry image node/],
    ['sha-without-comment', 'sha-agrees', /ci\.yml:9: .*with the same # v5\.0\.0 comment/],
    [
      'digest-dropped',
      'digest-agrees',
      /Dockerfile:2: .*expected node:24\.0\.0-bookworm-slim@sha256:a+; found no digest/,
    ],
    [
      'file-not-listed',
      'file-listed',
      /platform\/upgrade\.sh:4: .*platform\/upgrade\.sh in the files of chart/,
    ],
  ])('%s fails %s, naming the file and line', (scenario, rule, message) => {
    const problems = failing(scenario);
    expect(problems.map((problem) => problem.rule)).toEqual([rule]);
    expect(formatProblem(problems[0] as Problem)).toMatch(message);
  });
});

describe('a name pinned differently in two roots', () => {
  const provider = (version: string, files: string[]) => ({
    kind: 'provider' as const,
    name: 'hashicorp/azurerm',
    version,
    source: { type: 'terraform-registry' as const, repository: 'hashicorp/azurerm' },
    files,
  });
  const found = (file: string, version: string): FoundPin => ({
    kind: 'provider',
    name: 'hashicorp/azurerm',
    version,
    file,
    line: 3,
    extractor: 'terraform-required-providers',
  });
  const inventory = {
    ...parseInventory(fs.readFileSync(path.join(fixtures, 'clean', 'pins.yaml'), 'utf8')),
    pins: [provider('~> 4.42', ['day5/versions.tf']), provider('~> 4.65', ['day7/versions.tf'])],
  };

  it('checks each file against the entry that lists it', () => {
    const problems = comparePins(inventory, [
      found('day5/versions.tf', '~> 4.42'),
      found('day7/versions.tf', '~> 4.42'),
    ]);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^day7\/versions\.tf:3: version-agrees: expected hashicorp\/azurerm ~> 4\.65/),
    ]);
  });
});

describe("the course's Kubernetes minors are stated the same everywhere kubernetes.files lists", () => {
  it('fails on a README range, a Terraform default and a Terraform validation that name other minors, a chart kubeVersion floor below them, and on a page that states minors without being listed', () => {
    const problems = checkRepository(path.join(fixtures, 'kubernetes-target-drift')).problems;
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^README\.md:3: kubernetes-target-agrees: expected 1\.35 to 1\.37; found 1\.32 to 1\.34\./,
      ),
      expect.stringMatching(
        /^chart\/Chart\.yaml:4: kubernetes-target-agrees: expected kubeVersion: '>=1\.35\.0-0'; found kubeVersion: >=1\.32\.0-0\./,
      ),
      expect.stringMatching(
        /^variables\.tf:5: kubernetes-target-agrees: expected minors 1\.35, 1\.36, 1\.37; found default = "1\.33"/,
      ),
      expect.stringMatching(
        /^variables\.tf:7: kubernetes-target-agrees: expected minors 1\.35, 1\.36, 1\.37; found validation accepting 1\.32, 1\.33, 1\.34\./,
      ),
      expect.stringMatching(
        /^docs\/upgrade\.md:3: kubernetes-target-agrees: .*found 1\.35 to 1\.37, and docs\/upgrade\.md is not in kubernetes\.files.*Fix: add docs\/upgrade\.md to kubernetes\.files/,
      ),
    ]);
  });
});

describe('pins:sync', () => {
  const scan = (scenario: string) => {
    const dir = path.join(fixtures, scenario);
    const text = fs.readFileSync(path.join(dir, 'pins.yaml'), 'utf8');
    const files = listFiles(dir, ['pins.yaml']);
    return {
      text,
      found: extractPins(dir, files, parseInventory(text)),
      repos: helmRepositories(dir, files),
    };
  };

  it('rewrites a bumped version into the inventory and keeps its source', () => {
    const { text, found, repos } = scan('version-bumped');
    const scriptsOnly = found.filter((pin) => !pin.file.endsWith('.md'));
    const synced = syncInventory(text, scriptsOnly, repos);
    const widget = parseInventory(synced.text).pins.find((pin) => pin.name === 'example/widget');
    expect({ version: widget?.version, source: widget?.source, conflicts: synced.conflicts }).toEqual({
      version: '1.2.4',
      source: { type: 'helm-index', repository: 'https://charts.example.test', chart: 'widget' },
      conflicts: [],
    });
  });

  it("keeps the inventory's version and names both files when the files disagree", () => {
    // install.sh says 1.2.4, the README's helm command still says 1.2.3: a person decides, not the tool.
    const { text, found, repos } = scan('version-bumped');
    const synced = syncInventory(text, found, repos);
    const widget = parseInventory(synced.text).pins.find((pin) => pin.name === 'example/widget');
    expect({ version: widget?.version, conflicts: synced.conflicts }).toEqual({
      version: '1.2.3',
      conflicts: ['chart example/widget: README.md:6 1.2.3, platform/install.sh:4 1.2.4'],
    });
  });

  it('adds a new pin with a guessed upstream source', () => {
    const { text, found, repos } = scan('new-pin');
    const added = parseInventory(syncInventory(text, found, repos).text).pins.find(
      (pin) => pin.name === 'actions/setup-node',
    );
    expect({ version: added?.version, sha: added?.sha, source: added?.source }).toEqual({
      version: 'v6.0.0',
      sha: '2'.repeat(40),
      source: { type: 'github-tags', repository: 'actions/setup-node' },
    });
  });
});
