// `npm start` will run the whole platform (see docs/roadmap in README). Until the services
// exist, it says so plainly instead of pretending.
console.error(
  [
    'vigil: the one-command platform is not built yet.',
    'Today the workspace holds the contracts (schemas/) and the signals library.',
    'Run the tests with `npm test`; follow the README for what lands next.',
  ].join('\n'),
);
process.exitCode = 1;
