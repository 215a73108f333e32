export default {
  displayName: 'turn',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/turn',
};
