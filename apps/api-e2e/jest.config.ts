export default {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  // Each test file starts real api processes; one file at a time keeps a 2-core machine responsive.
  maxWorkers: 1,
  testTimeout: 60_000,
};
