export default {
  displayName: 'protocol-client',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/protocol-client',
};
