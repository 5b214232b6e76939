// The one swc configuration for running TypeScript from source: jest (via @swc/jest) and the
// development runner (register-ts.js). Decorator metadata is on because NestJS needs it.
module.exports = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
