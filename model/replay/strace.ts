// strace output of a VMM's calls on VFIO device fds and data_fds, read back into events.
//
// What strace prints (strace sources, strace/strace, 2025: src/ioctl.c SYS_FUNC(ioctl),
// ioctl_decode(); src/linux/64/ioctls_inc.h):
//   - strace has no decoder for VFIO's ioctl type ';' (0x3b): ioctl_decode() has no case for
//     it and the commands are _IO() (size 0), so the argument is printed as a bare pointer.
//     The command's name comes from the generated table, which holds several VFIO names per
//     number, and strace prints every match joined by " or ":
//       ioctl(12, VFIO_DEVICE_FEATURE or VFIO_IOMMU_DIRTY_PAGES or VFIO_IOMMU_SPAPR_REGISTER_MEMORY, 0x7ffd5a1c3f40) = 0
//       ioctl(45, VFIO_EEH_PE_OP or VFIO_MIG_GET_PRECOPY_INFO, 0x7ffd5a1c3e00) = 0
//       ioctl(12, VFIO_DEVICE_RESET, 0) = 0
//     With -X raw the command is a number (0x3b75), with -X verbose `0x3b75 /* VFIO_... */`.
//   - So strace CANNOT show: which feature a VFIO_DEVICE_FEATURE call used (SET
//     MIG_DEVICE_STATE, GET MIG_DATA_SIZE, the PRECOPY_INFOv2 opt-in, DMA logging), the target
//     state, the data_fd that came back (it is written into the argument struct), or
//     precopy_info's initial_bytes/dirty_bytes. A VFIO_DEVICE_FEATURE is therefore a `feature`
//     event, a precopy_info has no answer, and only the return value and errno are known.
//   - It CAN show: every read()/write() on a data_fd with its byte count, 0 (end of stream) and
//     errno (ENOMSG, EAGAIN, ...), close() of each fd, VFIO_DEVICE_RESET, the fd numbers, and
//     with -y the fd's file (`12</dev/vfio/devices/vfio0>`, `45<anon_inode:[mlx5vf_mig_file]>`).
// Data fds are recognised as fds a VFIO_MIG_GET_PRECOPY_INFO was issued on, fds whose -y
// name is an anon inode with "mig" or "vfio" in it (other than the device's own), or fds named
// in the options. A data_fd belongs to the device whose last VFIO_DEVICE_FEATURE came before
// its first use (the SET that returned it); reads make that device the source, writes the
// destination. Run strace with -f (the VMM's threads) and -y.
//
// Line forms read: optional `[pid N] ` or `N ` (with -f), optional timestamp (-t, -tt, -ttt,
// -r), `NAME(ARGS) = RET`, optional ` <SECONDS>` (-T), and `NAME(ARGS <unfinished ...>` /
// `<... NAME resumed>ARGS) = RET` pairs. `+++ exited +++` and `--- SIG... ---` lines are other
// lines.

import { errnoOfText, ERRNOS, type Errno, type ReplayEvent, type Side } from './events.js';
import { LogCollector, numberedLines, type ParseResult } from './result.js';

/** ioctl numbers (include/uapi/linux/vfio.h: VFIO_TYPE ';', VFIO_BASE 100). */
export const VFIO_IOCTL = {
  VFIO_GROUP_GET_DEVICE_FD: 0x3b6a,
  VFIO_DEVICE_RESET: 0x3b6f,
  VFIO_DEVICE_FEATURE: 0x3b75,
  VFIO_MIG_GET_PRECOPY_INFO: 0x3b79,
} as const;

/** The names strace prints for each number (all matches of its table, in its order). */
export const STRACE_NAMES: Readonly<Record<number, readonly string[]>> = {
  [VFIO_IOCTL.VFIO_DEVICE_FEATURE]: ['VFIO_DEVICE_FEATURE', 'VFIO_IOMMU_DIRTY_PAGES', 'VFIO_IOMMU_SPAPR_REGISTER_MEMORY'],
  [VFIO_IOCTL.VFIO_MIG_GET_PRECOPY_INFO]: ['VFIO_EEH_PE_OP', 'VFIO_MIG_GET_PRECOPY_INFO'],
  [VFIO_IOCTL.VFIO_DEVICE_RESET]: ['VFIO_DEVICE_RESET'],
  [VFIO_IOCTL.VFIO_GROUP_GET_DEVICE_FD]: ['VFIO_GROUP_GET_DEVICE_FD'],
};
const NUMBER_OF_NAME = new Map<string, number>(Object.entries(STRACE_NAMES).flatMap(([n, names]) => names.map((s) => [s, Number(n)] as [string, number])));

export interface StraceOptions {
  /** Device names by device fd (`{"12": "0000:17:00.1"}`); default: the -y path's last part, else `fdN`. */
  readonly devices?: Readonly<Record<string, string>>;
  /** Fds to take as data_fds even without -y or a PRECOPY_INFO on them. */
  readonly dataFds?: readonly number[];
  /** The side of a device the log shows no data_fd use for (by device name), or of every device. */
  readonly side?: Side | Readonly<Record<string, Side>>;
}

const PID = /^(?:\[pid\s+(\d+)\] |(\d+) +)/;
const TIME = /^(?:\d\d:\d\d:\d\d(?:\.\d+)? |\d{9,}\.\d+ | *\d+\.\d{6} )/;
const CALL = /^(\w+)\((.*)\) += (.*?)(?: <\d+\.\d+>)?$/;
const UNFINISHED = /^(\w+)\((.*) <unfinished \.\.\.>$/;
const RESUMED = /^<\.\.\. (\w+) resumed>(.*)$/;

/** `-1 ENOMSG (No message of desired type)` → ENOMSG; `45` → 45; `? ERESTARTSYS` → null (interrupted). */
function result(ret: string): { value: number } | { errno: Errno } | { interrupted: true } | null {
  let m = /^(-?\d+)(?:<[^>]*>)?(?: .*)?$/.exec(ret);
  if (m && !/^-1 /.test(ret)) return { value: Number(m[1]) };
  m = /^-1 (\w+)(?: \((.*)\))?$/.exec(ret);
  if (m) {
    if ((ERRNOS as readonly string[]).includes(m[1])) return { errno: m[1] as Errno };
    return { errno: m[2] ? errnoOfText(m[2]) : 'unknown' };
  }
  if (ret.startsWith('?')) return { interrupted: true };
  return null;
}

/** The first argument: `12` or `12</dev/vfio/devices/vfio0>`. */
function fdArg(args: string): { fd: number; path?: string; rest: string } | null {
  // -yy adds the device numbers inside: `23</dev/vfio/devices/vfio0<char 511:0>>`.
  const m = /^(-?\d+)(?:<(.*?)>)?(?:, (.*))?$/.exec(args);
  return m ? { fd: Number(m[1]), path: m[2]?.replace(/<[^>]*>$/, ''), rest: m[3] ?? '' } : null;
}

/** The ioctl command: a name list ("A or B"), a number, `_IOC(...)`, or `0x3b75 /* ... *\/`. */
function ioctlNumber(cmd: string): number | null {
  const t = cmd.trim();
  let m = /^(0x[0-9a-fA-F]+)(?: \/\*.*\*\/)?$/.exec(t);
  if (m) return Number(m[1]);
  m = /^_IOC\(_IOC_NONE, (0x[0-9a-fA-F]+), (0x[0-9a-fA-F]+), 0(?:x0)?\)$/.exec(t);
  if (m) return (Number(m[1]) << 8) | Number(m[2]);
  for (const name of t.split(' or ')) {
    const n = NUMBER_OF_NAME.get(name.trim());
    if (n !== undefined) return n;
  }
  return null;
}

const looksData = (path: string | undefined) => !!path && /^anon_inode:/.test(path) && /mig|vfio/i.test(path) && !/vfio-device/.test(path);

interface DeviceFd {
  name: string;
  fd: number;
  sawSource: boolean;
  sawDestination: boolean;
}

export function parseStrace(text: string, opts: StraceOptions = {}): ParseResult {
  const out = new LogCollector();
  const deviceByFd = new Map<number, DeviceFd>();
  const dataOwner = new Map<number, DeviceFd | null>(); // data fd -> device (null: known data fd, owner not yet known)
  for (const fd of opts.dataFds ?? []) dataOwner.set(fd, null);
  let lastFeature: DeviceFd | null = null;
  const unfinished = new Map<string, { name: string; args: string; line: number }>();
  const pending: { dev: DeviceFd; line: number; event: Record<string, unknown>; dataSide?: Side }[] = [];

  const deviceFor = (fd: number, path: string | undefined): DeviceFd => {
    let d = deviceByFd.get(fd);
    if (!d) {
      // A cdev (/dev/vfio/devices/vfio0) names the device; a group-era device fd
      // (anon_inode:[vfio-device]) or an unannotated one does not.
      const name = opts.devices?.[String(fd)] ?? (path?.startsWith('/dev/vfio/devices/') ? path.slice('/dev/vfio/devices/'.length) : `fd${fd}`);
      d = { name, fd, sawSource: false, sawDestination: false };
      deviceByFd.set(fd, d);
    }
    return d;
  };
  const ownerOf = (fd: number, path: string | undefined, line: number): DeviceFd | null | undefined => {
    if (dataOwner.has(fd)) {
      const o = dataOwner.get(fd);
      if (o) return o;
    } else if (!looksData(path)) return undefined;
    if (!lastFeature) {
      out.problem(line, `data_fd ${fd} is used before any VFIO_DEVICE_FEATURE call on a device fd, so its device is unknown`);
      return null;
    }
    dataOwner.set(fd, lastFeature);
    return lastFeature;
  };

  const handle = (name: string, args: string, ret: string, line: number) => {
    const r = result(ret);
    if (r === null) {
      out.problem(line, `${name}: cannot read the return value '${ret}'`);
      return;
    }
    if ('interrupted' in r) {
      out.countInfo(`${name} (interrupted)`);
      return;
    }
    const outcome = 'errno' in r ? { errno: r.errno } : {};
    if (name === 'openat' || name === 'open') {
      const m = /"(\/dev\/vfio\/devices\/[^"]+)"/.exec(args);
      if (!m) return void out.countInfo(name);
      if ('errno' in r) return void out.countInfo(`${name} (failed)`);
      const d = deviceFor(r.value, m[1]);
      pending.push({ dev: d, line, event: { call: 'open', fd: r.value } });
      return;
    }
    if (!['ioctl', 'read', 'write', 'close'].includes(name)) return void out.countInfo(name);
    const a = fdArg(args);
    if (!a) {
      out.problem(line, `${name}: the first argument is not a file descriptor: '${args.slice(0, 40)}'`);
      return;
    }
    if (name === 'ioctl') {
      const cmdText = a.rest.replace(/, [^,]*$/, '');
      const n = ioctlNumber(cmdText);
      if (n === null) {
        if (/^VFIO_|0x3b[0-9a-f]{2}\b/.test(cmdText)) out.countInfo(`ioctl ${cmdText.split(' ')[0]}`);
        else out.countInfo('ioctl (other)');
        return;
      }
      if (n === VFIO_IOCTL.VFIO_DEVICE_FEATURE) {
        const d = deviceFor(a.fd, a.path);
        if (!('errno' in r)) lastFeature = d;
        pending.push({ dev: d, line, event: { call: 'feature', ...outcome } });
      } else if (n === VFIO_IOCTL.VFIO_DEVICE_RESET) {
        pending.push({ dev: deviceFor(a.fd, a.path), line, event: { call: 'reset', ...outcome } });
      } else if (n === VFIO_IOCTL.VFIO_MIG_GET_PRECOPY_INFO) {
        if (!dataOwner.has(a.fd)) dataOwner.set(a.fd, null);
        const o = ownerOf(a.fd, a.path, line);
        if (o) pending.push({ dev: o, line, event: { call: 'precopy_info', fd: a.fd, ...outcome }, dataSide: 'source' });
      } else if (n === VFIO_IOCTL.VFIO_GROUP_GET_DEVICE_FD) {
        if ('value' in r) pending.push({ dev: deviceFor(r.value, undefined), line, event: { call: 'open', fd: r.value } });
      }
      return;
    }
    if (name === 'close') {
      const dev = deviceByFd.get(a.fd);
      const owner = dataOwner.get(a.fd);
      if (owner) {
        pending.push({ dev: owner, line, event: { call: 'close', fd: a.fd, ...outcome } });
        dataOwner.delete(a.fd);
      } else if (dev) {
        pending.push({ dev, line, event: { call: 'close', fd: a.fd, ...outcome } });
        deviceByFd.delete(a.fd);
      } else out.countInfo('close (other fds)');
      return;
    }
    // read / write
    const o = ownerOf(a.fd, a.path, line);
    if (o === undefined) return void out.countInfo(`${name} (other fds)`);
    if (o === null) return;
    const side: Side = name === 'read' ? 'source' : 'destination';
    if (side === 'source') o.sawSource = true;
    else o.sawDestination = true;
    pending.push({ dev: o, line, event: { call: name, fd: a.fd, ...('value' in r ? { bytes: r.value } : outcome) }, dataSide: side });
  };

  for (const { line, text: raw } of numberedLines(text)) {
    let t = raw.trimEnd();
    let pid = '';
    const pm = PID.exec(t);
    if (pm) {
      pid = pm[1] ?? pm[2];
      t = t.slice(pm[0].length);
    }
    const tm = TIME.exec(t);
    if (tm) t = t.slice(tm[0].length);
    if (t === '' || t.startsWith('+++ ') || t.startsWith('--- ')) {
      out.otherLines++;
      continue;
    }
    let m = UNFINISHED.exec(t);
    if (m) {
      unfinished.set(`${pid}|${m[1]}`, { name: m[1], args: m[2], line });
      continue;
    }
    m = RESUMED.exec(t);
    if (m) {
      const u = unfinished.get(`${pid}|${m[1]}`);
      if (!u) {
        out.problem(line, `'<... ${m[1]} resumed>' without its '<unfinished ...>' line${pid ? ` for pid ${pid}` : ''}`);
        continue;
      }
      unfinished.delete(`${pid}|${m[1]}`);
      t = `${u.name}(${u.args}${m[2]}`;
    }
    m = CALL.exec(t);
    if (!m) {
      if (/^\w+\(/.test(t)) out.problem(line, `a system call without its result: '${t.slice(0, 60)}${t.length > 60 ? '...' : ''}'`);
      else out.otherLines++;
      continue;
    }
    handle(m[1], m[2], m[3], line);
  }
  for (const u of unfinished.values()) out.note(u.line, `${u.name} never resumed before the log ends`);

  const sideOf = (d: DeviceFd): Side | null => {
    if (d.sawSource && d.sawDestination) return null;
    if (d.sawSource) return 'source';
    if (d.sawDestination) return 'destination';
    const s = opts.side;
    if (typeof s === 'string') return s;
    return s?.[d.name] ?? null;
  };
  // A side cannot be judged from a log with unreadable lines; report those alone.
  if (out.problems.length) return out.result();
  const reported = new Set<DeviceFd>();
  for (const p of pending) {
    const side = sideOf(p.dev);
    if (!side) {
      if (!reported.has(p.dev)) {
        reported.add(p.dev);
        out.problem(p.line, p.dev.sawSource && p.dev.sawDestination
          ? `device ${p.dev.name} has data_fds read and written; split the log per process or name the fds`
          : `cannot tell whether device ${p.dev.name} is the source or the destination (no read or write on its data_fd); give its side`);
      }
      continue;
    }
    out.events.push({ ...p.event, device: p.dev.name, side, line: p.line } as unknown as ReplayEvent);
  }
  return out.result();
}

// ---------------------------------------------------------------------------------------
// Export: events as strace -f -y would print them, for round-trip test data.

/**
 * Writes the events of one side as strace lines (one VMM process is traced at a time: fd
 * numbers are per process, and a data_fd is tied to the device by the call order). Every VFIO_DEVICE_FEATURE call (set_state, get_state,
 * data_size, opt_in, feature) becomes the same undecoded ioctl, which is what strace shows;
 * precopy_info loses its answer. Device fds count up from 20, data_fds from 40 unless the
 * event names its fd.
 */
export function toStrace(all: readonly ReplayEvent[], side: Side): string {
  const events = all.filter((e) => e.side === side);
  const devFd = new Map<string, number>();
  const dataFd = new Map<string, number>();
  let nextDev = 20;
  let nextData = 40;
  const key = (e: ReplayEvent) => `${e.side}|${e.device}`;
  const dev = (e: ReplayEvent) => {
    let fd = devFd.get(key(e));
    if (fd === undefined) devFd.set(key(e), (fd = nextDev++));
    return `${fd}</dev/vfio/devices/${e.device}>`;
  };
  const data = (e: ReplayEvent, fd?: number) => {
    let n = fd ?? dataFd.get(key(e));
    if (n === undefined) n = nextData++;
    dataFd.set(key(e), n);
    return `${n}<anon_inode:[vfio_mig_file]>`;
  };
  const ret = (e: ReplayEvent, ok: string) => (e.errno ? `-1 ${e.errno === 'unknown' ? 'EIO' : e.errno}` : ok);
  const pointer = '0x7ffd5a1c3f40';
  const lines = events.map((e) => {
    switch (e.call) {
      case 'open': {
        const fd = devFd.get(key(e)) ?? nextDev++;
        devFd.set(key(e), fd);
        return `openat(AT_FDCWD, "/dev/vfio/devices/${e.device}", O_RDWR) = ${ret(e, String(fd))}`;
      }
      case 'set_state':
        if (e.data_fd !== undefined && e.data_fd !== null) dataFd.set(key(e), e.data_fd);
        return `ioctl(${dev(e)}, ${STRACE_NAMES[VFIO_IOCTL.VFIO_DEVICE_FEATURE].join(' or ')}, ${pointer}) = ${ret(e, '0')}`;
      case 'get_state': case 'data_size': case 'opt_in': case 'feature':
        return `ioctl(${dev(e)}, ${STRACE_NAMES[VFIO_IOCTL.VFIO_DEVICE_FEATURE].join(' or ')}, ${pointer}) = ${ret(e, '0')}`;
      case 'reset': return `ioctl(${dev(e)}, VFIO_DEVICE_RESET, 0) = ${ret(e, '0')}`;
      case 'precopy_info': return `ioctl(${data(e, e.fd)}, ${STRACE_NAMES[VFIO_IOCTL.VFIO_MIG_GET_PRECOPY_INFO].join(' or ')}, ${pointer}) = ${ret(e, '0')}`;
      case 'read': return `read(${data(e, e.fd)}, ${e.bytes ? '"\\x00\\x01"...' : pointer}, 1048576) = ${ret(e, String(e.bytes ?? 0))}`;
      case 'write': return `write(${data(e, e.fd)}, "\\x00\\x01"..., ${e.bytes ?? 4096}) = ${ret(e, String(e.bytes ?? 4096))}`;
      case 'close': {
        const n = e.fd ?? dataFd.get(key(e));
        dataFd.delete(key(e));
        return `close(${n ?? devFd.get(key(e))}<anon_inode:[vfio_mig_file]>) = ${ret(e, '0')}`;
      }
    }
  });
  return lines.join('\n') + (lines.length ? '\n' : '');
}
