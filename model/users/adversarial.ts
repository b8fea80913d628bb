// The adversarial user: any legal sequence of uAPI calls on both devices. It may SET either
// device to any state its role allows at any time, read or not in PRE_COPY, call or skip
// precopy_info, opt in to REINIT, abort PRE_COPY->RUNNING and start again, forward its
// buffered record to the destination at any time, and reset either device. It
// obeys only the obligations the uAPI states, and only where a call would break them:
// it writes to a destination only records of one source session, from its first record,
// in order (SET-6, DATA-2). Whether it read to the end before completing the destination
// (DATA-7, DATA-9) is recorded in the link, not enforced: NoLostMandatoryData judges only
// migrations it completed.
//
// It never closes an fd: a closed fd only takes calls away, and this user may always stop
// calling. Roles are fixed: the source is never asked to resume and the destination never to save
// (a device used both ways is two specs). The buffer holds one record: the user reads again
// once it has written (or the source session is replaced).

import { isSupported } from '../kernel/fsm.js';
import {
  srcSet, dstSet, srcRead, srcReadResult, showSrcRead, srcPrecopyInfo, showSrcPrecopyInfo, srcOptIn, srcReset,
  dstWrite, showDstWrite, dstReset, mayForward, showSet, onCopy,
} from '../datapath/uapi.js';
import { action, showReset, type UserModel } from './profile.js';

export const adversarial: UserModel = {
  name: 'adversarial',
  doc: 'any legal sequence of uAPI calls on both devices; obeys only the obligations the uAPI states',
  actions: (cfg) => ({
    SrcSetState: action({
      call: 'src.set',
      params: cfg.srcTargets,
      next: (s, target) => { srcSet(s, target, cfg); },
      label: (target, b) => `src: ${showSet(target, onCopy(b, (c) => srcSet(c, target, cfg)))}`,
      doc: 'SET_STATE on the source (any state but RESUMING)',
    }),
    SrcRead: action({
      call: 'src.read',
      enabled: (s) => s.src.held && s.link.kind === 'none',
      next: (s) => {
        const r = srcRead(s, cfg);
        if (r.kind === 'eof' && s.src.state === 'STOP_COPY') s.link.drained = true;
      },
      label: (_p, b) => `src: ${showSrcRead(b, srcReadResult(b, cfg))}`,
      doc: 'read() on the source data_fd into the user buffer',
    }),
    SrcPrecopyInfo: action({
      call: 'src.precopy_info',
      enabled: (s) => s.src.held,
      next: (s) => { srcPrecopyInfo(s, cfg); },
      label: (_p, b) => `src: ${showSrcPrecopyInfo(b, onCopy(b, (c) => srcPrecopyInfo(c, cfg)))}`,
      doc: 'VFIO_MIG_GET_PRECOPY_INFO on the source data_fd',
    }),
    // Offered only where the device has PRE_COPY: elsewhere the opt-in changes nothing (EINVAL,
    // REINIT-4) and its guard would never be true (UserAction.offered).
    SrcOptIn: action({
      offered: isSupported(cfg.table, cfg.features, 'PRE_COPY'),
      call: 'src.opt_in',
      enabled: (s) => !s.src.optIn,
      next: (s) => { srcOptIn(s, cfg); },
      label: () => `src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = ${cfg.kernel.precopyInfoV2 ? '0' : '-1 ENOTTY (kernel ' + cfg.kernel.name + ' has no such feature)'}`,
      doc: 'opt in to REINIT reporting (REINIT-3, REINIT-4)',
    }),
    SrcReset: action({
      call: 'src.reset',
      next: (s) => { srcReset(s, cfg); },
      label: (_p, b) => `src: ${showReset(b, 'src', (c) => srcReset(c, cfg))}`,
      doc: 'VFIO_DEVICE_RESET on the source: RUNNING, the session ends (ERR-4, ERR-6)',
    }),
    DstSetState: action({
      call: 'dst.set',
      params: cfg.dstTargets,
      next: (s, target) => { dstSet(s, target, cfg); },
      label: (target, b) => `dst: ${showSet(target, onCopy(b, (c) => dstSet(c, target, cfg)))}`,
      doc: 'SET_STATE on the destination (RUNNING, RUNNING_P2P, STOP, RESUMING)',
    }),
    DstWrite: action({
      call: 'dst.write',
      enabled: (s) => s.dst.held && mayForward(s.link),
      next: (s) => { dstWrite(s); },
      label: (_p, b) => `dst: ${showDstWrite(b, onCopy(b, (c) => dstWrite(c)))}`,
      doc: 'write() of the buffered record on the destination data_fd',
    }),
    DstReset: action({
      call: 'dst.reset',
      next: (s) => { dstReset(s); },
      label: (_p, b) => `dst: ${showReset(b, 'dst', dstReset)}`,
      doc: 'VFIO_DEVICE_RESET on the destination: the only abort of a resuming session (DATA-6)',
    }),
  }),
};
