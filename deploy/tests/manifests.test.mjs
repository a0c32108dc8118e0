// The Kubernetes manifests, checked without a cluster: every overlay renders
// with `kubectl kustomize`; every object validates strictly against the
// Kubernetes schemas (schema_validation.mjs), and a misspelt or malformed
// field is really refused; the rules of issue 7 hold in what each overlay
// renders (non-root and read-only, probes, resources, grace periods, peer
// addresses on headless Services; in production: autoscalers of 2 and more,
// disruption budgets, network policies that allow each caller and nothing
// else, and TLS on every port but the kubelet's health port, the metrics
// included (Prometheus told to scrape https), from Secrets whose example
// certificates name what callers dial; the local overlay stays plaintext). The manifest smoke test (manifest_smoke.test.mjs)
// then runs what they describe.
//
//   node deploy/tests/manifests.test.mjs   # exits 77 (skipped) without kubectl
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  containerEnvironment, deploymentsBehind, durationSeconds, exampleCertificates, find, kubectlOrSkip,
  overlayNames, render, summitFlags,
} from './manifests.mjs';
import { allows } from './network_policy.mjs';
import { validateObjects } from './schema_validation.mjs';

const kubectl = kubectlOrSkip();
const overlays = overlayNames();
const rendered = Object.fromEntries(overlays.map((overlay) => [overlay, render(kubectl, overlay)]));
const deploymentsOf = (objects) => objects.filter((o) => o.kind === 'Deployment');
// Secrets are created by the operator; their values do not matter here.
const anySecret = (name, key) => `secret:${name}/${key}`;
const flagsOf = (objects, container) =>
    summitFlags(containerEnvironment(objects, container, anySecret), container.args);
// The listen flags of Summit's servers; a new one must be placed below, in
// TLS or in plaintext.
const kListenFlags = ['listen', 'http_listen', 'admin_listen', 'health_listen'];
// The declared container port of a name or number, or undefined.
const declaredPort = (container, port) =>
    (container.ports ?? []).find((p) => p.name === port || p.containerPort === port);
// The declared container port a listen flag's 0.0.0.0:PORT serves.
const listenPort = (container, address) =>
    declaredPort(container, Number(/^0\.0\.0\.0:(\d+)$/.exec(address ?? '')?.[1]));
// The Secret volume and key a container reads `file` from, and whether the
// mount is read-only; undefined when no Secret is mounted there.
function secretFileOf(pod, container, file) {
  for (const mount of container.volumeMounts ?? []) {
    if (!file.startsWith(`${mount.mountPath}/`)) continue;
    const secret = pod.volumes.find((v) => v.name === mount.name).secret;
    if (!secret) return undefined;
    const relative = file.slice(mount.mountPath.length + 1);
    const key = secret.items ? secret.items.find((i) => i.path === relative)?.key : relative;
    return {secretName: secret.secretName, key, readOnly: mount.readOnly === true};
  }
  return undefined;
}
// How Prometheus scrapes a Deployment's pods: its prometheus.io/scheme
// annotation, http when there is none.
const scrapeSchemeOf = (deployment) =>
    deployment.spec.template.metadata.annotations?.['prometheus.io/scheme'] ?? 'http';
// The probes a container declares.
const probesOf = (container) =>
    [container.startupProbe, container.readinessProbe, container.livenessProbe].filter(Boolean);

test('the overlays are local and production', () => {
  assert.deepEqual(overlays, ['local', 'production']);
});

for (const overlay of overlays) {
  test(`${overlay}: every object validates strictly against the Kubernetes schemas`, () => {
    const {typeErrors, schemaErrors} = validateObjects(rendered[overlay]);
    assert.equal(typeErrors, '');
    assert.deepEqual(schemaErrors, []);
  });
}

test('a misspelt field in a container is refused', () => {
  const objects = structuredClone(rendered.local);
  const container = deploymentsOf(objects)[0].spec.template.spec.containers[0];
  container.readinesProbe = container.readinessProbe;
  delete container.readinessProbe;
  const {typeErrors} = validateObjects(objects);
  assert.match(typeErrors, /'"readinesProbe"' does not exist in type 'IContainer'/);
});

test('a field of the wrong type or format is refused', () => {
  const wrongType = structuredClone(rendered.local);
  deploymentsOf(wrongType)[0].spec.template.spec.containers[0].ports[0].containerPort = '50050';
  assert.match(validateObjects(wrongType).typeErrors, /Type 'string' is not assignable to type 'number'/);

  const badQuantity = structuredClone(rendered.local);
  deploymentsOf(badQuantity)[0].spec.template.spec.containers[0].resources.limits.cpu = 'lots';
  const {typeErrors, schemaErrors} = validateObjects(badQuantity);
  assert.equal(typeErrors, '');
  assert.match(schemaErrors.join('\n'), /limits\/cpu must match format "quantity"/);
});

for (const overlay of overlays) {
  const objects = rendered[overlay];
  for (const deployment of deploymentsOf(objects)) {
    const name = deployment.metadata.name;
    const pod = deployment.spec.template.spec;

    test(`${overlay}: ${name} runs unprivileged on a read-only root`, () => {
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
      assert.equal(pod.automountServiceAccountToken, false);
      assert.ok(find(objects, 'ServiceAccount', pod.serviceAccountName), pod.serviceAccountName);
      for (const container of pod.containers) {
        const security = container.securityContext;
        assert.equal(security.runAsNonRoot, true);
        assert.equal(security.readOnlyRootFilesystem, true);
        assert.equal(security.allowPrivilegeEscalation, false);
        assert.deepEqual(security.capabilities.drop, ['ALL']);
        assert.equal(security.seccompProfile.type, 'RuntimeDefault');
        for (const kind of ['requests', 'limits']) {
          assert.ok(container.resources[kind].cpu && container.resources[kind].memory, kind);
        }
        const volumes = new Set(pod.volumes.map((v) => v.name));
        for (const mount of container.volumeMounts) assert.ok(volumes.has(mount.name), mount.name);
        assert.ok(container.volumeMounts.some((m) => m.mountPath === '/tmp'), 'a volume at /tmp');
      }
    });

    test(`${overlay}: ${name} has gRPC health probes and outlives its own shutdown`, () => {
      for (const container of pod.containers) {
        const ports = container.ports.map((p) => p.containerPort);
        // Readiness asks for the service, which is NOT_SERVING while its
        // database does not answer; liveness for the server as a whole ("").
        const readiness = container.readinessProbe?.grpc;
        assert.ok(readiness?.service, 'readiness checks the service\'s gRPC health');
        const liveness = container.livenessProbe?.grpc;
        assert.ok(liveness && !liveness.service, 'liveness checks the server\'s gRPC health');
        for (const {port} of [readiness, liveness]) {
          assert.ok(ports.includes(port), `probe port ${port} is a container port`);
        }
        assert.ok(container.startupProbe, 'a startup probe covers opening the database');
        const flags = flagsOf(objects, container);
        const shutdown = durationSeconds(flags.shutdown_drain_delay ?? '1s') +
                         durationSeconds(flags.shutdown_grace_period ?? '10s');
        assert.ok(pod.terminationGracePeriodSeconds > shutdown,
                  `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} > ${shutdown}`);
      }
    });

    test(`${overlay}: ${name} calls its peers through headless Services`, () => {
      for (const container of pod.containers) {
        for (const [flag, value] of Object.entries(flagsOf(objects, container))) {
          if (!flag.endsWith('_address')) continue;
          const peer = /^dns:\/\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)$/.exec(value);
          assert.ok(peer, `${flag}=${value} is dns:///NAME.NAMESPACE.svc.cluster.local:PORT`);
          const service = find(objects, 'Service', peer[1]);
          assert.ok(service && service.metadata.namespace === peer[2], `Service ${peer[1]}`);
          assert.equal(service.spec.clusterIP, 'None', `${peer[1]} is headless`);
          assert.ok(service.spec.ports.some((p) => p.port === Number(peer[3])), value);
        }
      }
    });
  }
}

test('local: one replica each, SQLite on a volume of its own', () => {
  const objects = rendered.local;
  for (const deployment of deploymentsOf(objects)) {
    assert.equal(deployment.spec.replicas, 1);
    const container = deployment.spec.template.spec.containers[0];
    const database = containerEnvironment(objects, container, anySecret).SUMMIT_DATABASE;
    if (deployment.metadata.name === 'summit-gateway') {
      assert.equal(database, undefined);
      continue;
    }
    assert.equal(deployment.spec.strategy.type, 'Recreate');
    const mount = container.volumeMounts.find((m) => database.startsWith(`sqlite://${m.mountPath}/`));
    assert.ok(mount, `${database} is on a volume`);
    const volume = deployment.spec.template.spec.volumes.find((v) => v.name === mount.name);
    assert.ok(find(objects, 'PersistentVolumeClaim', volume.persistentVolumeClaim?.claimName),
              `${deployment.metadata.name}'s data volume is a PersistentVolumeClaim`);
  }
});

test('production: PostgreSQL from a Secret, 2+ replicas, disruption budgets', () => {
  const objects = rendered.production;
  for (const deployment of deploymentsOf(objects)) {
    const name = deployment.metadata.name;
    const template = deployment.spec.template;
    const container = template.spec.containers[0];
    if (name !== 'summit-gateway') {
      const database = container.env.find((e) => e.name === 'SUMMIT_DATABASE');
      assert.equal(database.valueFrom.secretKeyRef.name, 'summit-database', name);
    }
    // The autoscaler owns the replica count (an apply would reset it).
    assert.equal(deployment.spec.replicas, undefined, name);
    const autoscaler = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' &&
                                           o.spec.scaleTargetRef.name === name);
    assert.ok(autoscaler?.spec.minReplicas >= 2, `${name}: an autoscaler with 2+ replicas`);
    assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0, name);
    const budget = objects.find((o) => o.kind === 'PodDisruptionBudget' &&
                                       o.spec.selector.matchLabels['app.kubernetes.io/name'] ===
                                           template.metadata.labels['app.kubernetes.io/name']);
    assert.ok(budget, `${name}: a PodDisruptionBudget`);
  }
});

test('production: network policies allow each caller, and nothing else', () => {
  const objects = rendered.production;
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const pods = Object.fromEntries(deploymentsOf(objects).map((d) => [
    d.metadata.name.replace('summit-', ''),
    {namespace: d.metadata.namespace, labels: d.spec.template.metadata.labels,
     ports: d.spec.template.spec.containers.flatMap((c) => c.ports)},
  ]));
  const portOf = (pod, name) => pod.ports.find((p) => p.name === name).containerPort;
  const calls = {gateway: ['registry', 'scheduling', 'statements'], scheduling: ['registry'],
                 statements: ['registry', 'scheduling'], registry: []};
  // Between Summit's own pods: exactly the calls above, on the gRPC port.
  for (const [callerName, caller] of Object.entries(pods)) {
    for (const [calleeName, callee] of Object.entries(pods)) {
      if (callerName === calleeName) continue;
      for (const {name, containerPort} of callee.ports) {
        const expected = name === 'grpc' && calls[callerName].includes(calleeName);
        assert.equal(allows(policies, caller, callee, containerPort), expected,
                     `${callerName} → ${calleeName}:${containerPort} (${name})`);
      }
    }
  }
  const ingress = {namespace: 'ingress-nginx', labels: {'app.kubernetes.io/name': 'ingress-nginx'}};
  const prometheus = {namespace: 'monitoring', labels: {'app.kubernetes.io/name': 'prometheus'}};
  const dns = {namespace: 'kube-system', labels: {'k8s-app': 'kube-dns'}};
  const stranger = {namespace: 'default', labels: {app: 'anything'}};
  const database = {ip: '10.20.30.40'};
  const internet = {ip: '203.0.113.7'};
  for (const [name, pod] of Object.entries(pods)) {
    for (const {name: portName, containerPort} of pod.ports) {
      const fromIngress = name === 'gateway' && ['http', 'grpc'].includes(portName);
      assert.equal(allows(policies, ingress, pod, containerPort), fromIngress,
                   `ingress → ${name}:${containerPort}`);
      assert.equal(allows(policies, prometheus, pod, containerPort), portName === 'admin',
                   `prometheus → ${name}:${containerPort}`);
      assert.equal(allows(policies, stranger, pod, containerPort), false,
                   `another namespace → ${name}:${containerPort}`);
    }
    assert.ok(allows(policies, pod, dns, 53, 'UDP') && allows(policies, pod, dns, 53, 'TCP'),
              `${name} → DNS`);
    assert.equal(allows(policies, pod, database, 5432), name !== 'gateway', `${name} → database`);
    assert.equal(allows(policies, pod, internet, 443), false, `${name} → the internet`);
    assert.equal(allows(policies, pod, stranger, 8080), false, `${name} → another namespace`);
  }
  // And the evaluator is not simply saying no: without policies, all is open.
  assert.ok(allows([], stranger, pods.registry, 50051));
});

test('local: plaintext on loopback\'s terms, probes on the gRPC port', () => {
  const objects = rendered.local;
  for (const deployment of deploymentsOf(objects)) {
    for (const container of deployment.spec.template.spec.containers) {
      const flags = flagsOf(objects, container);
      const name = deployment.metadata.name;
      assert.deepEqual(Object.keys(flags).filter((f) => f.startsWith('tls_')), [], name);
      assert.equal(flags.health_listen, undefined, name);
      assert.equal(scrapeSchemeOf(deployment), 'http', `${name}: metrics over plain HTTP`);
      const grpc = listenPort(container, flags.listen).containerPort;
      for (const probe of probesOf(container)) {
        if (probe.grpc) assert.equal(probe.grpc.port, grpc, `${name}: ${JSON.stringify(probe)}`);
      }
    }
  }
});

test('production: TLS from each server\'s Secret; plaintext only on health', () => {
  const objects = rendered.production;
  for (const deployment of deploymentsOf(objects)) {
    const name = deployment.metadata.name;
    const pod = deployment.spec.template.spec;
    for (const container of pod.containers) {
      const flags = flagsOf(objects, container);
      // Certificate, key and CA: the server's own kubernetes.io/tls Secret,
      // mounted read-only (what cert-manager writes: tls.crt, tls.key, ca.crt).
      for (const [flag, key] of [['tls_cert_file', 'tls.crt'], ['tls_key_file', 'tls.key'],
                                 ['tls_ca_file', 'ca.crt']]) {
        assert.ok(flags[flag], `${name}: --${flag}`);
        assert.deepEqual(secretFileOf(pod, container, flags[flag]),
                         {secretName: `${name}-tls`, key, readOnly: true}, `${name}: --${flag}`);
      }
      // Mutual TLS between the servers; the gateway is the public endpoint.
      assert.equal(flags.tls_require_client_cert ?? 'true', name === 'summit-gateway' ? 'false' : 'true',
                   `${name}: --tls_require_client_cert`);

      // With a certificate, gRPC, HTTP and the metrics (admin) serve TLS;
      // the health port does not.
      const listeners = Object.keys(flags).filter((f) => f.endsWith('_listen'));
      assert.deepEqual(listeners.filter((f) => !kListenFlags.includes(f)), [], name);
      const health = listenPort(container, flags.health_listen);
      assert.equal(health?.name, 'health', `${name}: --health_listen on the port named health`);
      const plaintext = [health.containerPort];
      const admin = listenPort(container, flags.admin_listen);
      assert.equal(admin?.name, 'admin', `${name}: --admin_listen on the port named admin`);
      const tls = [flags.listen, flags.http_listen, flags.admin_listen].filter(Boolean)
                      .map((address) => listenPort(container, address).containerPort);
      // Prometheus scrapes the admin port, told to use HTTPS.
      const annotations = deployment.spec.template.metadata.annotations ?? {};
      assert.equal(annotations['prometheus.io/scrape'], 'true', `${name}: scraped`);
      assert.equal(Number(annotations['prometheus.io/port']), admin.containerPort,
                   `${name}: prometheus.io/port is the admin port`);
      assert.equal(scrapeSchemeOf(deployment), 'https', `${name}: prometheus.io/scheme`);
      // The kubelet probes health in plaintext, HTTPS where it GETs.
      for (const probe of probesOf(container)) {
        if (probe.grpc) assert.equal(probe.grpc.port, health.containerPort, `${name}: gRPC probe`);
        if (probe.httpGet) {
          assert.equal(probe.httpGet.scheme, 'HTTPS', `${name}: HTTP probe`);
          const port = declaredPort(container, probe.httpGet.port);
          assert.ok(tls.includes(port.containerPort), `${name}: HTTP probe on a TLS port`);
        }
      }
      // Services expose the TLS ports (the metrics among them, for
      // Prometheus), never the health port: only the kubelet, from the node,
      // asks it.
      for (const service of objects.filter((o) => o.kind === 'Service' &&
                                                  deploymentsBehind(objects, o).includes(deployment))) {
        for (const {targetPort, port} of service.spec.ports) {
          const target = declaredPort(container, targetPort ?? port);
          assert.ok(tls.includes(target.containerPort),
                    `Service ${service.metadata.name} port ${port} → ${target.name}`);
        }
      }
      assert.ok(!tls.some((port) => plaintext.includes(port)), name);
    }
  }
});

test('production: the example certificates name what each server\'s callers dial', () => {
  const objects = rendered.production;
  const certificates = exampleCertificates();
  const deployments = deploymentsOf(objects);
  // Every name a container dials a peer by, with the Deployment behind it.
  const dialled = new Map(deployments.map((d) => [d.metadata.name, new Set()]));
  for (const deployment of deployments) {
    for (const container of deployment.spec.template.spec.containers) {
      for (const [flag, value] of Object.entries(flagsOf(objects, container))) {
        if (!flag.endsWith('_address')) continue;
        const [, host, serviceName] = /^dns:\/\/\/(([a-z0-9-]+)\.[a-z0-9.-]+):\d+$/.exec(value);
        const service = find(objects, 'Service', serviceName);
        for (const callee of deploymentsBehind(objects, service)) {
          dialled.get(callee.metadata.name).add(host);
        }
      }
    }
  }
  const mounted = new Set();
  for (const deployment of deployments) {
    const name = deployment.metadata.name;
    const secretName = `${name}-tls`;
    mounted.add(secretName);
    const spec = certificates.get(secretName)?.spec;
    assert.ok(spec, `the example issues ${secretName}`);
    assert.ok(dialled.get(name).size > 0 || name === 'summit-gateway', `${name} is dialled`);
    for (const host of dialled.get(name)) {
      assert.ok(spec.dnsNames.includes(host), `${secretName} names ${host}, which callers dial`);
    }
    // Each serves, and presents its certificate to the peers it calls.
    assert.ok(spec.usages.includes('server auth') && spec.usages.includes('client auth'), secretName);
  }
  // Clients through kubectl port-forward (and the smoke test's) reach the gateway at 127.0.0.1.
  assert.ok(certificates.get('summit-gateway-tls').spec.ipAddresses.includes('127.0.0.1'));
  // Nothing issued that no server mounts, but the CA.
  for (const [secretName, {spec}] of certificates) {
    assert.ok(mounted.has(secretName) || spec.isCA, `${secretName} is mounted`);
  }
});
