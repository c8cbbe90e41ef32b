/**
 * Plain text from email HTML, for the text/plain part when a template gives none. Mail clients that
 * show text only, and spam filters that compare the parts, both want the same words and links.
 * Deliberately small: the HTML comes from our own templates, not from the open web.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  euro: '€',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  laquo: '«',
  raquo: '»',
};

/** Converts email HTML to readable plain text: paragraphs, line breaks, list items and link targets kept. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    // Line breaks in HTML source are only spaces; the tags below decide where lines end.
    .replace(/\s+/g, ' ')
    .replace(/<img\b[^>]*?\balt\s*=\s*(["'])(.*?)\1[^>]*>/gi, (_match, _quote, alt) => alt)
    .replace(
      /<a\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a\s*>/gi,
      (_match, _quote, href, label) => linkText(decodeEntities(href), label),
    )
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(td|th)\s*>/gi, ' ')
    .replace(/<\/tr\s*>/gi, '\n')
    .replace(/<\/?(p|div|h[1-6]|table|ul|ol|blockquote|section|header|footer|hr)\b[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function linkText(href: string, labelHtml: string): string {
  const label = decodeEntities(labelHtml.replace(/<[^>]+>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
  if (href === '' || href.startsWith('#') || label === href) return label || href;
  return label === '' ? href : `${label} (${href})`;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
