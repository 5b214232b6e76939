module.exports = {
  displayName: 'scan-workers',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
