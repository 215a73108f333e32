export default {
  displayName: 'identity',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/identity',
};
