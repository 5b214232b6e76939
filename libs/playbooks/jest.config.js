module.exports = {
  displayName: 'playbooks-core',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
