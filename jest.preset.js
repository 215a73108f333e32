const path = require('node:path');
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    // @noble/* ship only ES modules: compiled to CommonJS here, as Jest runs CommonJS.
    '/node_modules/@noble/.+\\.js$': [
      'ts-jest',
      { tsconfig: path.join(__dirname, 'tsconfig.jest-esm.json') },
    ],
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@noble/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
