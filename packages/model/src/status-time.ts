// Times as `juju status` prints them (Juju 2.9, cmd/juju/common/format.go `FormatTime`
// and `FormatTimeAsTimestamp`). By default Juju prints the local time of the machine that
// runs the command, with its offset (`Z` in UTC); `--utc` (or JUJU_STATUS_ISO_TIME=true)
// prints UTC in an ISO-like form instead.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

/** Go's `Z07:00`: `Z` at offset zero, else `+hh:mm` / `-hh:mm`. */
function zone(date: Date): string {
  const offset = -date.getTimezoneOffset();
  if (offset === 0) return 'Z';
  const abs = Math.abs(offset);
  return `${offset > 0 ? '+' : '-'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

function parse(iso: string): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A status's `since`: `05 Dec 2026 02:10:00Z` in local time (offset `+01:00` and so on
 * outside UTC), or `2026-12-05 02:10:00Z` in UTC when `utc` is set. Undefined for an
 * empty or unreadable time, which Juju leaves out.
 */
export function formatSince(iso: string, utc: boolean): string | undefined {
  const date = parse(iso);
  if (!date) return undefined;
  if (utc) {
    return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}Z`;
  }
  return `${two(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}${zone(date)}`;
}

/** The controller's `timestamp`: `02:10:00Z` in local time with its offset, or `02:10:00` in UTC. */
export function formatTimestamp(iso: string, utc: boolean): string | undefined {
  const date = parse(iso);
  if (!date) return undefined;
  if (utc) return `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}${zone(date)}`;
}
