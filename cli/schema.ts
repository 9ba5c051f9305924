import { Argument, type Command } from 'commander';
import { SCHEMA_NAMES, schemaText, type SchemaName } from './support/schemas.js';
import { exitTwoOnUsageError } from './support/usage.js';

export function registerSchema(program: Command): void {
  exitTwoOnUsageError(program.command('schema'))
    .description('Print a JSON Schema: the config file, the audit record, or the --json output of a command')
    .addArgument(new Argument('<name>', 'which schema').choices(SCHEMA_NAMES))
    .addHelpText('after', `
The text is the same as schema/<name>.schema.json in the package (install covers uninstall too;
tail describes one line of its JSON lines).

Examples:
  hookwarden schema config > hookwarden-config.schema.json
  hookwarden schema record | jq .properties.decision

Exit codes: 0 printed, 2 unknown name.`)
    .action((name: SchemaName) => {
      process.stdout.write(schemaText(name));
    });
}
