// Workspace lint: Nx module boundaries (the architecture, as a rule) plus type-aware
// TypeScript rules. Zero warnings are allowed (`--max-warnings 0` in each lint target).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Who may depend on whom. No list names `type:app`, so nothing imports an app; a project
 * without tags matches no constraint and Nx then lets it depend on nothing.
 */
const depConstraints = [
  // Apps are wiring: they may use any lib, but never another app (products talk over the bus/HTTP).
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:domain',
      'type:data-access',
      'type:util',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:domain',
      'type:data-access',
      'type:util',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:data-access',
    onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:contracts'],
  },
  // Domain and util code stays framework-free: no NestJS, no bus client.
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:contracts'],
    bannedExternalImports: ['@nestjs/*', 'nats', '@nats-io/*'],
  },
  {
    sourceTag: 'type:util',
    onlyDependOnLibsWithTags: ['type:util'],
    bannedExternalImports: ['@nestjs/*', 'nats', '@nats-io/*'],
  },
  {
    sourceTag: 'type:contracts',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:util'],
    bannedExternalImports: ['@nestjs/*', 'nats', '@nats-io/*'],
  },
  // Test helpers may reach anything a test needs, except apps.
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: [
      'type:testing',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:contracts',
    ],
  },
  {
    sourceTag: 'type:tools',
    onlyDependOnLibsWithTags: [
      'type:testing',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:contracts',
      'type:feature',
    ],
  },
  // The Terraform stacks read the topology and the insights mappings, never a service's code.
  {
    sourceTag: 'type:infra',
    onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'],
  },
  // Cross-service journeys start apps as processes and talk HTTP; they may use libs for clients.
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: [
      'type:infra',
      'type:testing',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:contracts',
      'type:feature',
    ],
  },
];

/**
 * Which product may use whose code: a product's scope may import only its own libs and
 * `scope:shared` ones, so no product reaches into another's logic (they meet on the bus and
 * HTTP). The CLI is the operator's tool of three products: `vigil scan` runs the scanners
 * locally, `vigil replay` reads the archive's files and `vigil playbooks test` runs playbook
 * test cases with the detection engine; the launcher composes the apps at run time (see its implicit dependencies), never imports them.
 */
const scopes = {
  'scope:shared': [],
  'scope:ingestion': [],
  'scope:playbooks': [],
  'scope:scans': [],
  'scope:insights': [],
  'scope:archive': [],
  'scope:platform': [],
  'scope:risks': [],
  'scope:cli': ['scope:scans', 'scope:archive', 'scope:playbooks'],
  'scope:infra': ['scope:insights'],
};
depConstraints.push(
  ...Object.entries(scopes).map(([scope, others]) => ({
    sourceTag: scope,
    onlyDependOnLibsWithTags: [...new Set([scope, 'scope:shared', ...others])],
  })),
);

/** Tests (and only tests) may also use the real-service helpers of `type:testing` libs. */
const testDepConstraints = depConstraints.map((constraint) => ({
  ...constraint,
  onlyDependOnLibsWithTags: [...new Set([...constraint.onlyDependOnLibsWithTags, 'type:testing'])],
}));

const boundaries = (constraints, { enforceBuildable = true } = {}) => [
  'error',
  {
    enforceBuildableLibDependency: enforceBuildable,
    allow: [],
    banTransitiveDependencies: true,
    checkDynamicDependenciesExceptions: [],
    depConstraints: constraints,
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/coverage',
      '**/.nx',
      '**/generated/**',
      '**/.vigil',
      // Deliberately illegal imports, linted on their own by `npm run lint:boundaries`.
      '**/*.boundary-fixture.ts',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*-test-helpers.ts', 'e2e/**/*.ts'],
    // Tests are never part of a built package, so they may use non-buildable test helpers.
    rules: {
      '@nx/enforce-module-boundaries': boundaries(testDepConstraints, { enforceBuildable: false }),
    },
  },
  {
    // cdktf is deprecated upstream: every import of it stays in terraform/src/cdk.ts (ADR 0021).
    files: ['**/*.ts'],
    ignores: ['terraform/src/cdk.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['cdktf', 'constructs'].map((name) => ({
            name,
            message: 'import cdktf through terraform/src/cdk.ts (ADR 0021)',
          })),
          patterns: [
            {
              group: ['cdktf/*', '@cdktf/*'],
              message: 'import cdktf through terraform/src/cdk.ts (ADR 0021)',
            },
          ],
        },
      ],
    },
  },
  {
    // Scripts and benchmarks talk to a terminal on purpose.
    files: ['tools/**/*.ts', 'tools/**/*.js'],
    rules: { 'no-console': 'off' },
  },
  prettier,
];
