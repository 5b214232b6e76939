/** Start-up cannot go on: `message` is the one line that names the setting to fix. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
