import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import zhTW from 'antd/locale/zh_TW';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/zh-tw';
import zhHant from 'virtual:zh-hant-messages';
import { dictionaries as registered, format, LANGUAGES, type Dictionary, type Language, type MessageKey } from './i18n.js';
import { setApiLanguage } from './api.js';

const STORAGE_KEY = 'dangjian.lang';
const dictionaries: Record<Language, Dictionary> = { 'zh-Hans': registered['zh-Hans'], 'zh-Hant': zhHant, en: registered.en };
const antdLocales = { 'zh-Hans': zhCN, 'zh-Hant': zhTW, en: enUS } as const;
const dayjsLocales: Record<Language, string> = { 'zh-Hans': 'zh-cn', 'zh-Hant': 'zh-tw', en: 'en' };
const htmlLang: Record<Language, string> = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', en: 'en' };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface LocaleContext {
  lang: Language;
  setLang: (lang: Language) => void;
  t: Translate;
}

const Context = createContext<LocaleContext | null>(null);

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.find((l) => l === stored) ?? 'zh-Hans';
}

function apply(lang: Language): void {
  setApiLanguage(lang);
  dayjs.locale(dayjsLocales[lang]);
  document.documentElement.lang = htmlLang[lang];
}

/**
 * The console's theme. Secondary and descriptive text is darker than antd's default (45 % black on
 * white is 3.4:1, below WCAG AA's 4.5:1): 62 % black is 5.9:1 on white and 5.4:1 on the grey of cards'
 * headers. The party red on white is 6.0:1.
 */
const THEME = {
  token: {
    colorPrimary: '#c0161b',
    // links, "processing" tags and info: antd's blue-6 is 4.1:1 on white, blue-7 is 6.4:1
    colorInfo: '#0958d9',
    colorLink: '#0958d9',
    // a link under the pointer: antd's lighter hover blue is 2.8:1; blue-8 is 9.2:1
    colorLinkHover: '#003eb3',
    // danger buttons and error text: #ff4d4f is 3.3:1, this red 5.6:1
    colorError: '#cf1322',
    // success and warning text on their light backgrounds (tags, alerts)
    colorSuccess: '#237804',
    // warning text reads 6.2:1 even on the grey of a card's header (antd's gold-7 was 4.0:1 there)
    colorWarning: '#874d00',
    borderRadius: 6,
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
  },
  components: {
    // the menu's section titles (我的, 组织 …): antd's 45 % black is 3.3:1 on the sider's white
    Menu: { groupTitleColor: 'rgba(0, 0, 0, 0.62)' },
  },
} as const;

export function LocaleProvider({ children, onChange }: { children: ReactNode; onChange?: (lang: Language) => void }) {
  const [lang, setLangState] = useState<Language>(() => {
    const l = initialLanguage();
    apply(l);
    return l;
  });
  const setLang = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    apply(next);
    setLangState(next);
    onChange?.(next);
  }, [onChange]);
  const value = useMemo<LocaleContext>(() => {
    const dictionary = dictionaries[lang];
    return { lang, setLang, t: (key, params) => format(dictionary[key] ?? key, params) };
  }, [lang, setLang]);
  return (
    <Context.Provider value={value}>
      <ConfigProvider locale={antdLocales[lang]} theme={THEME}>
        {children}
      </ConfigProvider>
    </Context.Provider>
  );
}

export function useLocale(): LocaleContext {
  const context = useContext(Context);
  if (!context) throw new Error('useLocale outside LocaleProvider');
  return context;
}

export function useT(): Translate {
  return useLocale().t;
}
