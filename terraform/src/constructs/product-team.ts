import { natsPermissions, productDatabases, type ProductDeclaration } from '@vigil/topology';
import {
  Construct,
  Database,
  Grant,
  Password,
  PostgresqlProvider,
  RandomProvider,
  Role,
  SecretsmanagerSecret,
  SecretsmanagerSecretVersion,
  TerraformOutput,
} from '../cdk';
import type { EnvironmentConfig } from '../config/infra-config';
import { JetStreamConsumer, JetStreamProvider, type Ownership } from './jetstream';

/** What a product team needs: its products' declarations and the environment. */
export interface ProductTeamProps {
  readonly team: string;
  readonly products: readonly ProductDeclaration[];
  readonly environment: EnvironmentConfig;
}

/**
 * Everything a product team owns, from its products' declarations: for each product its
 * PostgreSQL database with a login role that owns that database only (PUBLIC's CONNECT
 * revoked), its durable consumers, and the secrets it reads (database and NATS passwords, in
 * Secrets Manager as `vigil/<environment>/<product>/…`), with its NATS permissions as output.
 */
export class ProductTeam extends Construct {
  /** The roles this team's databases belong to (for the ownership policy). */
  readonly roles: string[] = [];
  /** The durable consumers this team declares. */
  readonly durables: string[] = [];

  constructor(scope: Construct, id: string, props: ProductTeamProps) {
    super(scope, id);
    const { environment, team } = props;
    const owner: Ownership = { team, environment: environment.name };
    new RandomProvider(this, 'random');
    const postgres = new PostgresqlProvider(this, 'postgresql', {
      host: environment.postgres.host,
      port: environment.postgres.port,
      sslmode: 'require',
      superuser: false,
    });
    const jetStream = new JetStreamProvider(this, 'jetstream', {
      servers: environment.jetStream.servers,
      credentials: environment.jetStream.credentialsFile,
    });
    const databases = productDatabases(props.products, environment.postgres.prefix);
    for (const product of props.products) {
      this.secret(product.name, 'nats-password', environment);
      new TerraformOutput(this, `${product.name}-nats-permissions`, {
        value: JSON.stringify(natsPermissions(product)),
        description: `NATS permissions of ${product.name} (the generated accounts give its user exactly these)`,
      });
      for (const consumer of product.consumers) {
        new JetStreamConsumer(this, jetStream, consumer, owner);
        this.durables.push(`${consumer.stream}/${consumer.config.durable_name}`);
      }
      const database = databases.find((d) => d.product === product.name);
      if (database) {
        const password = this.secret(product.name, 'database-password', environment);
        const role = new Role(this, `${product.name}-role`, {
          provider: postgres,
          name: database.role,
          login: true,
          password: password.result,
          createDatabase: false,
          createRole: false,
          superuser: false,
          inherit: false,
        });
        const db = new Database(this, `${product.name}-database`, {
          provider: postgres,
          name: database.database,
          owner: role.name,
        });
        // Only the owner may connect: by default PostgreSQL lets every role connect to every database.
        new Grant(this, `${product.name}-revoke-public`, {
          provider: postgres,
          database: db.name,
          role: 'public',
          objectType: 'database',
          privileges: [],
        });
        this.roles.push(database.role);
      }
    }
  }

  /** A generated password kept in Secrets Manager, where the product's deployment reads it. */
  private secret(product: string, name: string, environment: EnvironmentConfig): Password {
    const password = new Password(this, `${product}-${name}`, { length: 40, special: false });
    const secret = new SecretsmanagerSecret(this, `${product}-${name}-secret`, {
      name: `vigil/${environment.name}/${product}/${name}`,
      description: `${name} of ${product} (${environment.name})`,
      recoveryWindowInDays: environment.name === 'prod' ? 30 : 7,
    });
    new SecretsmanagerSecretVersion(this, `${product}-${name}-version`, {
      secretId: secret.id,
      secretString: password.result,
    });
    return password;
  }
}
