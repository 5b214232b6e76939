module.exports = {
  displayName: 'signals',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
