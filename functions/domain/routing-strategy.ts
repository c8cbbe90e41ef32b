/**
 * Which routing strategy a request is routed by: its own `routing.strategy`, else the default
 * configured for its category, else `preferred`. The one place that rule lives (planning reads it
 * for `all`, the router for `learned`).
 */
import type { MessageRequest, RoutingStrategy } from '../contract';

/** The default strategy per category (e.g. `{ marketing: 'learned' }`); categories not named route `preferred`. */
export type StrategyDefaults = Readonly<Partial<Record<string, RoutingStrategy>>>;

/** The strategy a request is routed by. */
export function routingStrategyOf(request: MessageRequest, defaults?: StrategyDefaults): RoutingStrategy {
  return request.routing?.strategy ?? defaults?.[request.category] ?? 'preferred';
}
