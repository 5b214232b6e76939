module.exports = {
  displayName: 'archive-core',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
