/**
 * Pebble's durations and the defaults of what a layer leaves unset: Go's
 * time.ParseDuration and Duration.String() (the plan's OptionalDuration fields read and
 * print with them), and the backoff, kill-delay and check defaults of canonical/pebble's
 * internals/plan/plan.go and servstate.
 */
import type { PebbleService } from './pebble-layer-parse.js';

/** Pebble's defaults for what a layer leaves unset (plan.go). */
export const DEFAULT_BACKOFF_DELAY_MS = 500;
export const DEFAULT_BACKOFF_FACTOR = 2;
export const DEFAULT_BACKOFF_LIMIT_MS = 30_000;
export const DEFAULT_CHECK_PERIOD_MS = 10_000;
export const DEFAULT_CHECK_TIMEOUT_MS = 3_000;
export const DEFAULT_CHECK_THRESHOLD = 3;
/** servstate/handlers.go: killDelayDefault. */
export const DEFAULT_KILL_DELAY_MS = 5_000;

/** A service's numbers with Pebble's defaults for what the plan leaves unset. */
export function serviceTimings(service: PebbleService): { backoffDelayMs: number; backoffFactor: number; backoffLimitMs: number; killDelayMs: number } {
  const ms = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : parseDuration(text) ?? fallback);
  return {
    backoffDelayMs: ms(service['backoff-delay'], DEFAULT_BACKOFF_DELAY_MS),
    backoffFactor: service['backoff-factor'] ?? DEFAULT_BACKOFF_FACTOR,
    backoffLimitMs: ms(service['backoff-limit'], DEFAULT_BACKOFF_LIMIT_MS),
    killDelayMs: ms(service['kill-delay'], DEFAULT_KILL_DELAY_MS),
  };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration ("1m30s", "500ms", "0"), in milliseconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const part of text.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return match[1] === '-' ? -total : total;
}

/** Go's Duration.String() of `ms` milliseconds: "500ms", "1s", "1m30s", "1h0m0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1) return `${sign}${trim(abs * 1000)}µs`;
  if (abs < 1000) return `${sign}${trim(abs)}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const seconds = (abs % 60_000) / 1000;
  return `${sign}${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${trim(seconds)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
