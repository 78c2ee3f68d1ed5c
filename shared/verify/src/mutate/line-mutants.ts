// Line mutants of the files that are not YAML or JSON (Dockerfile, nginx template, shell, .dockerignore): delete one
// line that does something, the edit a reviewer most often misses. Comments and blank lines are left alone.
import type { Mutant } from './types';

export function lineMutants(file: string, text: string): Mutant[] {
  const lines = text.split('\n');
  const mutants: Mutant[] = [];
  lines.forEach((line, i) => {
    const content = line.trim();
    if (content === '' || content.startsWith('#') || /^[{}();\\]+$/.test(content)) return;
    const path = `line ${i + 1}`;
    mutants.push({
      id: `${file}#${path}:delete-line=${content.length > 40 ? `${content.slice(0, 37)}...` : content}`,
      file,
      path,
      operator: 'delete-line',
      text: [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'),
    });
  });
  return mutants;
}
