// deploy-wall.mjs requires this before the charms command: at exit it prints the
// process's own CPU time (user + system, its children not counted) on stderr.
process.on('exit', () => {
  const usage = process.cpuUsage();
  process.stderr.write(`charms-cpu-ms ${(usage.user + usage.system) / 1000}\n`);
});
