/**
 * What every CLI command is: a one-line summary and a run function over its own arguments.
 */

/** Where a command writes; tests pass their own to capture output. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** One top-level command, such as `templates`. */
export interface Command {
  /** Shown in `switchboard --help`. */
  readonly summary: string;
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}
