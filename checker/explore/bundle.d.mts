// Types of bundle.mjs (plain JavaScript: it runs in worker threads before any TypeScript loader).

/** The source with `import.meta.url`, `.filename` and `.dirname` replaced by their values for `file`. */
export function pinImportMeta(source: string, file: string): string;

/** Where the cached bundle for a spec module lives, and whether every file that went into it is unchanged. */
export function planBundle(specPath: string): { file: string; meta: string; fresh: boolean };

/** Bundles worker.ts with the spec module into `out` (and the inputs' hashes into `meta`). */
export function bundleWorker(specPath: string, out: string, meta?: string): Promise<void>;
