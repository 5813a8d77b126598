import {
  formatNumber,
  formatTag,
  isWireSafeNumber,
  MAX_NAME_LENGTH,
  MAX_TAG_LENGTH,
  sanitizeName,
  sanitizeSetMember,
} from './sanitize';

/** Characters that would end a line, start a field or add a tag somewhere on the wire. */
const HOSTILE = ['\n', '\r', '|', ':', '#', ',', '@', '=', ' ', '\t', '\u0000'];
const GRINNING = '\u{1F600}'; // one code point, two UTF-16 code units, four UTF-8 bytes

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

describe('sanitizeName', () => {
  it('keeps letters, digits, "_", "-" and dots', () => {
    expect(sanitizeName('app.http-request_2.cpu')).toBe('app.http-request_2.cpu');
  });

  it.each(HOSTILE)('replaces %j with "_"', (character) => {
    expect(sanitizeName(`a${character}b`)).toBe('a_b');
  });

  it('collapses empty segments and trims dots at both ends', () => {
    expect(sanitizeName('..a...b..')).toBe('a.b');
  });

  it('replaces each UTF-16 unit of a non-ASCII character, so no surrogate survives', () => {
    expect(sanitizeName(`caf\u00e9.${GRINNING}`)).toBe('caf_.__');
  });

  it('returns "" when nothing usable is left', () => {
    expect(sanitizeName('...')).toBe('');
  });

  it('cuts names to 200 characters without leaving a trailing dot', () => {
    expect(sanitizeName('a'.repeat(300))).toBe('a'.repeat(MAX_NAME_LENGTH));
    expect(sanitizeName(`${'a'.repeat(199)}.bbbb`)).toBe('a'.repeat(199));
  });

  it('never lets a line, field or tag separator through, whatever the input', () => {
    const hostile = `x${HOSTILE.join('')}\u2028\u2029${GRINNING}`.repeat(50);
    const name = sanitizeName(hostile);
    expect(name).toMatch(/^[A-Za-z0-9_.-]{1,200}$/);
  });
});

describe('formatTag (dogstatsd)', () => {
  it('writes key:value', () => {
    expect(formatTag('dogstatsd', 'env', 'prod')).toBe('env:prod');
  });

  it('keeps ":" and "/" in the value (the key ends at the first ":")', () => {
    expect(formatTag('dogstatsd', 'route', '/users/:id')).toBe('route:/users/:id');
  });

  it.each(['\n', '\r', '|', ',', '#', '@', ' ', '\t', '\u0000', '\u2028', '\u200b'])(
    'replaces %j in a value with "_"',
    (character) => {
      expect(formatTag('dogstatsd', 'k', `a${character}b`)).toBe('k:a_b');
    },
  );

  it('keeps "=" in a value, which has no meaning in DogStatsD', () => {
    expect(formatTag('dogstatsd', 'k', 'a=b')).toBe('k:a=b');
  });

  it.each([':', '|', ',', '#', '@', '=', ' ', '\n', '\u0000'])(
    'replaces %j in a key with "_"',
    (character) => {
      expect(formatTag('dogstatsd', `a${character}b`, 'v')).toBe('a_b:v');
    },
  );

  it('keeps unicode values, including astral characters', () => {
    expect(formatTag('dogstatsd', 'city', `Z\u00fcrich ${GRINNING}`)).toBe(
      `city:Z\u00fcrich_${GRINNING}`,
    );
  });

  it('writes "_" for an empty key or value', () => {
    expect(formatTag('dogstatsd', '', '')).toBe('_:_');
  });

  it('cuts the whole tag to 200 characters', () => {
    const tag = formatTag('dogstatsd', 'k', 'v'.repeat(500));
    expect(tag).toBe(`k:${'v'.repeat(MAX_TAG_LENGTH - 2)}`);
  });

  it('does not cut a surrogate pair in half at the 200-character limit', () => {
    // "k:" + 197 x "v" puts the emoji's high surrogate at index 199, the last one kept.
    const tag = formatTag('dogstatsd', 'k', `${'v'.repeat(197)}${GRINNING}tail`);
    expect(tag).toBe(`k:${'v'.repeat(197)}`);
    expect(hasLoneSurrogate(tag)).toBe(false);
  });

  it('keeps a surrogate pair that ends exactly at the limit', () => {
    const tag = formatTag('dogstatsd', 'k', `${'v'.repeat(196)}${GRINNING}tail`);
    expect(tag).toBe(`k:${'v'.repeat(196)}${GRINNING}`);
    expect(tag).toHaveLength(MAX_TAG_LENGTH);
  });

  it('produces one well-formed tag from very long hostile input', () => {
    const hostile = `${HOSTILE.join('')}${GRINNING}`;
    const tag = formatTag('dogstatsd', hostile, hostile.repeat(1000));
    expect(tag.length).toBeLessThanOrEqual(MAX_TAG_LENGTH);
    expect(tag).not.toMatch(/[|,#@\s\p{Cc}]/u);
    expect(hasLoneSurrogate(tag)).toBe(false);
    expect(tag.indexOf(':')).toBeGreaterThan(0);
  });
});

describe('formatTag (telegraf)', () => {
  it('writes key=value', () => {
    expect(formatTag('telegraf', 'env', 'prod')).toBe('env=prod');
  });

  it.each(HOSTILE)('replaces %j in keys and values with "_"', (character) => {
    expect(formatTag('telegraf', `a${character}b`, `c${character}d`)).toBe('a_b=c_d');
  });

  it('replaces ":" in a value, which would split the line in Telegraf', () => {
    expect(formatTag('telegraf', 'route', '/users/:id')).toBe('route=/users/_id');
  });

  it('replaces each UTF-16 unit of non-ASCII characters', () => {
    expect(formatTag('telegraf', 'k', `\u00e9${GRINNING}`)).toBe('k=___');
  });

  it('writes "_" for an empty key or value and cuts to 200 characters', () => {
    expect(formatTag('telegraf', '', '')).toBe('_=_');
    expect(formatTag('telegraf', 'k', 'v'.repeat(300))).toHaveLength(MAX_TAG_LENGTH);
  });
});

describe('formatTag (statsd)', () => {
  it('writes key_value, a name segment', () => {
    expect(formatTag('statsd', 'env', 'prod')).toBe('env_prod');
  });

  it.each([...HOSTILE, '.', '/'])('replaces %j in keys and values with "_"', (character) => {
    expect(formatTag('statsd', `a${character}b`, `c${character}d`)).toBe('a_b_c_d');
  });

  it('writes "_" for an empty key or value and cuts to 200 characters', () => {
    expect(formatTag('statsd', '', '')).toBe('___');
    expect(formatTag('statsd', 'k', 'v'.repeat(300))).toHaveLength(MAX_TAG_LENGTH);
  });
});

describe('sanitizeSetMember', () => {
  it('keeps an ordinary member', () => {
    expect(sanitizeSetMember('user-42')).toBe('user-42');
  });

  it.each(['\n', '\r', '|', ':', '#', ',', '@', ' ', '\u0000', '\u2028'])(
    'replaces %j with "_"',
    (character) => {
      expect(sanitizeSetMember(`a${character}b`)).toBe('a_b');
    },
  );

  it('cannot smuggle a second metric onto the line', () => {
    expect(sanitizeSetMember('x|s\nevil:1|c')).toBe('x_s_evil_1_c');
  });

  it('keeps unicode, and does not cut a surrogate pair at the limit', () => {
    const member = sanitizeSetMember(`${'m'.repeat(199)}${GRINNING}`);
    expect(member).toBe('m'.repeat(199));
    expect(sanitizeSetMember(`Z\u00fcrich${GRINNING}`)).toBe(`Z\u00fcrich${GRINNING}`);
  });

  it('writes "_" for an empty member', () => {
    expect(sanitizeSetMember('')).toBe('_');
  });
});

describe('isWireSafeNumber', () => {
  it.each([0, -1, 1.5, 1e15, -1e15])('accepts %p', (value) => {
    expect(isWireSafeNumber(value)).toBe(true);
  });

  it.each([NaN, Infinity, -Infinity, 1e300, 1e15 + 2, '1', null, undefined])(
    'rejects %p',
    (value) => {
      expect(isWireSafeNumber(value)).toBe(false);
    },
  );
});

describe('formatNumber', () => {
  it.each([
    [42, '42'],
    [-7, '-7'],
    [1e15, '1000000000000000'],
    [1.23456, '1.235'],
    [0.0004, '0'],
    [-0.0004, '0'],
    [1e-7, '0'],
    [2.5, '2.5'],
  ])('writes %p as %p, without an exponent', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('formatTag with a very long key', () => {
  it.each(['dogstatsd', 'telegraf', 'statsd'] as const)('keeps the separator and the value in %s', (flavor) => {
    const tag = formatTag(flavor, 'k'.repeat(500), 'value');
    expect(tag.length).toBeLessThanOrEqual(MAX_TAG_LENGTH);
    expect(tag.endsWith({ dogstatsd: ':value', telegraf: '=value', statsd: '_value' }[flavor])).toBe(true);
  });
});
