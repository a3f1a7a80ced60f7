import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'dev-dist/', 'workers/protocol/gen/', '.cache/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Determinism (DESIGN principle 2): simulated components get time and randomness from the lab.
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use the lab context random()' }, { object: 'Date', property: 'now', message: 'use the lab clock' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Tests walk parsed NSX XML freely; product code keeps its types.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Benchmarks and the app shell measure or talk to the real world; components never do.
    files: ['test/**', 'scripts/**', 'src/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
