import { htmlToText } from '../../../functions/domain/templates';

describe('Function: htmlToText', () => {
  it.each([
    ['paragraphs on their own lines', '<p>One</p>\n<p>Two</p>', 'One\n\nTwo'],
    [
      'link targets after their label',
      '<a href="https://x.test/a?b=1&amp;c=2">Open</a>',
      'Open (https://x.test/a?b=1&c=2)',
    ],
    ['list items as dashes', '<ul><li>A</li><li>B</li></ul>', '- A\n- B'],
    ['entities decoded', '<p>Tom &amp; Jerry &lt;3 &#8364;5 &euro;</p>', 'Tom & Jerry <3 €5 €'],
    [
      'head, styles and comments dropped',
      '<head><title>T</title><style>p{}</style></head><!-- x --><p>Body</p>',
      'Body',
    ],
    ['image alt text kept', '<img src="x.png" alt="Logo"> Hi', 'Logo Hi'],
  ])('keeps %s', (_case, html, text) => {
    // Act
    const result = htmlToText(html);

    // Assess
    expect(result).toBe(text);
  });
});
