module.exports = {
  displayName: 'scanners',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
