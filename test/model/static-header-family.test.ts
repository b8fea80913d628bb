// The static-header family split by driver (issue 10 item 4): hisi_acc and qat differ from
// the family (static-header-like, which is mtty) where it matters.
import { describe, expect, it } from 'vitest';
import { canDirty, initialSource } from '../../model/datapath/source.js';
import { initialDestination, streamAccepted } from '../../model/datapath/destination.js';
import { migrationConfig } from '../../model/datapath/migration.js';
import { hisiAcc, qat, staticHeaderLike, staleInfoStateFirst } from '../../model/drivers/index.js';

const b = { units: 2, maxVersion: 1 };

describe('the static-header family', () => {
  it('qat does not run in the P2P states (qat_vfmig_suspend on the arcs into them); the family does', () => {
    const dev = initialSource(b, qat);
    for (const [state, runs] of [['RUNNING', true], ['PRE_COPY', true], ['RUNNING_P2P', false], ['PRE_COPY_P2P', false]] as const) {
      dev.state = state;
      expect(canDirty(dev, 0, 1, qat), state).toBe(runs);
      expect(canDirty(dev, 0, 1, staticHeaderLike), state).toBe(true);
    }
  });

  it('hisi_acc has no P2P, and its destination takes only the header or the whole state (vf_qm_load_data)', () => {
    expect(hisiAcc.flags).toEqual(['PRE_COPY']);
    expect(migrationConfig({ driver: hisiAcc }).features).toBe('STOP_COPY|PRE_COPY');
    const d = initialDestination(b);
    expect(streamAccepted(d, 'header-or-whole')).toBe(true);
    d.units[0] = 0;
    expect(streamAccepted(d, 'header-or-whole')).toBe(false);
    d.units[1] = 1;
    expect(streamAccepted(d, 'header-or-whole')).toBe(true);
    expect(migrationConfig({ driver: hisiAcc }).resumeCheck).toBe('header-or-whole');
  });

  it('hisi_acc and qat check the device state before the file on precopy_info', () => {
    expect(hisiAcc.stalePrecopyInfo).toBe(staleInfoStateFirst);
    expect(qat.stalePrecopyInfo).toBe(staleInfoStateFirst);
    expect(staticHeaderLike.stalePrecopyInfo).toBeUndefined();
  });
});
