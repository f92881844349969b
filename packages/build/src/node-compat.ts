import { readFileSync } from 'node:fs';

/**
 * Whether a Node executable can start on an Ubuntu base. `charms pack --with-node`
 * embeds a copy of the Node running the pack, which is dynamically linked against the
 * C library of the system it was built for: it starts only where glibc is at least the
 * newest version its symbols ask for (the `GLIBC_2.x` names of its version needs). The
 * official Node 20 builds ask for 2.28; a distribution's Node asks for its own glibc.
 */

/** glibc of each Ubuntu base a charm is packed for (Ubuntu's libc6 in that release). */
const BASE_GLIBC: Readonly<Record<string, readonly [number, number]>> = {
  '20.04': [2, 31],
  '22.04': [2, 35],
  '24.04': [2, 39],
};

/** The newest `GLIBC_x.y` the executable names, or undefined when it names none (static, or not glibc). */
export function newestGlibc(executable: string): [number, number] | undefined {
  const text = readFileSync(executable).toString('latin1');
  let newest: [number, number] | undefined;
  for (const match of text.matchAll(/GLIBC_(\d+)\.(\d+)(?![\d.])/g)) {
    const version: [number, number] = [Number(match[1]), Number(match[2])];
    if (!newest || version[0] > newest[0] || (version[0] === newest[0] && version[1] > newest[1])) newest = version;
  }
  return newest;
}

/**
 * What stops `executable` from starting on Ubuntu `channel`, in a sentence that says
 * what to do; undefined when nothing does (or the base is one this table does not know).
 */
export function nodeBaseProblem(executable: string, channel: string): string | undefined {
  const base = BASE_GLIBC[channel];
  if (!base) return undefined;
  const text = readFileSync(executable).subarray(0, 4096).toString('latin1');
  if (text.includes('ld-musl')) return `${executable} is linked against musl (an Alpine build of Node): it does not start on ubuntu ${channel}; pack with an official Node build (nodejs.org, or the node:20-bookworm image)`;
  const needed = newestGlibc(executable);
  if (!needed || needed[0] < base[0] || (needed[0] === base[0] && needed[1] <= base[1])) return undefined;
  return `${executable} needs glibc ${needed.join('.')}, newer than ubuntu ${channel}'s ${base.join('.')}: the embedded Node would not start in the charm's container; pack with an official Node build (it needs glibc 2.28: nodejs.org, or the node:20-bookworm image)`;
}
