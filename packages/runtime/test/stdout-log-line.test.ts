import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { JujuLogger } from '../src/juju-logger.js';
import { Redactor } from '../src/redactor.js';
import { ToolLine } from '../src/serial-tools.js';
import { STDOUT_LINE_BYTES, stdoutLogLine } from '../src/stdout-log-line.js';

// DEBUG lines through the hook's stdout: Juju 2.9 logs each stdout line at DEBUG with its
// text unchanged (worker/uniter/runner/runner.go, runCharmProcessOnLocal; stderr at WARNING),
// reading it with a 4096-byte bufio.Reader (worker/common/charmrunner/logger.go).

function writer(relationId?: string) {
  const written: string[] = [];
  const line = stdoutLogLine(relationId, (data) => void written.push(data));
  return { line, written };
}

describe('stdoutLogLine', () => {
  it('writes the text and a newline, and says it did', () => {
    const { line, written } = writer();
    expect(line('reactive: flags +a -b')).toBe(true);
    expect(written).toEqual(['reactive: flags +a -b\n']);
  });

  it('starts a relation hook\'s line with "<endpoint>:<id>: ", as juju-log.go does and the hook logger does not', () => {
    const { line, written } = writer('db:3');
    line('reactive: flags +endpoint.db.joined');
    expect(written).toEqual(['db:3: reactive: flags +endpoint.db.joined\n']);
  });

  it('refuses what Juju would not log as one entry with the same text: a line break, a carriage return, a blank line', () => {
    const { line, written } = writer();
    expect(line('two\nlines')).toBe(false);
    expect(line('carriage\rreturn')).toBe(false);
    expect(line('   ')).toBe(false);
    expect(written).toEqual([]);
  });

  it('refuses a line longer than the 4096-byte buffer holds with its newline, counting bytes and the prefix', () => {
    const { line, written } = writer('db:3');
    const prefix = 'db:3: ';
    expect(line('x'.repeat(STDOUT_LINE_BYTES - prefix.length))).toBe(true);
    expect(line('x'.repeat(STDOUT_LINE_BYTES - prefix.length + 1))).toBe(false);
    // 'é' is two bytes in UTF-8.
    expect(line('é'.repeat(Math.floor((STDOUT_LINE_BYTES - prefix.length) / 2) + 1))).toBe(false);
    expect(written).toHaveLength(1);
    expect(written[0]).toHaveLength(STDOUT_LINE_BYTES + 1);
  });

  it('takes a line holding a config value: the runtime and the local model mask the same ones, so it reads the same either way', () => {
    const { line, written } = writer();
    expect(line('reactive: other phase, iteration 0: queued minio:Minio.ready')).toBe(true);
    expect(written).toEqual(['reactive: other phase, iteration 0: queued minio:Minio.ready\n']);
  });
});

describe('JujuLogger with a stdout writer', () => {
  function logger(stdout = true) {
    const tools = new MemoryHookTools();
    const happened: string[] = [];
    const jujuLog = tools.jujuLog.bind(tools);
    tools.jujuLog = async (message, level) => {
      happened.push(`juju-log ${level} ${message}`);
      return jujuLog(message, level);
    };
    const line = new ToolLine();
    const redactor = new Redactor();
    const write = stdoutLogLine(undefined, (data) => void happened.push(`stdout ${data.trimEnd()}`));
    return { log: new JujuLogger(line, tools, redactor, stdout ? write : undefined), line, tools, happened, redactor };
  }

  it('sends DEBUG lines to stdout and the rest through juju-log, each in its place in the line', async () => {
    const { log, line, tools, happened } = logger();
    const statusSet = tools.statusSet.bind(tools);
    void log.log('Reactive main running for hook update-status', 'INFO');
    void log.log('reactive: flags +a', 'DEBUG');
    void line.enqueue(() => {
      happened.push('status-set active');
      return statusSet('active', '');
    });
    void log.log('reactive: other phase, iteration 0: queued x:y', 'DEBUG');
    void log.log('careful', 'WARNING');
    await line.drain();
    expect(happened).toEqual([
      'juju-log INFO Reactive main running for hook update-status',
      'stdout reactive: flags +a',
      'status-set active',
      'stdout reactive: other phase, iteration 0: queued x:y',
      'juju-log WARNING careful',
    ]);
  });

  it('sends a DEBUG line stdout refuses through juju-log at DEBUG, redacted like every line', async () => {
    const { log, line, happened, redactor } = logger();
    redactor.add('hunter22');
    void log.log('first\nsecond', 'DEBUG');
    void log.log('token hunter22', 'DEBUG');
    await line.drain();
    expect(happened).toEqual(['juju-log DEBUG first\nsecond', 'stdout token ***']);
  });

  it('without a writer (in-process runs, actions, debug-code) sends DEBUG lines through juju-log', async () => {
    const { log, line, happened } = logger(false);
    void log.log('reactive: flags +a', 'DEBUG');
    await line.drain();
    expect(happened).toEqual(['juju-log DEBUG reactive: flags +a']);
  });
});
