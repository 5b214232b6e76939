module.exports = {
  displayName: 'playbooks',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
