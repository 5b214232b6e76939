import { ApiError } from '@vigil/service-kit';
import { parseQueryBody } from './query-request';

const refusal = (body: unknown): { status: number; message: string } => {
  try {
    parseQueryBody(body);
  } catch (error) {
    if (error instanceof ApiError) {
      return {
        status: error.getStatus(),
        message: (error.getResponse() as { message: string }).message,
      };
    }
    throw error;
  }
  throw new Error('accepted');
};

describe('parseQueryBody', () => {
  it('takes the SQL with its optional bounds, dates parsed', () => {
    expect(
      parseQueryBody({
        sql: 'SELECT 1',
        maxRows: 10,
        types: ['attack'],
        from: '2026-12-01T00:00:00Z',
      }),
    ).toEqual({
      sql: 'SELECT 1',
      maxRows: 10,
      types: ['attack'],
      from: new Date('2026-12-01T00:00:00Z'),
      to: undefined,
    });
  });

  it.each([
    [[], 400, 'send a JSON object'],
    [{ sql: '  ' }, 400, '"sql" must be a non-empty string'],
    [{ sql: 'x'.repeat(16 * 1024 + 1) }, 413, 'at most 16384 characters'],
    [{ sql: 'SELECT 1', maxRows: 0 }, 400, '"maxRows" must be a positive integer'],
    [{ sql: 'SELECT 1', types: [1] }, 400, '"types" must be an array of signal types'],
    [{ sql: 'SELECT 1', to: 'yesterday' }, 400, '"to" must be an ISO 8601 date-time'],
  ])('refuses %j with %i naming the problem', (body, status, message) => {
    const refused = refusal(body);
    expect(refused.status).toBe(status);
    expect(refused.message).toContain(message);
  });
});
