// Exact state and transition counts of the twin models, as closed forms. The benchmark
// checks every run against them, and so do the tests in test/bench/.
//
// "Transitions" are the edges of the reachable graph: successor computations, duplicates
// included, initial states excluded (migcheck's stats.transitions). SPIN's "transitions
// (= stored+matched)" also counts the step that stores the initial state, so it is one
// more: it equals migcheck's stats.generated (initial states + successors, TLC's
// "generated").

/** vfio with N units and versions 0..V (BUG = 0). */
export function vfioCounts(N: number, V: number): { distinct: number; transitions: number } {
  const R = V + 1;
  const A = R * (R + 1);
  // Per phase: RUNNING has all units dirty (R^N states, N DevWrite + StartPreCopy each);
  // STOP has dst = src (R^N, no successor). PRE_COPY and STOP_COPY each have A^N states
  // with no read in flight and N*R*A^N with one (a unit is dirty with any (src, dst), or clean
  // with dst = src: A = R^2 + R per unit; the unit in flight adds its buffer).
  const distinct = 2 * R ** N + 2 * A ** N * (1 + N * R);
  // Enabled actions summed over states: RUNNING R^N*(N+1); PRE_COPY idle A^N*(N+1) plus one
  // ReadUnit per dirty unit (N*R^2*A^(N-1) in total), busy N*R*A^N*(N+2); STOP_COPY idle
  // N*R^2*A^(N-1) reads plus R^N Finish, busy N*R*A^N WriteDst.
  const transitions = R ** N * (N + 2) + A ** N * (N + 1) + 2 * N * R ** 2 * A ** (N - 1) + N * R * A ** N * (N + 3);
  return { distinct, transitions };
}

/** K counters in 0..M. */
export function countersCounts(K: number, M: number): { distinct: number; transitions: number } {
  return { distinct: (M + 1) ** K, transitions: 2 * K * M * (M + 1) ** (K - 1) };
}

/** Length (states, Init included) of the shortest counterexample of vfio BUG=1: DevWrite
 * one unit, StartPreCopy, StartStopCopy, read all N units with N-1 writes back, Finish. */
export function vfioBugTraceStates(N: number): number {
  return 2 * N + 4;
}
