/**
 * Scenario narrative → safe HTML. Raw HTML in the Markdown is shown as text, never parsed;
 * links work only inside the app (`#/…`); images are replaced by their description, so
 * nothing is ever fetched from elsewhere. DOMPurify cleans the result once more.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html: (t: Tokens.HTML | Tokens.Tag) => escape(t.text),
    image: (t: Tokens.Image) => `<span class="md-image">[${escape(t.text || 'image')}]</span>`,
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, t: Tokens.Link) {
      const text = this.parser.parseInline(t.tokens);
      return t.href.startsWith('#/') ? `<a href="${escape(t.href)}">${text}</a>` : `${text} <span class="md-url">(${escape(t.href)})</span>`;
    },
  },
});

export function renderMarkdown(md: string): string {
  const html = marked.parse(md) as string;
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS: ['p', 'h1', 'h2', 'h3', 'h4', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'a', 'span', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'del'],
    ALLOWED_ATTR: ['href', 'class'],
    ALLOWED_URI_REGEXP: /^#\//,
  });
}
