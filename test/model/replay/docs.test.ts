import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { CALLS, CALL_FIELDS, ERRNOS } from '../../../model/replay/index.js';

const DOC = readFileSync('docs/replay.md', 'utf8');

describe('docs/replay.md', () => {
  it('shows every call of the event type, with its fields', () => {
    const documented = [...DOC.matchAll(/\| \{ call: '(\w+)'(.*?)\}/g)].map((m) => [m[1], [...m[2].matchAll(/(\w+)\?:/g)].map((f) => f[1]).sort()]);
    expect(documented).toEqual(CALLS.map((c) => [c, Object.keys(CALL_FIELDS[c]).filter((k) => k !== 'target').sort()]));
  });
  it('lists every errno name', () => {
    const line = DOC.split('\n').find((l) => l.startsWith('type Errno'))! + DOC.split('\n')[DOC.split('\n').findIndex((l) => l.startsWith('type Errno')) + 1];
    expect([...line.matchAll(/'(\w+)'/g)].map((m) => m[1])).toEqual([...ERRNOS]);
  });
});

describe('test/fixtures/replay', () => {
  it('has no fixture that no test reads', () => {
    const tests = readdirSync('test/model/replay').map((f) => readFileSync(`test/model/replay/${f}`, 'utf8')).join('\n');
    const unused = readdirSync('test/fixtures/replay').filter((f) => f !== 'README.md' && f !== 'traces' && !tests.includes(f));
    expect(unused).toEqual([]);
  });
});

describe('docs/replay.md walk-through', () => {
  // The pasted output is the command's, up to the file's name, the install path and the time taken.
  const pasted = (command: string): string => {
    const start = DOC.indexOf(`$ ${command}\n`);
    expect(start, command).toBeGreaterThan(0);
    const body = DOC.slice(start + command.length + 3);
    return body.slice(0, body.indexOf('\n$ '));
  };
  const normal = (s: string, file: string) =>
    s.split(file).join('LOG').replace(/\(\S*specs\/vfio\/default\.spec\.ts\)/g, '(SPEC)').replace(/\d+\.\d\d s$/gm, 'T s').trimEnd();
  for (const [command, fixture] of [['migcheck replay src.log', 'qemu-10-source.log'], ['migcheck replay broken.log', 'qemu-broken-info-in-stop-copy.log']]) {
    it(`shows what '${command}' prints`, async () => {
      const { runCli } = await import('../../report/helpers.js');
      const file = `test/fixtures/replay/${fixture}`;
      const r = await runCli(['replay', file]);
      expect(normal(pasted(command), command.split(' ').at(-1)!)).toBe(normal(r.out, file));
    });
  }
});
