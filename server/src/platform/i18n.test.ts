import { describe, expect, it } from 'vitest';
import { defineMessages, languageOf, simplify, translate } from './i18n.js';

describe('request language', () => {
  it.each([
    [undefined, 'zh-Hans'],
    ['zh-CN,zh;q=0.9', 'zh-Hans'],
    ['zh-TW', 'zh-Hant'],
    ['zh-HK,en;q=0.5', 'zh-Hant'],
    ['en-US,en;q=0.9', 'en'],
  ])('reads %s as %s', (header, lang) => {
    expect(languageOf(header)).toBe(lang);
  });
});

describe('messages', () => {
  defineMessages({ 'test.greeting': { zh: '党员{name}已转出', en: 'Member {name} transferred out' } });

  it('fills parameters in each language and converts to traditional characters', () => {
    expect(translate('test.greeting', 'zh-Hans', { name: '王伟' })).toBe('党员王伟已转出');
    expect(translate('test.greeting', 'zh-Hant', { name: '王伟' })).toBe('黨員王伟已轉出');
    expect(translate('test.greeting', 'en', { name: 'Wang Wei' })).toBe('Member Wang Wei transferred out');
  });

  it('simplifies traditional text so that searches match both', () => {
    expect(simplify('市機關事務管理局黨委')).toBe('市机关事务管理局党委');
  });
});
