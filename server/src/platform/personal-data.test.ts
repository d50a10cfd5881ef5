import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipher, isValidIdNumber, maskIdNumber, maskPhone, withIdCheckDigit } from './personal-data.js';

describe('GB 11643 ID numbers', () => {
  it('accepts a number whose check character matches', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber(withIdCheckDigit('32010219900101123'))).toBe(true);
  });

  it('refuses a wrong check character, a bad length, letters and impossible birth dates', () => {
    const good = withIdCheckDigit('32010219900101123');
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(isValidIdNumber(wrongCheck)).toBe(false);
    expect(isValidIdNumber(good.slice(0, 17))).toBe(false);
    expect(isValidIdNumber('3201021990010112AB')).toBe(false);
    expect(isValidIdNumber(withIdCheckDigit('32010219900230123'))).toBe(false); // 30 February
    expect(isValidIdNumber(withIdCheckDigit('32010230000101123'))).toBe(false); // born in the future
  });
});

describe('masks', () => {
  it('shows the first and last four digits of an ID number and hides the rest', () => {
    expect(maskIdNumber('320102199001011234')).toBe('3201**********1234');
  });
  it('hides the middle four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});

describe('personal data cipher', () => {
  const cipher = createCipher(crypto.randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = cipher.encrypt('320102199001011234');
    expect(sealed).not.toContain('320102199001011234');
    expect(cipher.decrypt(sealed)).toBe('320102199001011234');
  });

  it('gives a fresh ciphertext each time but a stable blind index', () => {
    expect(cipher.encrypt('13812345678')).not.toBe(cipher.encrypt('13812345678'));
    expect(cipher.blindIndex('13812345678')).toBe(cipher.blindIndex('13812345678'));
    expect(cipher.blindIndex('13812345678')).not.toBe(cipher.blindIndex('13812345679'));
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = cipher.encrypt('320102199001011234');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => cipher.decrypt(tampered)).toThrow();
  });

  it('cannot be read with another key', () => {
    const other = createCipher(crypto.randomBytes(32));
    expect(() => other.decrypt(cipher.encrypt('x'))).toThrow();
  });
});
