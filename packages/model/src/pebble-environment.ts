/**
 * The environment a workload process of the local model's Pebble starts from (services,
 * exec, exec checks): not the model's whole environment, which may hold the caller's
 * secrets, but what a shell needs; the plan's `environment` goes over it, as Pebble
 * gives a service its layer's environment.
 */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `PATH` (this machine's, else Pebble's default), `HOME`, `USER` and `LANG` when set. */
export function workloadBaseEnvironment(): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? DEFAULT_PATH };
  for (const key of ['HOME', 'USER', 'LANG']) if (process.env[key]) base[key] = process.env[key]!;
  return base;
}
