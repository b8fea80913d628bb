import { check, instantiate } from './checker/index.js';
import spec from './specs/tlaplus-examples/mc-voting.spec.js';
for (const [c, sym] of [[0, true], [0, false], [1, true]] as const) {
  const inst = instantiate(spec, { BUG: c });
  const i2 = sym ? inst : { ...inst, symmetry: [] };
  const r = check(i2 as never, {});
  console.log(c, sym, r.status, r.stats.distinct, r.stats.generated, r.stats.depth, r.status === 'violation' ? r.violation.name + ' ' + r.violation.trace.map((x) => x.label).join(' ; ') : '');
}
