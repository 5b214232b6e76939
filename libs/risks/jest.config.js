module.exports = {
  displayName: 'risks-core',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
