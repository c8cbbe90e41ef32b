/**
 * Every Lambda entry is built on first use, once per container: importing a handler module never
 * reads the environment, reads secrets or connects, and tests import the factories freely.
 */

/** The handler `build` returns, built on the first call and reused after. */
export function lazyHandler<Args extends unknown[], Result>(
  build: () => (...args: Args) => Result,
): (...args: Args) => Result {
  let built: ((...args: Args) => Result) | undefined;
  return (...args) => {
    built ??= build();
    return built(...args);
  };
}
