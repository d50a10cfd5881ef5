import sanitizeHtml from 'sanitize-html';

/**
 * Rich text written in the console's editor (notices, news) is stored as sanitized HTML and shown
 * to every reader, so the server is the only place that decides what HTML survives: an allowlist,
 * never a blocklist. Images must come from our own uploads (a same-origin `/api/…` path): an external
 * image would tell a third party who read a notice and when. Links keep safe schemes only.
 */
const OWN_UPLOAD_SRC = /^\/api\/(?!.*\.\.)[A-Za-z0-9_\-./]+$/;
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/))/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'h1', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'blockquote', 'hr',
    'strong', 'b', 'em', 'i', 'u', 's', 'a', 'img',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'colgroup', 'col',
  ],
  allowedAttributes: {
    a: ['href', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // script, style and friends lose their content too, not only their tags
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template'],
  exclusiveFilter: (frame) => frame.tag === 'img' && !OWN_UPLOAD_SRC.test(frame.attribs.src ?? ''),
  transformTags: {
    a: (_tagName, attribs): { tagName: string; attribs: sanitizeHtml.Attributes } => {
      const href = (attribs.href ?? '').trim();
      if (!SAFE_HREF.test(href)) return { tagName: 'a', attribs: {} };
      // an external link opens apart from the console and cannot reach back into it
      const external = /^https?:/i.test(href);
      return { tagName: 'a', attribs: external ? { href, target: '_blank', rel: 'noopener noreferrer nofollow' } : { href } };
    },
  },
};

const BLOCK_END = /<\/(p|h[1-4]|li|blockquote|tr|table)>|<br\s*\/?>|<hr\s*\/?>/gi;
const CELL_END = /<\/(td|th)>/gi;

/** Sanitized HTML to store and show, and a plain-text copy for search, previews and SMS. */
export function sanitizeRichText(html: string): { html: string; text: string } {
  const clean = sanitizeHtml(html, OPTIONS).trim();
  const text = sanitizeHtml(clean.replace(BLOCK_END, (m) => `${m}\n`).replace(CELL_END, (m) => `${m} `), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { html: clean, text };
}
