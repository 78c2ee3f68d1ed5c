// `node dist/cli/config-doc.js`: prints the README's environment table from the config schema.
import { configSpec } from '../config';

const cell = (text: string) => text.replace(/\|/g, '\\|');
const rows = configSpec.map((entry) => {
  const name = entry.fileEnv ? `\`${entry.env}\` / \`${entry.fileEnv}\`` : `\`${entry.env}\``;
  const shown =
    entry.shownDefault === undefined
      ? '(unset)'
      : entry.shownDefault === ''
        ? '(empty)'
        : `\`${entry.shownDefault}\``;
  return `| ${name} | ${shown} | ${cell(entry.doc)} |`;
});
console.log(['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n'));
