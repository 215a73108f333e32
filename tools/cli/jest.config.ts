export default {
  displayName: 'cli',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/cli',
};
