// Checkpoint and resume of the exhaustive breadth-first search, for any worker count: a
// Keeper (stop.ts) that fills a new search from a checkpoint (store/checkpoint.ts) when
// resuming, writes one at level boundaries every `every` ms, and a last one where a stop
// from outside (signal, time limit) left the search. A checkpoint of another run (spec
// file, constants, options that change the result) is refused, naming what differs.

import { ConfigError } from '../errors.js';
import { OutOfMemory } from '../store/parents.js';
import { difference, fileHash, readCheckpoint, writeCheckpoint, type Counters, type Identity } from '../store/checkpoint.js';
import type { Search } from './search.js';
import type { Keeper } from './stop.js';

export interface CheckpointOptions {
  /** Where to write checkpoints (none when absent). */
  dir?: string;
  /** Milliseconds between checkpoints at level boundaries (default: only when stopped). */
  every?: number;
  /** The directory of the checkpoint to resume. */
  resume?: string;
  /** The spec file as the user named it, and the module it was loaded from (hashed). */
  file: string;
  module?: string;
  /** Told of each checkpoint written. */
  onWrite?: (path: string, counters: Counters) => void;
  /** Told of a checkpoint that could not be written (the search goes on, its report is not lost). */
  onError: (message: string) => void;
}

export class CheckpointKeeper implements Keeper {
  private last = performance.now();
  private id: Identity | undefined;

  constructor(private readonly o: CheckpointOptions) {}

  start(search: Search<unknown>): void {
    const id = (this.id = search.identity(this.o.file, fileHash(this.o.module)));
    if (this.o.resume === undefined) return search.initial();
    const { header, snap, path } = readCheckpoint(this.o.resume);
    const diff = difference(header.identity, id);
    if (diff) throw new ConfigError(`--resume ${this.o.resume}: ${path} is the checkpoint of another run: ${diff}`);
    try {
      search.restore(snap);
    } catch (e) {
      if (e instanceof OutOfMemory) throw new ConfigError(`--resume ${this.o.resume}: ${e.message} (raise --memory)`);
      throw e;
    }
  }

  level(search: Search<unknown>): void {
    if (this.o.dir === undefined || this.o.every === undefined || performance.now() - this.last < this.o.every) return;
    this.write(search);
  }

  end(search: Search<unknown>, stopped: boolean): void {
    if (this.o.dir !== undefined && stopped) this.write(search);
  }

  private write(search: Search<unknown>): void {
    const snap = search.snapshot();
    this.last = performance.now();
    let path: string;
    try {
      path = writeCheckpoint(this.o.dir!, this.id!, snap);
    } catch (e) {
      return this.o.onError(`--checkpoint ${this.o.dir}: cannot write the checkpoint: ${(e as Error).message}`);
    }
    this.o.onWrite?.(path, snap.counters);
  }
}
