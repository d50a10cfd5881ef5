import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import * as OpenCC from 'opencc-js';
import { zhHans } from './src/platform/i18n.js';
import { moduleMessages } from './src/modules/messages.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/** zh-Hant strings converted from zh-Hans at build time (the same OpenCC table the server uses): the shell's and every module's. */
function traditionalChineseMessages(): Plugin {
  const id = 'virtual:zh-hant-messages';
  const resolved = `\0${id}`;
  return {
    name: 'zh-hant-messages',
    resolveId: (source) => (source === id ? resolved : undefined),
    load(source) {
      if (source !== resolved) return undefined;
      const convert = OpenCC.Converter({ from: 'cn', to: 'tw' });
      const all: Record<string, string> = Object.assign({}, zhHans, ...moduleMessages.map((m) => m.zhHans));
      const converted = Object.fromEntries(Object.entries(all).map(([key, text]) => [key, convert(text)]));
      return `export default ${JSON.stringify(converted)};`;
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), traditionalChineseMessages()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // no gzip size per chunk: it costs seconds and `npm start` does not print the chunk listing (--logLevel warn)
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
