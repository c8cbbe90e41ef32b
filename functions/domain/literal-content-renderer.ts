/**
 * The renderer the router uses: literal `content` is rendered here; `template` requests go to a
 * template renderer when this build has one, and are rejected with a clear reason when it has not.
 */
import { RequestRejectedError } from './errors';
import type { MessageRenderer, RenderInput } from './ports';
import { renderLiteralContent } from './render-literal-content';

/** Reason recorded for a template request when no template renderer is wired in. */
export const TEMPLATES_UNAVAILABLE = 'templates are not available in this build';

/** Renders literal content itself and delegates templates to `templates`, if given. */
export function createMessageRenderer(templates?: MessageRenderer): MessageRenderer {
  return {
    async render(input: RenderInput) {
      if (input.request.content) return renderLiteralContent(input.request.content, input.channel);
      if (!templates) throw new RequestRejectedError([TEMPLATES_UNAVAILABLE]);
      return templates.render(input);
    },
  };
}
