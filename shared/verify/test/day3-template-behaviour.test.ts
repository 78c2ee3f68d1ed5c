import { CheckFailedError } from '../src/check';
import type { Rendered } from '../src/k8s';
import { CHART_TEMPLATES, checkBehaviour } from '../../../day3-helm/verify/template-behaviour';

// Day 3's template unit tests report a failure like a verify check, not as a raw jest diff (issue 19).
const deployment: Rendered = {
  file: 'day3-helm/charts/taskboard/templates/api.yaml',
  obj: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'taskboard-api' },
    spec: { replicas: 6 },
  },
};

function failure(body: Parameters<typeof checkBehaviour>[2]): CheckFailedError {
  try {
    checkBehaviour('replicas follow api.replicaCount', 'render spec.replicas from api.replicaCount', body);
  } catch (error) {
    return error as CheckFailedError;
  }
  throw new Error('checkBehaviour did not throw');
}

it('a failed assertion names the template, the --set flags, expected, found and the fix, without ANSI codes', () => {
  const error = failure((trace) => {
    trace.rendered(['api.replicaCount=4']);
    const [api] = trace.looked([deployment]);
    expect(api?.obj.spec).toEqual({ replicas: 4 });
  });

  expect(error).toBeInstanceOf(CheckFailedError);
  expect(error.message).not.toContain('\u001b[');
  expect(error.violations).toEqual([
    {
      file: 'day3-helm/charts/taskboard/templates/api.yaml',
      object: 'helm template with --set api.replicaCount=4',
      expected: '{"replicas":4}',
      actual: '{"replicas":6}',
      fix: 'render spec.replicas from api.replicaCount',
      docs: 'day3-helm/README.md#verify',
    },
  ]);
});

it('an error that is not an assertion (helm failing, two objects where one was expected) keeps its text', () => {
  const error = failure(() => {
    throw new Error('\u001b[31mexpected one HorizontalPodAutoscaler, found 0\u001b[39m');
  });

  expect(error.violations[0]).toMatchObject({
    file: CHART_TEMPLATES,
    object: 'helm template with the default values',
    actual: 'expected one HorizontalPodAutoscaler, found 0',
  });
});

it('a behaviour that holds throws nothing', () => {
  expect(() => checkBehaviour('t', 'f', () => expect(1).toBe(1))).not.toThrow();
});
