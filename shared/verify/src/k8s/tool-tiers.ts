import { defineCheck, registerChecks, repoRoot, type Check, type Violation } from '../check';
import { localRuntimeTier, type Tools } from '../tiers';
import type { ToolName } from '../tools';
import {
  KUBE_SCORE_CONFIG,
  KUBE_SCORE_VERSION,
  kubeScoreVersion,
  kubernetesMinors,
  loadKubeScoreConfig,
  runKubeScore,
} from './kube-score';
import {
  KUBERNETES_VALIDATE_VERSION,
  kubernetesValidateVersion,
  runKubernetesValidate,
} from './kubernetes-validate';
import type { Rendered } from './types';

/*
 * The field's own Kubernetes tools over everything a day renders: one builder, so a day only lists its render
 * targets (day2-k8s/verify/k8s-tools.test.ts is the example).
 */

export interface RenderTarget {
  /** What was rendered, as the learner would type it: `kubectl kustomize day2-k8s/base`. */
  label: string;
  /** The README section a render failure points at. */
  docs: string;
  /** The tools the render needs (kubectl, helm); their paths reach `render`. */
  needs: ToolName[];
  render: (root: string, tools: Tools) => Rendered[];
}

const bootstrap = 'bash scripts/bootstrap-tools.sh';

function wrongVersion(tool: string, want: string, found: string): Violation {
  return {
    file: 'scripts/bootstrap-tools.sh',
    object: tool,
    expected: `${tool} ${want}, the version the course pins`,
    actual: found || 'no version printed',
    fix: `${bootstrap} (it builds or installs ${tool} ${want} into .tools/bin), or install that version yourself`,
    docs: 'README.md#prerequisites',
  };
}

/** Renders, or returns the violation that says the render failed (the day's own render check explains it). */
function rendered(target: RenderTarget, root: string, tools: Tools): Rendered[] | Violation {
  try {
    return target.render(root, tools);
  } catch (error) {
    return {
      file: target.label,
      object: 'render',
      expected: 'the objects to render (see the render check)',
      actual: (error as Error).message.split('\n').slice(0, 3).join(' '),
      fix: `run ${target.label} and fix the first error`,
      docs: target.docs,
    };
  }
}

export function kubeScoreCheck(tools: Tools, target: RenderTarget): Check {
  const kubeScore = () => tools['kube-score'];
  return defineCheck(
    `kube-score ${KUBE_SCORE_VERSION} passes on ${target.label} (tests left off, with reasons: ${KUBE_SCORE_CONFIG})`,
    (root) => {
      const version = kubeScoreVersion(kubeScore());
      if (version !== KUBE_SCORE_VERSION) return [wrongVersion('kube-score', KUBE_SCORE_VERSION, version)];
      const objects = rendered(target, root, tools);
      if (!Array.isArray(objects)) return [objects];
      const lowest = kubernetesMinors(root)[0] as string;
      return runKubeScore(kubeScore(), objects, loadKubeScoreConfig(root), lowest, target.label).violations;
    },
  );
}

export function kubernetesValidateCheck(tools: Tools, target: RenderTarget): Check {
  const tool = () => tools['kubernetes-validate'];
  const minors = kubernetesMinors(repoRoot);
  return defineCheck(
    `every built-in object of ${target.label} validates strictly against the Kubernetes ${minors.join(', ')} OpenAPI (kubernetes-validate ${KUBERNETES_VALIDATE_VERSION})`,
    (root) => {
      const version = kubernetesValidateVersion(tool());
      if (version !== KUBERNETES_VALIDATE_VERSION)
        return [wrongVersion('kubernetes-validate', KUBERNETES_VALIDATE_VERSION, version)];
      const objects = rendered(target, root, tools);
      if (!Array.isArray(objects)) return [objects];
      const result = runKubernetesValidate(tool(), objects, kubernetesMinors(root));
      // Said out loud, not silently: custom resources are not in the Kubernetes OpenAPI.
      process.stderr.write(
        `\nℹ kubernetes-validate ${version} on ${target.label}: ${result.validated} built-in objects validated; ` +
          `custom resources skipped (their CRD schemas are checked separately): ${result.skippedKinds.join(', ') || 'none'}\n`,
      );
      return result.violations;
    },
  );
}

/** Registers one tier per tool, so a missing kube-score does not skip the schema validation, nor the reverse. */
export function kubernetesToolTiers(day: string, targets: RenderTarget[]): void {
  const renderTools = [...new Set(targets.flatMap((t) => t.needs))];
  localRuntimeTier(
    `${day} kube-score ${KUBE_SCORE_VERSION}`,
    ['kube-score', ...renderTools],
    repoRoot,
    (tools) =>
      registerChecks(
        targets.map((target) => kubeScoreCheck(tools, target)),
        repoRoot,
      ),
  );
  localRuntimeTier(
    `${day} kubernetes-validate ${KUBERNETES_VALIDATE_VERSION}`,
    ['kubernetes-validate', ...renderTools],
    repoRoot,
    (tools) =>
      registerChecks(
        targets.map((target) => kubernetesValidateCheck(tools, target)),
        repoRoot,
      ),
  );
}
