// One lint configuration for every workspace: typescript-eslint's recommended rules, with Prettier owning layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '.tools/**',
      '.data/**',
      'artifacts/**',
      '**/fixtures/**',
      '**/__fixtures__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Logs go through the pino logger; CLIs and test tooling opt out explicitly.
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/app/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Command-line entry points and scripts talk to a terminal, not to a log pipeline.
    files: ['**/cli/**', 'scripts/**', '**/*.config.{js,mjs,cjs,ts}'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
