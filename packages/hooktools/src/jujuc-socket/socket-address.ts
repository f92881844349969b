/**
 * The path Node's `net` takes for a unix socket address as Juju writes it: an address
 * starting with '@' is in Linux's abstract namespace, which Go spells with '@' and the
 * kernel (and Node) with a leading NUL byte (Go's net package, sockaddr of UnixAddr).
 */
export function socketPath(address: string): string {
  return address.startsWith('@') ? `\0${address.slice(1)}` : address;
}
