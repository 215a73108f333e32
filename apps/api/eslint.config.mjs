import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      // Nest injects constructor parameters by their runtime class, so a decorated class's
      // constructor types must stay value imports.
      '@typescript-eslint/consistent-type-imports': 'off',
      // Nest declares its option bags as classes (NestApplicationOptions, ...) and documents object
      // literals for them; this rule would refuse every Nest call site.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
];
