// Usage: npm run pins:list | pins:lint | pins:sync | pins:check [-- --json]
//   list   what the extractors find in the repository's files, file:line, grouped as inventory entries
//   lint   the static check of npm test: files against pins.yaml (exit 1 on a problem)
//   sync   rewrites pins.yaml (versions, SHAs, digests, files) and renovate.json from the files, keeping sources
//   check  resolves every pins.yaml entry against its upstream over the network (docs/pins.md)
import fs from 'node:fs';
import path from 'node:path';
import { checkRepository, formatProblem } from '../src/pins/check.ts';
import { extractPins, listFiles } from '../src/pins/extract.ts';
import { INVENTORY_FILE, loadInventory, parseInventory } from '../src/pins/inventory.ts';
import { RENOVATE_FILE, renovateConfig } from '../src/pins/renovate.ts';
import { exitCodeOf, formatResolution, resolveInventory } from '../src/pins/resolve.ts';
import { formatFound, helmRepositories, syncInventory } from '../src/pins/sync.ts';
import { repoRoot } from '../src/repo.ts';

const root = repoRoot();
const [command, ...args] = process.argv.slice(2);

async function formatted(file: string, text: string): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

async function main(): Promise<number> {
  switch (command) {
    case 'list': {
      const inventory = loadInventory(root);
      const files = listFiles(root, [...inventory.ignore, INVENTORY_FILE]);
      console.log(formatFound(extractPins(root, files, inventory)));
      return 0;
    }
    case 'lint': {
      const result = checkRepository(root);
      for (const problem of result.problems) console.error(formatProblem(problem));
      const summary = `${result.found.length} pins in ${result.files.length} files checked against ${INVENTORY_FILE}: ${result.problems.length} problem(s)`;
      (result.problems.length ? console.error : console.log)(summary);
      return result.problems.length ? 1 : 0;
    }
    case 'sync': {
      const inventoryPath = path.join(root, INVENTORY_FILE);
      const inventory = loadInventory(root);
      const files = listFiles(root, [...inventory.ignore, INVENTORY_FILE]);
      const repositories = helmRepositories(root, files);
      // A second pass finds the Markdown mentions of entries the first pass added.
      let text = fs.readFileSync(inventoryPath, 'utf8');
      const result = { changes: [] as string[], conflicts: [] as string[] };
      for (let pass = 0; pass < 3; pass += 1) {
        const current = pass === 0 ? inventory : parseInventory(text);
        const synced = syncInventory(text, extractPins(root, files, current), repositories);
        result.changes.push(...synced.changes);
        result.conflicts = synced.conflicts;
        text = await formatted(inventoryPath, synced.text);
        if (!synced.changes.length) break;
      }
      fs.writeFileSync(inventoryPath, text);
      const renovatePath = path.join(root, RENOVATE_FILE);
      const synced = parseInventory(text);
      const renovate = renovateConfig(synced, extractPins(root, files, synced));
      fs.writeFileSync(renovatePath, await formatted(renovatePath, `${JSON.stringify(renovate, null, 2)}\n`));
      for (const change of result.changes) console.log(`pins:sync: ${change}`);
      for (const conflict of result.conflicts)
        console.error(`pins:sync: files disagree, kept the inventory's: ${conflict}`);
      console.log(
        `pins:sync: ${result.changes.length} change(s) to ${INVENTORY_FILE}; ${RENOVATE_FILE} regenerated`,
      );
      return result.conflicts.length ? 1 : 0;
    }
    case 'check': {
      const inventory = loadInventory(root);
      const resolution = await resolveInventory(inventory, {
        now: new Date(),
        token: process.env.GITHUB_TOKEN,
      });
      const text = formatResolution(resolution, args.includes('--markdown') ? 'markdown' : 'text');
      console.log(args.includes('--json') ? JSON.stringify(resolution, null, 2) : text);
      if (process.env.GITHUB_STEP_SUMMARY) {
        fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${formatResolution(resolution, 'markdown')}\n`);
      }
      return exitCodeOf(resolution, { strict: args.includes('--strict') });
    }
    default:
      console.error('usage: node shared/course-tools/cli/pins.ts list|lint|sync|check [--json|--markdown]');
      return 2;
  }
}

process.exitCode = await main();
