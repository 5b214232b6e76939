import { ApiError, QuerySchemaPipe } from '@vigil/service-kit';
import { APPS_QUERY, toSelection } from './apps-query';

const pipe = new QuerySchemaPipe(APPS_QUERY);

describe('GET /v1/apps parameters', () => {
  it('defaults to the most recently seen first, 100 per page', () => {
    expect(toSelection(pipe.transform({}))).toMatchObject({
      sort: 'lastSeen',
      order: 'desc',
      limit: 100,
      offset: 0,
    });
  });

  it('types what the query string says', () => {
    const selection = toSelection(
      pipe.transform({
        sort: 'attacks24h',
        hasOpenFindings: 'true',
        minAttacks7d: '3',
        seenSince: '2026-12-01T10:00:00+01:00',
        limit: '20',
      }),
    );
    expect(selection).toMatchObject({
      sort: 'attacks24h',
      order: 'asc',
      hasOpenFindings: true,
      minAttacks7d: 3,
      seenSince: '2026-12-01T09:00:00.000Z',
      limit: 20,
    });
  });

  it.each([
    [{ sort: 'bogus' }, '"sort" must be one of'],
    [{ limit: '501' }, '"limit" must be <= 500'],
    [{ hasOpenFindings: 'maybe' }, '"hasOpenFindings" must be boolean'],
    [{ seenSince: 'last week' }, '"seenSince" must match format "date-time"'],
    [{ offset: '-1' }, '"offset" must be >= 0'],
  ])('refuses %j with a 400 naming the parameter', (query, message) => {
    let refused: unknown;
    try {
      pipe.transform(query);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).getStatus()).toBe(400);
    expect(((refused as ApiError).getResponse() as { message: string }).message).toContain(message);
  });
});
