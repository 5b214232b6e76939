module.exports = {
  displayName: 'advisories',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
