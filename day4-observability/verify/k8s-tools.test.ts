import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@taskboard/verify/src/check';
import { readText } from '@taskboard/verify/src/files';
import { parseManifests } from '@taskboard/verify/src/k8s';
import { kubernetesToolTiers } from '@taskboard/verify/src/k8s/tool-tiers';
import { CHART, RELEASE, helmTemplate } from '../../day3-helm/verify/helm';
import { DAY, DAY3_DEV_VALUES, TASKBOARD_VALUES } from './model';

// kube-score and the real Kubernetes OpenAPI (kubernetes-validate) over what day 4 applies: the day 3 chart with
// day 4's values, and the manifests day 4 ships (manifests/, generated/).
const manifestFiles = ['manifests', 'generated'].flatMap((dir) =>
  readdirSync(path.join(repoRoot, DAY, dir))
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => `${DAY}/${dir}/${file}`),
);

kubernetesToolTiers('day 4', [
  {
    label: `helm template ${RELEASE} ${CHART} -f ${DAY3_DEV_VALUES} -f ${TASKBOARD_VALUES}`,
    docs: `${DAY}/README.md#verify`,
    needs: ['helm'],
    render: (root, tools) =>
      helmTemplate(tools.helm, root, { valuesFiles: [DAY3_DEV_VALUES, TASKBOARD_VALUES] }),
  },
  {
    label: manifestFiles.join(', '),
    docs: `${DAY}/README.md#verify`,
    needs: [],
    render: (root) => manifestFiles.flatMap((file) => parseManifests(readText(root, file), file)),
  },
]);
