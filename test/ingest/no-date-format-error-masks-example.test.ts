import { describe, expect, it } from 'vitest';
import { noDateFormatError } from '../../src/ingest/detect-date-format.js';
import { describeQuarantineDetail } from '../../src/pipeline/quarantine-examples.js';

// Privacy officer's trial (session 40): `clvkit ingest --map signup_date=email profiles.csv --role analyst` stopped
// with `no date format fits column 'email' of profiles.csv (e.g. "poppy.norris.100001@example.com")`: a raw e-mail
// address on the terminal of a role that may see personal data masked only (and in whatever logs the terminal's
// output). The example is now shown as the report shows an unreadable date: as read when it looks like a date —
// digits, separators, AM/PM, month and weekday names, what a reader needs to choose --date-format — masked otherwise.

const message = (example: string) => noDateFormatError('/data/profiles.csv', 'signup', example).message;

describe('the example value of "no date format fits"', () => {
  it('is masked when it does not look like a date', () => {
    expect(message('poppy.norris.100001@example.com')).toBe(`no date format fits column 'signup' of profiles.csv (e.g. "p***")`);
    expect(message('Poppy Norris')).toBe(`no date format fits column 'signup' of profiles.csv (e.g. "P***")`);
    // a phone number is digits and separators too, but not a date's shape
    expect(message('+44 7700 900770')).toBe(`no date format fits column 'signup' of profiles.csv (e.g. "+***")`);
    expect(message('07700900770')).toBe(`no date format fits column 'signup' of profiles.csv (e.g. "0***")`);
  });

  it('is shown as read when it looks like a date, month and weekday names included', () => {
    for (const date of ['31.12.2023 10:00', '12/31/23 4:05 PM', '2023-12-31T10:00:00+01:00', 'Jan 12, 2023 10:00 AM', 'Sunday, 31 December 2023', '20231231']) {
      expect(message(date)).toBe(`no date format fits column 'signup' of profiles.csv (e.g. ${JSON.stringify(date)})`);
    }
  });

  it('follows the rule the report applies to an unreadable date, which now reads month names too', () => {
    expect(describeQuarantineDetail('bad_date', 'date: Jan 12, 2023', 'orders.csv', true)).toBe('date: Jan 12, 2023');
    expect(describeQuarantineDetail('bad_date', 'date: poppy@example.com', 'orders.csv', true)).toBe('date: p***');
  });
});
