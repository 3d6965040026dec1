import { Command } from 'commander';
import { builtinCatalog } from '../ai/catalog.js';
import { colorOnStdout } from './color.js';
import type { CliIo } from './io.js';
import { formatCatalogText } from '../formats/catalog-text.js';

/** `ai-chain-audit catalog [--json]`: what the tool knows about AI gateways and AI cost tools. */
export async function runCatalogCommand(argv: string[], io: CliIo): Promise<number> {
  const command = new Command()
    .name('ai-chain-audit catalog')
    .description('List the AI tools catalog: roles, default answers, modes, endpoints, env vars, headers and sources.')
    .option('--json', 'print the catalog as JSON')
    .option('--no-color', 'disable colours')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  await command.parseAsync(argv, { from: 'user' });
  const options = command.opts<{ json?: boolean; color: boolean }>();
  if (options.json) {
    io.stdout(`${JSON.stringify(builtinCatalog, null, 2)}\n`);
  } else {
    io.stdout(formatCatalogText(builtinCatalog, { color: colorOnStdout(options.color, io) }));
  }
  return 0;
}
