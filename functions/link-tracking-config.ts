/**
 * Configuration of link tracking (docs/links.md), from the environment, read once and checked like
 * functions/config.ts: the base URL of the short links and the categories whose links are left
 * untouched. The senders read it (they rewrite); the stack sets it (infra/stateless-stack.ts).
 */
import { ConfigurationError } from './config';
import { CategorySchema } from './contract';
import type { LinkTrackingSettings } from './domain/links/link-tracking';

/** Environment variable names of link tracking. */
export const LinkTrackingEnv = {
  /**
   * Scheme and host the short links start with (`https://go.example.com`, then `/c/<token>`): the
   * click function's URL by default on AWS, the local HTTP server locally. Unset, no link is rewritten.
   */
  BASE_URL: 'SWITCHBOARD_LINKS_BASE_URL',
  /** Per category, `transactional=false,marketing=true`; a category not named is tracked. */
  CATEGORIES: 'SWITCHBOARD_LINK_TRACKING_CATEGORIES',
} as const;

/** Reads link tracking's configuration; throws naming the variable when one is malformed. */
export function linkTrackingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LinkTrackingSettings {
  const baseUrl = env[LinkTrackingEnv.BASE_URL]?.trim();
  if (baseUrl && !isWebBase(baseUrl)) {
    throw new ConfigurationError(
      `Environment variable ${LinkTrackingEnv.BASE_URL} must be an http or https URL without query, got "${baseUrl}"`,
    );
  }
  return { ...(baseUrl ? { baseUrl } : {}), categories: categoriesOf(env[LinkTrackingEnv.CATEGORIES] ?? '') };
}

function isWebBase(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash;
  } catch {
    return false;
  }
}

function categoriesOf(raw: string): Record<string, boolean> {
  const categories: Record<string, boolean> = {};
  for (const pair of raw.split(',').map((part) => part.trim())) {
    if (pair === '') continue;
    const [category = '', value = ''] = pair.split('=').map((part) => part.trim());
    if (!CategorySchema.safeParse(category).success || (value !== 'true' && value !== 'false')) {
      throw new ConfigurationError(
        `Environment variable ${LinkTrackingEnv.CATEGORIES} must be category=true|false pairs, got "${raw}"`,
      );
    }
    categories[category] = value === 'true';
  }
  return categories;
}
