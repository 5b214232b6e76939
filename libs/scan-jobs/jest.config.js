module.exports = {
  displayName: 'scan-jobs',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
