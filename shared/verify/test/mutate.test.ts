// `npm run verify:mutate` in CI: a fixed-seed sample of each finished day's mutants must leave no survivor outside
// the day's accepted list (day*/verify/mutants-accepted.yaml), and the gate must notice a check that goes missing.
import { repoRoot } from '../src';
import { acceptedBy } from '../src/mutate/accepted';
import { mutationDays } from '../src/mutate/days';
import { generateMutants } from '../src/mutate/engine';
import { mutateDay } from '../src/mutate/report';
import { yamlMutants } from '../src/mutate/yaml-mutants';
import { staticChecks, timeoutCheck } from '../../../day6-cicd/verify/checks';

/**
 * Days in the gate: every survivor of their fixed-seed sample is killed by a check or accepted with its reason. A
 * day's full run (docs/quality-checks.md has the figures) may still hold untriaged survivors outside the sample.
 */
const GATED = [6];
const SAMPLE = 25;
const SEED = 19;

const dayOf = (n: number) => {
  const day = mutationDays.find((d) => d.day === n);
  if (!day) throw new Error(`no mutation targets for day ${n}`);
  return day;
};

describe('verify:mutate generates small, real mutants', () => {
  const text = 'a: 1\nlist:\n  - 10.0.0.0/16\n  - x\nflag: true # keep me\n';
  const mutants = yamlMutants('f.yaml', text);
  const byId = (id: string) => mutants.find((m) => m.id === id)?.text;

  it('deletes a key as whole lines and leaves the rest of the file byte for byte', () => {
    expect(byId('f.yaml#a:delete')).toBe('list:\n  - 10.0.0.0/16\n  - x\nflag: true # keep me\n');
  });

  it('flips a boolean in place, keeping its comment', () => {
    expect(byId('f.yaml#flag:flip=false')).toBe(
      'a: 1\nlist:\n  - 10.0.0.0/16\n  - x\nflag: false # keep me\n',
    );
  });

  it('widens a CIDR in an allow-list to every address', () => {
    expect(byId('f.yaml#list[0]:widen=0.0.0.0/0')).toContain('  - "0.0.0.0/0"\n');
  });

  it('deletes a JSON member with its comma, so the file stays JSON', () => {
    const json = yamlMutants('f.json', '{ "a": 1, "b": [2, 3] }\n');
    const deleted = json.filter((m) => m.operator === 'delete').map((m) => JSON.parse(m.text) as unknown);
    expect(deleted).toEqual([{ b: [2, 3] }, { a: 1 }, { a: 1, b: [3] }, { a: 1, b: [2] }]);
  });
});

describe('the accepted list matches ids exactly, or by pattern', () => {
  const accepted = [{ id: 'ci.yml#jobs.*.steps[*].name:**', reason: 'a step name is a label' }];

  it('lets * stand for one path segment and ** for any new value', () => {
    expect(
      acceptedBy(accepted, 'ci.yml#jobs.lint.steps[3].name:rename=Lint (eslint, prettier).'),
    ).toBeDefined();
  });

  it('never lets * cross into another segment', () => {
    expect(acceptedBy(accepted, 'ci.yml#jobs.lint.steps[3].with.name:delete')).toBeUndefined();
  });
});

describe('verify:mutate sample (fixed seed): no untriaged survivor', () => {
  for (const n of GATED) {
    it(`day ${n}: ${SAMPLE} mutants (seed ${SEED}) are killed or accepted with a reason`, async () => {
      const report = await mutateDay(repoRoot, dayOf(n), { sample: SAMPLE, seed: SEED });
      expect(report.run).toBe(SAMPLE);
      expect(report.untriaged.map((r) => r.mutant.id)).toEqual([]);
    });
  }
});

describe('verify:mutate gate', () => {
  const day6 = dayOf(6);
  const target = generateMutants(repoRoot, day6.targets(repoRoot)).find((m) =>
    /^\.github\/workflows\/ci\.yml#jobs\.[\w-]+\.timeout-minutes:delete$/.test(m.id),
  );

  it('has a ci.yml job whose timeout-minutes can be deleted', () => {
    expect(target).toBeDefined();
  });

  it("fails on an untriaged survivor: day 6 without 'every job has timeout-minutes' lets the deletion through", async () => {
    const only = (m: { id: string }) => m.id === target?.id;
    const withCheck = await mutateDay(repoRoot, day6, { only });
    expect(withCheck.killed).toBe(1);
    expect(withCheck.untriaged).toEqual([]);

    const without = await mutateDay(repoRoot, day6, {
      only,
      checks: staticChecks.filter((c) => c !== timeoutCheck),
    });
    expect(without.untriaged.map((r) => r.mutant.id)).toEqual([target?.id]);
  });
});
