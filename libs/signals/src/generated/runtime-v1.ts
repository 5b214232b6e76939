/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/runtime/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * Agent heartbeat and inventory: how the application named by the envelope's `subject` runs. Feeds structural risks such as a process running as root, a desynchronised clock or a vulnerable dependency.
 */
export interface RuntimeV1 {
  /**
   * The agent that reports.
   */
  agent: {
    /**
     * Unique id of this agent instance (stable across heartbeats).
     */
    id: string;
    /**
     * Agent version.
     */
    version: string;
    /**
     * Agent product name, e.g. `vigil-node-agent`.
     */
    name?: string;
  };
  /**
   * The application process the agent runs in.
   */
  process: {
    /**
     * Process id.
     */
    pid?: number;
    /**
     * Operating-system user the process runs as, e.g. `root` or `node`.
     */
    user: string;
    /**
     * Numeric user id of the process; 0 is root.
     */
    uid?: number;
    /**
     * When the process started.
     */
    startedAt?: string;
  };
  /**
   * The machine or container.
   */
  host?: {
    /**
     * Host name.
     */
    hostname?: string;
    /**
     * Operating system and version, e.g. `linux 6.1`.
     */
    os?: string;
    /**
     * Container id, when containerised.
     */
    containerId?: string;
  };
  /**
   * The agent's clock, to detect desynchronisation.
   */
  clock?: {
    /**
     * Wall-clock time on the host when the heartbeat was built.
     */
    time: string;
    /**
     * Whether the host reports its clock synchronised (NTP or equivalent).
     */
    synchronized?: boolean;
  };
  /**
   * Language runtime.
   */
  runtime: {
    /**
     * Runtime family.
     */
    name: 'node' | 'python' | 'java' | 'ruby' | 'go' | 'php' | 'dotnet' | 'rust' | 'other';
    /**
     * Runtime version, e.g. `20.19.0`.
     */
    version: string;
  };
  /**
   * Main web framework, when known.
   */
  framework?: {
    /**
     * Framework name, e.g. `express`.
     */
    name: string;
    /**
     * Framework version.
     */
    version?: string;
  };
  /**
   * Installed packages (the dependency inventory).
   *
   * @maxItems 5000
   *
   * Items: One installed package.
   */
  packages?: {
    /**
     * Package ecosystem.
     */
    ecosystem:
      'npm' | 'pypi' | 'maven' | 'rubygems' | 'go' | 'nuget' | 'packagist' | 'cargo' | 'other';
    /**
     * Package name as its registry spells it.
     */
    name: string;
    /**
     * Installed version.
     */
    version: string;
  }[];
}
