import { stringifyCharmYaml } from '@charms/manifest';

/** A hook tool's answer: what it prints and its exit code. */
export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** A usage or runtime error, as juju/cmd reports it: `ERROR <message>` and exit 2 or 1. */
export class ToolFailure extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    message: string,
  ) {
    super(message);
  }
}

export const usage = (message: string): never => {
  throw new ToolFailure(2, message);
};
export const failure = (message: string): never => {
  throw new ToolFailure(1, message);
};

export function ok(stdout = ''): ToolResult {
  return { stdout, stderr: '', exitCode: 0 };
}

/**
 * Juju's output formatters (juju/cmd output.go): `smart` prints nothing for null, a
 * string raw, a list of strings one per line, a bool as True/False, anything else as
 * YAML; `json` is JSON with `null` for null; `yaml` prints nothing for null. YAML is
 * written as go-yaml v2 does, 1.1: a string such as `on` or `010` is quoted.
 */
export function formatValue(value: unknown, format: string): string {
  if (format === 'json') return `${JSON.stringify(value ?? null)}\n`;
  if (value === null || value === undefined) return '';
  if (format === 'yaml') return stringifyCharmYaml(value).replace(/\n+$/, '\n');
  if (typeof value === 'string') return value === '' ? '' : `${value}\n`;
  if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.length === 0 ? '' : `${value.join('\n')}\n`;
  return stringifyCharmYaml(value).replace(/\n+$/, '\n');
}
