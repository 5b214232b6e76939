import type { Detection, PastDetection } from '@vigil/playbooks';
import type { SqlClient } from '@vigil/store';

/** What became of a detection. */
export type DetectionOutcome =
  'responded' | 'simulated' | 'notified' | 'allowlisted' | 'already-blocked' | 'capped' | 'expired';

/** A stored detection with its evidence. */
export interface DetectionView extends Detection {
  readonly outcome: DetectionOutcome;
  readonly responseId: string | null;
}

/** Filters of the detection list. */
export interface DetectionFilter {
  readonly app?: string;
  readonly playbookId?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
}

/** Detections and their evidence; the id makes recording idempotent. */
export class DetectionRepository {
  constructor(private readonly db: SqlClient) {}

  /** Stores a detection; false when this detection was already stored (a redelivery or a restart). */
  async record(
    client: SqlClient,
    detection: Detection,
    outcome: DetectionOutcome,
    responseId: string | null,
  ): Promise<boolean> {
    const evidence = { ...detection, responseId };
    const { rows } = await client.query(
      `INSERT INTO detections (id, tenant, playbook_id, playbook_version, app, detected_at, outcome, evidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        detection.id,
        detection.tenant,
        detection.playbookId,
        detection.playbookVersion,
        detection.app ?? null,
        detection.detectedAt,
        outcome,
        JSON.stringify(evidence),
      ],
    );
    return rows.length > 0;
  }

  /**
   * Updates a stored detection's evidence after a revision (older signals moved its crossing
   * earlier); its outcome and response stay. False when it is not stored.
   */
  async revise(client: SqlClient, detection: Detection): Promise<boolean> {
    const { rows } = await client.query(
      `UPDATE detections SET detected_at = $2,
         evidence = $3::jsonb || jsonb_build_object('responseId', evidence->'responseId')
       WHERE id = $1 AND tenant = $4 RETURNING id`,
      [detection.id, detection.detectedAt, JSON.stringify(detection), detection.tenant],
    );
    return rows.length > 0;
  }

  /** True when the detection is already stored. */
  async exists(client: SqlClient, id: string): Promise<boolean> {
    const { rows } = await client.query('SELECT 1 FROM detections WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** A tenant's detections, newest first. */
  async list(tenant: string, filter: DetectionFilter): Promise<DetectionView[]> {
    const { rows } = await this.db.query<{
      outcome: DetectionOutcome;
      evidence: Detection & { responseId: string | null };
    }>(
      `SELECT outcome, evidence FROM detections
       WHERE tenant = $1 AND ($2::text IS NULL OR app = $2) AND ($3::text IS NULL OR playbook_id = $3)
         AND ($4::timestamptz IS NULL OR detected_at >= $4) AND ($5::timestamptz IS NULL OR detected_at < $5)
       ORDER BY detected_at DESC, id LIMIT $6`,
      [
        tenant,
        filter.app ?? null,
        filter.playbookId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.limit,
      ],
    );
    return rows.map((row) => ({ ...row.evidence, outcome: row.outcome }));
  }

  /**
   * Every tenant's detections at or after `since` (event time), at most `limit`, newest first:
   * what an instance taking over a detection partition must stay quiet about.
   */
  async since(since: Date, limit: number): Promise<PastDetection[]> {
    const { rows } = await this.db.query<{
      id: string;
      tenant: string;
      playbook_id: string;
      playbook_version: number;
      grp: Record<string, string>;
      detected_at: Date | string;
    }>(
      `SELECT id, tenant, playbook_id, playbook_version, evidence->'group' AS grp, detected_at
       FROM detections WHERE detected_at >= $1 ORDER BY detected_at DESC LIMIT $2`,
      [since, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      tenant: row.tenant,
      playbookId: row.playbook_id,
      playbookVersion: row.playbook_version,
      group: row.grp,
      detectedAt: new Date(row.detected_at).getTime(),
    }));
  }
}
