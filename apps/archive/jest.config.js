module.exports = {
  displayName: 'archive',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
