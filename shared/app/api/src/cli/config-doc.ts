// `node dist/cli/config-doc.js`: prints the README's environment table from the config schema.
import { configMarkdownTable } from '../config';

console.log(configMarkdownTable());
