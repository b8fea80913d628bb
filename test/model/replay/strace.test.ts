import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseStrace, showEvent, showProblem } from '../../../model/replay/index.js';

const FIX = 'test/fixtures/replay';
const read = (f: string) => readFileSync(`${FIX}/${f}`, 'utf8');

describe('strace logs', () => {
  it('reads -f -y -t -T output: undecoded VFIO_DEVICE_FEATURE calls, data_fd reads, unfinished/resumed pairs', () => {
    const r = parseStrace(read('strace-source.log'));
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    expect(r.events.map((e) => `${e.line} ${showEvent(e)}`)).toEqual([
      '1 source vfio0: open = 23',
      '2 source vfio0: DEVICE_FEATURE(?) = 0',
      '4 source vfio0: DEVICE_FEATURE(?) = 0',
      '5 source vfio0: PRECOPY_INFO(45)',
      '6 source vfio0: read(45) = 1048576',
      '9 source vfio0: read(45) = -1 ENOMSG',
      '10 source vfio0: DEVICE_FEATURE(?) = 0',
      '11 source vfio0: DEVICE_FEATURE(?) = 0',
      '12 source vfio0: read(45) = 4096',
      '13 source vfio0: read(45) = 0',
      '14 source vfio0: DEVICE_FEATURE(?) = 0',
      '15 source vfio0: close(45)',
    ]);
    expect(r.informational).toEqual({ 'ioctl VFIO_DEVICE_GET_REGION_INFO': 1, 'write (other fds)': 1 });
    expect(r.otherLines).toBe(1);
  });

  it('reads -X raw and -X verbose numbers, a failed feature call and a reset, given the data fd and device name', () => {
    const r = parseStrace(read('strace-destination-raw.log'), { dataFds: [52], devices: { '31': '0000:65:00.1' } });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    expect(r.events.map(showEvent)).toEqual([
      'destination 0000:65:00.1: DEVICE_FEATURE(?) = 0',
      'destination 0000:65:00.1: write(52) = 1048576',
      'destination 0000:65:00.1: write(52) = 4096',
      'destination 0000:65:00.1: close(52)',
      'destination 0000:65:00.1: DEVICE_FEATURE(?) = -1 EIO',
      'destination 0000:65:00.1: RESET',
    ]);
  });

  it('without -y or the data fds named, it says what it cannot tell', () => {
    const r = parseStrace(read('strace-destination-raw.log'));
    expect(!r.ok && r.problems[0].message).toMatch(/cannot tell whether device fd31 is the source or the destination/);
  });

  it('keeps what the broken fixtures show: data after EOF, ENOMSG after the last data, a second data_fd', () => {
    const eof = parseStrace(read('strace-broken-data-after-eof.log'));
    expect(eof.ok && eof.events.slice(1).map((e) => (e.call === 'read' ? e.bytes : -1))).toEqual([4096, 0, 4096]);
    const enomsg = parseStrace(read('strace-broken-enomsg-in-stop-copy.log'));
    expect(enomsg.ok && enomsg.events.slice(2).map((e) => e.errno)).toEqual(['ENOMSG', 'ENOMSG']);
    const two = parseStrace(read('strace-broken-second-fd.log'));
    expect(two.ok && two.events.filter((e) => e.call === 'read').map((e) => (e.call === 'read' ? e.fd : 0))).toEqual([45, 46, 45]);
  });

  it('reports malformed lines by number', () => {
    const r = parseStrace(read('strace-malformed.log'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => showProblem('s.log', p))).toEqual([
      `s.log:2: a system call without its result: 'read(45<anon_inode:[vfio_mig_file]>, "\\x01\\x02"..., 1048576'`,
      "s.log:3: '<... ioctl resumed>' without its '<unfinished ...>' line",
      "s.log:4: read: cannot read the return value 'lots'",
    ]);
  });

  it('ties a data_fd to the device whose feature call came before it, and needs one', () => {
    const r = parseStrace('read(45<anon_inode:[vfio_mig_file]>, "", 10) = 0\n');
    expect(!r.ok && r.problems[0].message).toMatch(/data_fd 45 is used before any VFIO_DEVICE_FEATURE/);
  });

  it('reads -yy annotations with device numbers inside the path', () => {
    const r = parseStrace([
      'ioctl(23</dev/vfio/devices/vfio0<char 511:0>>, VFIO_DEVICE_FEATURE or VFIO_IOMMU_DIRTY_PAGES or VFIO_IOMMU_SPAPR_REGISTER_MEMORY, 0x7ffd5a1c3f40) = 0',
      'read(45<anon_inode:[hisi_acc_vf_mig]>, "\\x01"..., 4096) = 4096',
    ].join('\n'));
    expect(r.ok && r.events.map(showEvent)).toEqual(['source vfio0: DEVICE_FEATURE(?) = 0', 'source vfio0: read(45) = 4096']);
  });
});
