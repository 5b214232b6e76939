module.exports = {
  displayName: 'scans-core',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
