// Loaded into a hook process by the MinIO benchmark (NODE_OPTIONS=--import): records the
// process's peak resident memory when it exits.
import { appendFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.CHARMS_RSS_FILE) appendFileSync(process.env.CHARMS_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
