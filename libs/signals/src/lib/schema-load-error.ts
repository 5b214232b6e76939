/** Raised at start-up when a schema file cannot become part of the registry; names the file. */
export class SchemaLoadError extends Error {
  constructor(
    /** The offending schema file (or the schema's `$id` when it did not come from a file). */
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'SchemaLoadError';
  }
}
