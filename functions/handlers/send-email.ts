/**
 * Placeholder entry for the send-email Lambda so the CDK app can bundle it; the real handler comes from
 * its own issue's branch and replaces this file at merge.
 */

/** Lambda entry: not wired yet. */
export const handler = async (): Promise<never> => {
  throw new Error('not wired yet');
};
