import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskName, maskPartial, maskPhone, maskRuleFor, maskValue, maskYear, REDACTED } from '../../../src/privacy/access/mask.js';

function table(fn: (s: string) => string, cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [input, expected] of cases) {
    expect(fn(input), `input ${JSON.stringify(input)}`).toBe(expected);
  }
}

describe('maskEmail', () => {
  it('keeps the first character of the local part and the domain', () => {
    table(maskEmail, [
      ['zhang.li@example.com', 'z***@example.com'],
      ['a@b.io', 'a***@b.io'],
      ['  Łukasz.Żółć@przykład.pl ', 'Ł***@przykład.pl'],
      ['张伟@例子.中国', '张***@例子.中国'],
      ['"odd@local"@example.com', '"***@example.com'],
    ]);
  });

  it('masks text that is not an e-mail as partial', () => {
    table(maskEmail, [
      ['not-an-email', 'n***'],
      ['@example.com', '@***'],
      ['trailing@', 't***'],
      ['', ''],
    ]);
  });
});

describe('maskPhone', () => {
  it('China mobile: first 3 and last 4 kept', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138-****-5678');
  });

  it('international numbers keep + and separators in place', () => {
    table(maskPhone, [
      ['+86 138 1234 5678', '+86 1** **** 5678'],
      ['+44 7911 123456', '+44 7*** **3456'],
      ['+1 (415) 555-2671', '+1 (41*) ***-2671'],
      ['(415) 555-2671', '(41*) ***-2671'],
      ['+48 600 700 800', '+48 6** **0 800'],
    ]);
  });

  it('short numbers: at least half masked, tiny ones fully', () => {
    table(maskPhone, [
      ['55512345', '****2345'],
      ['5551234', '5****34'],
      ['12345', '***45'],
      ['1234', '****'],
      ['112', '***'],
      ['n/a', '***'],
      ['', ''],
    ]);
  });
});

describe('maskName', () => {
  it('first character of each part + ** (length hidden)', () => {
    table(maskName, [
      ['Zhang Li', 'Z** L**'],
      ['Łukasz Żółć', 'Ł** Ż**'],
      ['  Ana   María  ', 'A**   M**'],
      ['Jean-Luc Picard', 'J**-L** P**'],
      ['J', 'J**'],
      ['', ''],
    ]);
  });

  it('CJK names written without spaces are one part; transliterated names split at the middle dot', () => {
    table(maskName, [
      ['张伟', '张**'],
      ['欧阳娜娜', '欧**'],
      ['山田 太郎', '山** 太**'],
      ['김민준', '김**'],
      ['阿卜杜拉·买买提', '阿**·买**'],
    ]);
  });

  it('keeps a whole grapheme: combining marks and emoji are never cut in half', () => {
    expect(maskName('E\u0301milie Zoe\u0308')).toBe('E\u0301** Z**');
    expect(maskName('👩‍👩‍👧 Family')).toBe('👩‍👩‍👧** F**');
  });
});

describe('maskAddress', () => {
  it('hides the street line and unit lines, keeps city/region/country and the postcode area', () => {
    table(maskAddress, [
      ['221B Baker Street, London NW1 6XE, UK', '***, London NW1 ***, UK'],
      ['1 Market St, Suite 400, San Francisco, CA 94103, USA', '***, ***, San Francisco, CA 941**, USA'],
      ['Unter den Linden 77, 10117 Berlin, Germany', '***, 101** Berlin, Germany'],
      ['ul. Żółkiewskiego 12/3\n00-950 Warszawa', '***, 00-*** Warszawa'],
      ['Baker Street\nLondon', '***, London'],
      ['12 Main Rd, Apt 5, Springfield', '***, ***, Springfield'],
      ['12 Main Rd, Springfield #7', '***, ***'],
    ]);
  });

  it('single-part addresses: CJK divisions kept, anything else fully hidden', () => {
    table(maskAddress, [
      ['北京市朝阳区建国路88号', '北京市朝阳区***'],
      ['广东省深圳市南山区科技园路1号', '广东省深圳市南山区***'],
      ['上海市黄浦区市场路5号', '上海市黄浦区***'],
      ['東京都港区六本木1-2-3', '東京都港区***'],
      ['221B Baker Street London', '***'],
      ['北京市', '***'],
      ['', ''],
    ]);
  });

  it('splits at full-width commas too', () => {
    expect(maskAddress('建国路88号，朝阳区，北京市')).toBe('***, 朝阳区, 北京市');
  });
});

describe('maskYear / maskPartial', () => {
  it('generalises years to the decade and masks other text to its first character', () => {
    expect(maskYear(1987)).toBe('198*');
    expect(maskYear('2001')).toBe('200*');
    expect(maskYear('87')).toBe('***');
    expect(maskPartial('Prefers SMS')).toBe('P***');
    expect(maskPartial(' ')).toBe('');
  });
});

describe('maskValue', () => {
  it('dispatches by rule, PII role and class', () => {
    expect(maskValue('13812345678', 'phone')).toBe('138****5678');
    expect(maskValue('zhang.li@example.com', 'email')).toBe('z***@example.com');
    expect(maskValue('Zhang Li', 'name')).toBe('Z** L**');
    expect(maskValue('had surgery in May', 'note')).toBe(REDACTED);
    expect(maskValue('had surgery in May', 'personal-sensitive')).toBe(REDACTED);
    expect(maskValue('Prefers SMS', 'personal')).toBe('P***');
    expect(maskValue(1987, 'year')).toBe('198*');
    expect(maskValue(42.5, 'internal')).toBe(42.5);
    expect(maskValue('Shoes', 'public')).toBe('Shoes');
    expect(maskValue(null, 'email')).toBeNull();
    expect(maskValue(undefined, 'redact')).toBeNull();
  });

  it('maps classes and roles to rules', () => {
    expect(maskRuleFor('personal-sensitive')).toBe('redact');
    expect(maskRuleFor('personal')).toBe('partial');
    expect(maskRuleFor('internal')).toBe('none');
    expect(maskRuleFor('public')).toBe('none');
    expect(maskRuleFor('note')).toBe('redact');
    expect(maskRuleFor('address')).toBe('address');
  });
});
