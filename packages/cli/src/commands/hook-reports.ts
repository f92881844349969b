import type { HookReport, LocalModel } from '@charms/model';
import pc from 'picocolors';

// What the model commands print about the hooks they ran: a line per hook as it
// finishes, and after the command the units it left in error.

/** One line per hook as it finishes: unit, hook, result, seconds. */
export function progress(report: HookReport): void {
  const result = report.ok ? pc.green('ok') : pc.red('failed');
  process.stdout.write(`  ${report.unit.padEnd(12)} ${report.hook.padEnd(28)} ${result} ${(report.ms / 1000).toFixed(2)}s\n`);
}

/** The exit status of a model command whose hook failed, or that left a unit it touched in error. */
const EXIT_UNIT_IN_ERROR = 2;

/**
 * After a command that ran hooks: one line on stderr for each unit whose hook failed in
 * this command or that is left in error among those `touched` names (units, or
 * applications for all their units), and exit status 2 when there is any.
 */
export function reportFailures(model: LocalModel, reports: readonly HookReport[], touched: readonly string[]): void {
  const apps = model.snapshot().apps;
  const failed = new Map<string, string>();
  // A failed action is the action's outcome (charms show-action-output), not a unit in
  // trouble: Juju leaves the unit as it was, and so does the exit status of this command.
  for (const report of reports) if (!report.ok && !report.hook.startsWith('actions/') && !failed.has(report.unit)) failed.set(report.unit, report.hook);
  const names = new Set([...touched, ...reports.map((r) => r.unit)]);
  const inError = new Map<string, string>();
  for (const app of Object.values(apps)) {
    for (const unit of app.units) {
      if (unit.agent.status === 'error' && (names.has(unit.name) || names.has(app.name))) inError.set(unit.name, unit.error?.hook ?? unit.queue[0]?.hook ?? '?');
    }
  }
  const lines: string[] = [];
  for (const [unit, hook] of inError) lines.push(`${unit}: hook "${hook}" failed and the unit is in error: see charms log ${unit}, then charms resolve ${unit}`);
  for (const [unit, hook] of failed) {
    if (!inError.has(unit)) lines.push(`${unit}: hook "${hook}" failed (it ran again and succeeded, or the unit is gone): see charms log ${unit}`);
  }
  if (lines.length === 0) return;
  for (const line of lines) process.stderr.write(`${pc.red('error:')} ${line}\n`);
  process.exitCode = EXIT_UNIT_IN_ERROR;
}
