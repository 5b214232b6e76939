import { workerExecArgv } from './worker-supervisor';

describe('workerExecArgv', () => {
  it("adds the initial old-generation size to the primary's flags", () => {
    expect(workerExecArgv(['--require', 'hook.js'], 128)).toEqual([
      '--require',
      'hook.js',
      '--initial-old-space-size=128',
    ]);
  });

  it('replaces a size the primary was started with (the configured one wins)', () => {
    expect(workerExecArgv(['--initial-old-space-size=64', '--enable-source-maps'], 256)).toEqual([
      '--enable-source-maps',
      '--initial-old-space-size=256',
    ]);
  });

  it("leaves V8's default when the size is 0", () => {
    expect(workerExecArgv(['--enable-source-maps'], 0)).toEqual(['--enable-source-maps']);
  });
});
