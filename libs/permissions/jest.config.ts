export default {
  displayName: 'permissions',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/permissions',
};
