/**
 * `switchboard templates check|preview`: render every template before deploy, or one to look at.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultTemplatesLocation, loadTemplateSet } from '../../functions/adapters/files/template-files';
import { CHANNELS, type Channel } from '../../functions/contract';
import { checkTemplates, sampleInput, TemplateRenderer } from '../../functions/domain/templates';
import type { Command, CommandIo } from '../command';

const USAGE = `Usage:
  switchboard templates check [--dir <templates folder>]
      Renders every template × channel × locale from its sample data; exits 1 on any error.
  switchboard templates preview <name> --channel <sms|whatsapp|email|push> [--locale <tag>]
      [--window open|closed] [--data <file.json>] [--format text|json|html] [--dir <templates folder>]
      Prints one rendered message (sample data unless --data is given).`;

/** The `templates` command. */
export const templatesCommand: Command = {
  summary: 'check every template renders, or preview one (templates check | templates preview <name>)',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'check') return check(rest, io);
    if (sub === 'preview') return preview(rest, io);
    io.err(sub === undefined ? USAGE : `unknown subcommand "${sub}"\n\n${USAGE}`);
    return 2;
  },
};

async function check(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { dir: { type: 'string' } },
    allowPositionals: false,
  });
  const dir = values.dir ?? defaultTemplatesLocation();
  const renderer = new TemplateRenderer({ templates: loadTemplateSet(dir) });
  const checks = await checkTemplates(renderer);
  let errors = 0;
  let warnings = 0;
  for (const check of checks) {
    const what = [check.template, check.channel, check.locale, windowLabel(check.whatsappWindowOpen)]
      .filter(Boolean)
      .join(' ');
    if (check.error !== undefined) {
      errors += 1;
      io.out(`✗ ${what}: ${check.error}`);
      continue;
    }
    const result = check.result!;
    const notes = [
      result.locale !== check.locale ? `variant ${result.locale}` : undefined,
      result.sms ? `${result.sms.segments} ${result.sms.encoding} segment(s)` : undefined,
      result.whatsappForm,
    ].filter(Boolean);
    io.out(`✓ ${what}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
    for (const warning of result.warnings) {
      warnings += 1;
      io.out(`  ! ${warning}`);
    }
  }
  const rendered = checks.filter((check) => check.result !== undefined).length;
  io.out(
    `\n${renderer.templateNames.length} templates in ${dir}: ${rendered} renders, ${errors} errors, ${warnings} warnings`,
  );
  return errors > 0 ? 1 : 0;
}

async function preview(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      dir: { type: 'string' },
      channel: { type: 'string', short: 'c' },
      locale: { type: 'string', short: 'l' },
      window: { type: 'string', default: 'open' },
      data: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
    allowPositionals: true,
  });
  const name = positionals[0];
  const channel = values.channel as Channel | undefined;
  if (name === undefined || channel === undefined || !CHANNELS.includes(channel)) {
    io.err(`preview needs a template name and --channel (${CHANNELS.join(', ')})\n\n${USAGE}`);
    return 2;
  }
  if (values.window !== 'open' && values.window !== 'closed') {
    io.err('--window must be open or closed');
    return 2;
  }
  const renderer = new TemplateRenderer({
    templates: loadTemplateSet(values.dir ?? defaultTemplatesLocation()),
  });
  const manifest = renderer.manifest(name);
  if (manifest === undefined) {
    const problems = renderer.problems().filter((problem) => problem.template === name);
    io.err(
      problems.length > 0
        ? `template "${name}" is broken:\n${problems.map((problem) => `  ${problem.message}`).join('\n')}`
        : `unknown template "${name}" (known: ${renderer.templateNames.join(', ')})`,
    );
    return 1;
  }
  const input = sampleInput(
    name,
    manifest,
    channel,
    values.locale ?? manifest.defaultLocale,
    values.window === 'open',
  );
  const data =
    values.data === undefined
      ? undefined
      : (JSON.parse(readFileSync(values.data, 'utf8')) as Record<string, unknown>);
  const result = await renderer.renderDetailed(
    data === undefined ? input : { ...input, request: { ...input.request, data } },
  );
  if (values.format === 'json') {
    io.out(JSON.stringify(result, null, 2));
    return 0;
  }
  if (values.format === 'html') {
    io.out(result.content.html ?? '');
    return result.content.html === undefined ? 1 : 0;
  }
  const { content } = result;
  const lines = [
    `${name} · ${channel} · ${input.customer.locale} (variant ${result.locale})${result.whatsappForm ? ` · ${result.whatsappForm}` : ''}`,
  ];
  if (result.sms)
    lines.push(
      `sms: ${result.sms.segments} ${result.sms.encoding} segment(s), ${result.sms.characters} units`,
    );
  if (content.subject !== undefined) lines.push(`subject: ${content.subject}`);
  if (content.title !== undefined) lines.push(`title: ${content.title}`);
  if (content.url !== undefined) lines.push(`url: ${content.url}`);
  if (content.imageUrl !== undefined) lines.push(`image: ${content.imageUrl}`);
  if (content.whatsappTemplate !== undefined) {
    lines.push(`content SID: ${content.whatsappTemplate.contentSid}`);
    for (const [key, value] of Object.entries(content.whatsappTemplate.variables))
      lines.push(`  {{${key}}} = ${value}`);
  }
  if (content.text !== undefined) lines.push('--- text ---', content.text);
  if (content.html !== undefined) lines.push('--- html ---', content.html);
  for (const warning of result.warnings) lines.push(`! ${warning}`);
  io.out(lines.join('\n'));
  return 0;
}

function windowLabel(open: boolean | undefined): string | undefined {
  if (open === undefined) return undefined;
  return open ? '(window open)' : '(window closed)';
}
