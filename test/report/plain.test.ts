import { describe, it, expect } from 'vitest';
import { PLAIN_WIDTH, toAscii, wrapCommand, wrapLine } from '../../checker/report/plain.js';
import { runCli } from './helpers.js';

const mailable = (text: string) => {
  for (const line of text.split('\n')) {
    expect(line.length, `too long: ${line}`).toBeLessThanOrEqual(PLAIN_WIDTH);
    expect(line, 'only printable ASCII').toMatch(/^[\x20-\x7e]*$/);
  }
};

describe('--format plain', () => {
  it('prints the trace as ASCII within 72 columns, without colour', async () => {
    const r = await runCli(['check', 'test/report/fixtures/awkward.spec.ts', '--format', 'plain'], { isTTY: true, colorLevel: 3 });
    expect(r.code).toBe(12);
    mailable(r.out);
    expect(r.out).not.toContain('\x1b');
    expect(r.out).toContain('VIOLATION: Invariant Quiet<&> is violated [FIX-1 MUST]');
    expect(r.out).toContain('  1  src: SET_STATE(STOP_COPY; #1) = 0');
    // Non-ASCII text keeps its meaning in ASCII spelling.
    expect(r.out).toContain('etat "change"');
    expect(r.out).toContain('cafe -> ok');
  });

  it('wraps a long reproducing command with shell continuations that rejoin to the same command', () => {
    const cmd = `npx migcheck check /very/long/path/${'x'.repeat(90)}/spec.spec.ts --const DRIVER=mlx5-like --const USER=qemu-like --max-depth 12`;
    const lines = wrapCommand(cmd);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(PLAIN_WIDTH);
    // The shell removes backslash-newline; leading blanks of a continued word-line separate words.
    const rejoined = lines.join('\n').replace(/\\\n/g, '').replace(/\s+/g, ' ').trim();
    expect(rejoined).toBe(cmd);
  });

  it('keeps spacing inside lines and hangs continuation lines deeper', () => {
    const out = wrapLine(`  3  ${'word '.repeat(20)}`.trimEnd());
    expect(out[0].startsWith('  3  word word')).toBe(true);
    expect(out.slice(1).every((l) => l.startsWith('      word'))).toBe(true);
    expect(out.every((l) => l.length <= PLAIN_WIDTH)).toBe(true);
  });

  it('spells common symbols in ASCII and replaces the rest', () => {
    expect(toAscii('a → b ≤ c … “q” ✓ naïve 日')).toBe('a -> b <= c ... "q" ok naive ?');
  });
});
