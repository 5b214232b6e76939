/** The bus cannot take the message now (no connection, no JetStream answer in time): retry later. */
export class BusUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BusUnavailableError';
  }
}

/** The stream is at its size limit and refuses new messages: slow down and retry later. */
export class StreamFullError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StreamFullError';
  }
}

/**
 * Thrown by a consumer's handler for a message that can never succeed (e.g. it cannot be
 * decoded): it goes to the dead-letter stream at once instead of being retried.
 */
export class PermanentFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}
