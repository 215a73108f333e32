export default {
  displayName: 'web-e2e',
  preset: '../../jest.preset.js',
  // Two api processes and up to three Chromium profiles: one file at a time on a 2-core machine.
  maxWorkers: 1,
  testTimeout: 120_000,
};
