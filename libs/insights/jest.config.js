module.exports = {
  displayName: 'insights-core',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
