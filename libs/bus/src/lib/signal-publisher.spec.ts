import { BusUnavailableError, StreamFullError } from './bus-errors';
import { classifyPublishError } from './signal-publisher';

describe('classifyPublishError', () => {
  it('maps stream limits to StreamFullError', () => {
    expect(classifyPublishError(new Error('maximum bytes exceeded'))).toBeInstanceOf(
      StreamFullError,
    );
    expect(classifyPublishError(new Error('maximum messages exceeded'))).toBeInstanceOf(
      StreamFullError,
    );
    expect(classifyPublishError(new Error('insufficient resources'))).toBeInstanceOf(
      StreamFullError,
    );
  });

  it('maps lost connections and timeouts to BusUnavailableError', () => {
    for (const message of [
      'timeout',
      'no responders available for request',
      'connection closed',
      'CONNECTION_REFUSED',
    ]) {
      expect(classifyPublishError(new Error(message))).toBeInstanceOf(BusUnavailableError);
    }
  });

  it('rethrows anything else unchanged', () => {
    const bug = new TypeError('x is not a function');
    expect(classifyPublishError(bug)).toBe(bug);
  });
});
