// Usage errors exit 2 ("could not check"), as everywhere in hookwarden. Commander copies
// exitOverride only into subcommands created after it is set, so each command sets its own.
import type { Command } from 'commander';

export function exitTwoOnUsageError(cmd: Command): Command {
  return cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
}
