import { InputError } from './cli-errors';
import { parseTimeOption } from './time-option';

const now = new Date('2026-11-21T12:00:00.000Z');

describe('time options', () => {
  it.each([
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['2026-11-20T08:30:00Z', '2026-11-20T08:30:00.000Z'],
    ['2026-11-20T08:30:00+02:00', '2026-11-20T06:30:00.000Z'],
    ['now', '2026-11-21T12:00:00.000Z'],
    ['now-90m', '2026-11-21T10:30:00.000Z'],
    ['now-2d', '2026-11-19T12:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseTimeOption(text, '--from', now).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '1700000000', '2026-13-45', 'now-5w', ''])(
    'refuses %j with a usage error naming the option',
    (text) => {
      expect(() => parseTimeOption(text, '--to', now)).toThrow(InputError);
      expect(() => parseTimeOption(text, '--to', now)).toThrow(/--to .* is not a time/);
    },
  );
});
