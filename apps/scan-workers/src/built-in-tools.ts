import { OsvDatabase } from '@vigil/advisories';
import type { ScanHandler } from '@vigil/scan-jobs';
import {
  ArtifactSource,
  DEPENDENCY_TOOL,
  DependencyScanner,
  HEADER_TOOL,
  HeaderChecker,
  PORT_TOOL,
  PortScanner,
  SECRET_TOOL,
  SecretScanner,
  TargetPolicy,
} from '@vigil/scanners';
import type { ScanWorkersConfig } from './config/scan-workers.config';

/** A built-in tool: its name on findings and its handler. */
export interface BuiltInTool {
  readonly tool: string;
  readonly handler: ScanHandler;
}

/** The built-in tools for `kinds`, wired to the configured artifact roots, advisories and networks. */
export function builtInTools(config: ScanWorkersConfig): Map<string, BuiltInTool> {
  const artifacts = new ArtifactSource(config.artifactRoots);
  const policy = new TargetPolicy(config.allowedNetworks);
  const tools = new Map<string, BuiltInTool>();
  for (const kind of config.kinds) {
    tools.set(kind, toolFor(kind, config, artifacts, policy));
  }
  return tools;
}

function toolFor(
  kind: string,
  config: ScanWorkersConfig,
  artifacts: ArtifactSource,
  policy: TargetPolicy,
): BuiltInTool {
  switch (kind) {
    case 'dependencies': {
      const scanner = new DependencyScanner(artifacts, OsvDatabase.fromFile(config.advisoriesFile));
      return {
        tool: DEPENDENCY_TOOL.name,
        handler: ({ job }) => scanner.scan(job.tenant, job.input),
      };
    }
    case 'secrets': {
      const scanner = new SecretScanner(artifacts);
      return { tool: SECRET_TOOL.name, handler: ({ job }) => scanner.scan(job.tenant, job.input) };
    }
    case 'ports': {
      const scanner = new PortScanner(policy);
      return {
        tool: PORT_TOOL.name,
        handler: ({ job, progress }) => scanner.scan(job.input, (percent) => progress(percent)),
      };
    }
    case 'http-headers': {
      const checker = new HeaderChecker(policy);
      return { tool: HEADER_TOOL.name, handler: ({ job }) => checker.scan(job.input) };
    }
    default:
      throw new Error(`no built-in tool for scan kind "${kind}"`);
  }
}
