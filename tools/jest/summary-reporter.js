// Prints one plain closing line ("Tests: N passed, N failed, N skipped") as the very last line
// of the run, so any CI log reader can tell how many tests ran without parsing jest's layout.
// It is written on process exit because jest's own summary is printed after every reporter's
// onRunComplete.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`;
    process.once('exit', () => process.stdout.write(`\nTests: ${line}\n`));
  }
}

module.exports = SummaryReporter;
