module.exports = {
  displayName: 'tenants',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
