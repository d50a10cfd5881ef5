declare module 'virtual:zh-hant-messages' {
  const messages: Record<import('./platform/i18n.js').MessageKey, string>;
  export default messages;
}
