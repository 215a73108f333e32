export default {
  displayName: 'test-harness',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/test-harness',
};
