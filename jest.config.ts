import type { Config } from 'jest';
import { readFileSync } from 'node:fs';

const { compilerOptions } = JSON.parse(readFileSync(`${__dirname}/tsconfig.base.json`, 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const swc: [string, unknown] = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  roots: [
    '<rootDir>/apps',
    '<rootDir>/libs',
    '<rootDir>/bench',
    '<rootDir>/deploy',
    '<rootDir>/drills',
    '<rootDir>/docs',
    '<rootDir>/fuzz',
    '<rootDir>/e2e',
    '<rootDir>/tools',
  ],
} satisfies Config;

const config: Config = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-timeout.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest/test-stack-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/test-stack-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
};

export default config;
