// The never-fired warning says how far it goes: a complete search shows a guard that is
// never true; a stopped search or a simulation only that the action has not fired yet.

import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { neverFiredLines } from '../../checker/report/coverage.js';
import type { CoverageTable } from '../../checker/explore/coverage.js';

const table = { neverFired: ['Reset'] } as unknown as CoverageTable;
const c = new Chalk({ level: 0 });

describe('never-fired warning', () => {
  it('names where the action never fired', () => {
    expect(neverFiredLines(table, c, { status: 'ok' })[0]).toMatch(/^ {2}warning: action never fired in any reachable state: Reset \(/);
    expect(neverFiredLines(table, c, { status: 'violation' })[0]).toMatch(/never fired before the search stopped: Reset/);
    expect(neverFiredLines(table, c, { status: 'incomplete' })[0]).toMatch(/never fired before the search stopped: Reset/);
    expect(neverFiredLines(table, c, { status: 'no-violation-found', simulation: {} } as never)[0]).toMatch(/never fired in the walks: Reset/);
    expect(neverFiredLines({ neverFired: [] } as unknown as CoverageTable, c, { status: 'ok' })).toEqual([]);
  });
});
