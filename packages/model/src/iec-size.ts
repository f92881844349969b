/**
 * A size in MiB as go-humanize's IBytes prints it (Juju's storage errors and `juju storage`):
 * one decimal below 10 of a unit, none from 10 on (`1.0 GiB`, `512 MiB`). `juju storage`'s
 * table prints it without the space (`1.0GiB`).
 */
export function iecSize(mib: number, separator = ' '): string {
  const units = ['MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = mib;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)}${separator}${units[unit]}`;
}
