module.exports = {
  displayName: 'insights',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
