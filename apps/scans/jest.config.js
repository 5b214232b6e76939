module.exports = {
  displayName: 'scans',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
