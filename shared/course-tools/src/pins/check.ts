// The static check: every pin the extractors find agrees with pins.yaml, and every entry of pins.yaml is still
// carried by the files it lists. Offline and fast; part of `npm test` (shared/course-tools/test/pins.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import {
  INVENTORY_FILE,
  loadInventory,
  sameVersion,
  type Inventory,
  type InventoryPin,
} from './inventory.ts';
import { extractPins, listFiles, type FoundPin } from './extract.ts';

export const RULES = {
  'pin-in-inventory': 'every pin in a file has an entry in pins.yaml',
  'version-agrees': 'every pin has the version its pins.yaml entry gives',
  'sha-agrees': "every action's commit SHA is the one its pins.yaml entry gives",
  'digest-agrees': "every image's digest is the one its pins.yaml entry gives, and none is dropped",
  'file-listed': "every file that carries a pin is in its entry's files",
  'entry-carried': 'every file a pins.yaml entry lists still carries that pin',
  'kubernetes-target-agrees':
    "every file in kubernetes.files states exactly the course's Kubernetes minors, and every page that states minors is listed there",
} as const;
export type Rule = keyof typeof RULES;

export interface Problem {
  rule: Rule;
  file: string;
  line: number;
  expected: string;
  found: string;
  fix: string;
}

const POINTER = 'docs/pins.md';
const key = (pin: { kind: string; name: string }): string => `${pin.kind} ${pin.name}`;

export function formatProblem(problem: Problem): string {
  return (
    `${problem.file}:${problem.line}: ${problem.rule}: expected ${problem.expected}; found ${problem.found}. ` +
    `Fix: ${problem.fix} (${POINTER})`
  );
}

function versionMatches(found: FoundPin, entry: InventoryPin): boolean {
  if (sameVersion(found.version, entry.version)) return true;
  // Documentation may name the release without the variant: postgres:18.4 for 18.4-alpine3.23.
  return Boolean(found.shortTagAllowed && found.version && entry.version.startsWith(`${found.version}-`));
}

export function comparePins(inventory: Inventory, found: readonly FoundPin[]): Problem[] {
  const problems: Problem[] = [];
  // One name may have several entries when roots pin it differently on purpose (a Terraform provider constraint
  // per root): a pin belongs to the entry that lists its file.
  const entries = new Map<string, InventoryPin[]>();
  for (const entry of inventory.pins) entries.set(key(entry), [...(entries.get(key(entry)) ?? []), entry]);
  const entryFor = (pin: FoundPin): InventoryPin | undefined => {
    const candidates = entries.get(key(pin)) ?? [];
    return candidates.find((entry) => entry.files.includes(pin.file)) ?? candidates[0];
  };
  const describe = (pin: { kind: string; name: string; version: string }): string =>
    `${pin.kind} ${pin.name} ${pin.version || '(no version)'}`;

  for (const pin of found) {
    const at = { file: pin.file, line: pin.line };
    const entry = entryFor(pin);
    if (!entry) {
      problems.push({
        rule: 'pin-in-inventory',
        ...at,
        expected: `an entry for ${pin.kind} ${pin.name} in ${INVENTORY_FILE}`,
        found: `${describe(pin)} (extractor ${pin.extractor}) and no entry`,
        fix: `add it with its upstream source: npm run pins:sync adds the entry, then fill in source`,
      });
      continue;
    }
    if (!versionMatches(pin, entry)) {
      problems.push({
        rule: 'version-agrees',
        ...at,
        expected: `${entry.name} ${entry.version} (${INVENTORY_FILE})`,
        found: `${pin.version || '(no version)'} (extractor ${pin.extractor})`,
        fix: `bump every file in the entry's files and ${INVENTORY_FILE} together; npm run pins:sync rewrites the inventory from the files`,
      });
    }
    if (entry.sha !== undefined || pin.sha !== undefined) {
      if (pin.sha !== entry.sha) {
        const commentUnchanged = pin.sha && entry.sha && sameVersion(pin.version, entry.version);
        problems.push({
          rule: 'sha-agrees',
          ...at,
          expected: `${entry.name}@${entry.sha ?? '(no SHA)'} # ${entry.version}`,
          found: `${pin.name}@${pin.sha ?? pin.version}${commentUnchanged ? ` with the same # ${pin.version} comment` : ''}`,
          fix: commentUnchanged
            ? 'a new SHA is a new release: update the # vX.Y.Z comment to the tag that points at it, and the entry'
            : 'pin the full commit SHA the release tag points to, with its # vX.Y.Z comment, as the entry says',
        });
      }
    }
    if (entry.kind === 'image' && pin.digest !== entry.digest) {
      // A mention in prose without a digest is fine; a pin that drops its digest is not.
      if (!(pin.shortTagAllowed && pin.digest === undefined)) {
        problems.push({
          rule: 'digest-agrees',
          ...at,
          expected: entry.digest
            ? `${entry.name}:${entry.version}@${entry.digest}`
            : `${entry.name}:${entry.version} without a digest`,
          found: pin.digest ? `@${pin.digest}` : 'no digest',
          fix: entry.digest
            ? 'restore the @sha256 digest (docker buildx imagetools inspect <image:tag> prints it)'
            : `add the digest to the entry in ${INVENTORY_FILE} too (npm run pins:sync)`,
        });
      }
    }
    if (!entry.files.includes(pin.file)) {
      problems.push({
        rule: 'file-listed',
        ...at,
        expected: `${pin.file} in the files of ${entry.kind} ${entry.name}`,
        found: `files: ${entry.files.join(', ') || '(none)'}`,
        fix: `add ${pin.file} to the entry's files (npm run pins:sync does)`,
      });
    }
  }

  const carriers = new Set(found.map((pin) => `${key(pin)} ${pin.file}`));
  for (const entry of inventory.pins) {
    const files = entry.files.length ? entry.files : [''];
    for (const file of files) {
      if (file && carriers.has(`${key(entry)} ${file}`)) continue;
      problems.push({
        rule: 'entry-carried',
        file: INVENTORY_FILE,
        line: entry.line ?? 0,
        expected: `${file || 'a file'} to carry ${entry.kind} ${entry.name} ${entry.version}`,
        found: file ? `no such pin in ${file}` : 'no files listed',
        fix: `remove ${file || 'the entry'} from the entry (or the entry, if nothing carries it); npm run pins:sync does`,
      });
    }
  }
  return problems;
}

/** A Markdown line about Kubernetes or kubectl that states a range of minors, such as "1.35 to 1.37". */
function markdownMinorRanges(line: string): string[] {
  return /kubectl|kubernetes/i.test(line)
    ? [...line.matchAll(/\b(1\.\d+) to (1\.\d+)\b/g)].map((m) => m[0])
    : [];
}

/**
 * A README's "1.35 to 1.37" on a line about Kubernetes or kubectl; a Terraform kubernetes_version's default and
 * validation. `markdownFiles` are the repository's other Markdown files: one that states a range must be in
 * kubernetes.files too, so that changing the minors in one place reaches every page that names them.
 */
export function kubernetesTargetProblems(
  root: string,
  inventory: Inventory,
  markdownFiles: string[] = [],
): Problem[] {
  const { minors, files } = inventory.kubernetes;
  const stated = `${minors[0] ?? ''} to ${minors[minors.length - 1] ?? ''}`;
  const problems: Problem[] = [];
  const fix = `state the minors of ${INVENTORY_FILE} (kubernetes.minors: ${minors.join(', ')}), or change them there`;
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const statements: { line: number; found: string; agrees: boolean }[] = [];
    text.split('\n').forEach((line, index) => {
      if (file.endsWith('.md')) {
        for (const found of markdownMinorRanges(line)) {
          statements.push({ line: index + 1, found, agrees: found === stated });
        }
      }
    });
    if (path.basename(file) === 'Chart.yaml') {
      // A chart's kubeVersion floor is the oldest minor the course targets: helm refuses older clusters.
      const kubeVersion = /^kubeVersion:\s*['"]?([^'"\n]+)/m.exec(text);
      if (kubeVersion?.[1]) {
        const floor = /^>=\s*v?(\d+\.\d+)\./.exec(kubeVersion[1].trim())?.[1];
        statements.push({
          line: text.slice(0, kubeVersion.index).split('\n').length,
          found: `kubeVersion: ${kubeVersion[1].trim()}`,
          agrees: floor === minors[0],
        });
      }
    }
    if (file.endsWith('.tf')) {
      const block = /variable\s+"kubernetes_version"\s*\{([\s\S]*?)\n\}/.exec(text);
      const lineAt = (offset: number): number => text.slice(0, offset).split('\n').length;
      const start = block?.index ?? 0;
      const fallback = /default\s*=\s*"([^"]+)"/.exec(block?.[1] ?? '');
      if (fallback?.[1]) {
        statements.push({
          line: lineAt(start + (block?.[0].indexOf(fallback[0]) ?? 0)),
          found: `default = "${fallback[1]}"`,
          agrees: minors.includes(fallback[1]),
        });
      }
      const pattern = /regex\("((?:[^"\\]|\\.)*)",\s*var\.kubernetes_version\)/.exec(block?.[1] ?? '');
      if (pattern?.[1]) {
        // HCL doubles the backslashes of a regular expression; test it against every plausible minor.
        const regex = new RegExp(pattern[1].replace(/\\\\/g, '\\'));
        const accepted = Array.from({ length: 40 }, (_, i) => `1.${20 + i}`).filter((minor) =>
          regex.test(minor),
        );
        statements.push({
          line: lineAt(start + (block?.[0].indexOf(pattern[0]) ?? 0)),
          found: `validation accepting ${accepted.join(', ') || 'no minor'}`,
          agrees: accepted.join(',') === minors.join(','),
        });
      }
    }
    if (!statements.length) {
      problems.push({
        rule: 'kubernetes-target-agrees',
        file,
        line: 0,
        expected: `a statement of the minors (${stated})`,
        found: 'none',
        fix: `remove ${file} from kubernetes.files, or state the minors there`,
      });
    }
    for (const statement of statements.filter((s) => !s.agrees)) {
      problems.push({
        rule: 'kubernetes-target-agrees',
        file,
        line: statement.line,
        expected: file.endsWith('.tf')
          ? `minors ${minors.join(', ')}`
          : path.basename(file) === 'Chart.yaml'
            ? `kubeVersion: '>=${minors[0] ?? ''}.0-0'`
            : stated,
        found: statement.found,
        fix,
      });
    }
  }
  for (const file of markdownFiles.filter((f) => f.endsWith('.md') && !files.includes(f))) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    const index = lines.findIndex((line) => markdownMinorRanges(line).length > 0);
    if (index >= 0) {
      problems.push({
        rule: 'kubernetes-target-agrees',
        file,
        line: index + 1,
        expected: `a page that states Kubernetes minors listed in ${INVENTORY_FILE} kubernetes.files`,
        found: `${markdownMinorRanges(lines[index] ?? '')[0]}, and ${file} is not in kubernetes.files`,
        fix: `add ${file} to kubernetes.files in ${INVENTORY_FILE}, so the check and the doctor read it`,
      });
    }
  }
  return problems;
}

export interface CheckResult {
  files: string[];
  found: FoundPin[];
  problems: Problem[];
}

export function checkRepository(root: string, inventory: Inventory = loadInventory(root)): CheckResult {
  const files = listFiles(root, [...inventory.ignore, INVENTORY_FILE]);
  const found = extractPins(root, files, inventory);
  return {
    files,
    found,
    problems: [...comparePins(inventory, found), ...kubernetesTargetProblems(root, inventory, files)],
  };
}
