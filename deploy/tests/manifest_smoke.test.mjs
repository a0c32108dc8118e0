// The manifest smoke test: what an overlay describes, run as local processes
// (local_pods.mjs), so that the manifests and the binaries cannot drift
// apart. For every Deployment, as many replicas as it would start with, each
// container started with its command, args, environment, volumes and ports
// from the rendered manifests; then every probe the manifests declare must
// pass, the gateway must answer HTTP through its Service's port and reach
// every service (the demo data loaded through it exercises each caller's
// peer address), and SIGTERM must drain every server (readiness failing
// while it still runs) to exit 0 within its terminationGracePeriodSeconds.
// Every server's metrics must answer where and how its prometheus.io/*
// annotations say. Where the manifests mount TLS Secrets (production), a
// throwaway CA issues what the cert-manager example (components/tls)
// describes; then the gateway is reached over TLS and HTTPS, the metrics over
// HTTPS (verified as Prometheus would, by the CA and the name of the
// server's Service), every gRPC port refuses plaintext and every admin port
// plain HTTP (only the kubelet's health port speaks plaintext), and the
// backends, verified by the names their callers dial, refuse a client
// without a certificate.
//
//   node deploy/tests/manifest_smoke.test.mjs local|production
// Environment: SUMMIT_BINARIES ("summit-registry=PATH;…", every binary a
// command names, and summitctl), SUMMIT_GRPC_PROBE (the summit_grpc_probe
// binary); for an overlay on PostgreSQL, SUMMIT_TEST_POSTGRES_URL_FILE (the
// `postgres` CTest fixture's server, on which each service gets a fresh
// database). Exits 77 (skipped) without kubectl.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

import {
  deploymentsBehind, exampleCertificates, find, kubectlOrSkip, render, summitFlags,
} from './manifests.mjs';
import { LocalCluster, LocalPod } from './local_pods.mjs';
import { probeOnce, probeUntilPassing } from './probes.mjs';
import { ThrowawayCa } from './throwaway_ca.mjs';

const overlay = process.argv[2];
const kubectl = kubectlOrSkip();
const objects = render(kubectl, overlay);
const binaries = Object.fromEntries((process.env.SUMMIT_BINARIES ?? '').split(';').filter(Boolean)
                                        .map((entry) => entry.split('=')));
const probeBinary = process.env.SUMMIT_GRPC_PROBE;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `summit-smoke-${overlay}-`));
// How long a server may take to serve: its startup probe's budget, at most.
const kStartMs = 120_000;

// The Secrets an operator creates: the token key, one PostgreSQL database
// per service (fresh, on the test server), and each server's certificate, key
// and CA (summit-<name>-tls), as the cert-manager example describes them.
const authKey = crypto.randomBytes(32).toString('hex');
const databases = new Map();
const certificates = exampleCertificates();
const issued = new Map();  // Secret name → {certFile, keyFile}
let ca;  // made when a Secret first needs it
function secretValue(name, key) {
  if (name === 'summit-auth-key' && key === 'auth.key') return authKey;
  if (name === 'summit-database') {
    if (!databases.has(key)) databases.set(key, freshPostgresDatabase(key));
    return databases.get(key);
  }
  const certificate = certificates.get(name);
  if (certificate && !certificate.spec.isCA && ['tls.crt', 'tls.key', 'ca.crt'].includes(key)) {
    ca ??= new ThrowawayCa(path.join(workDir, 'ca'));
    if (!issued.has(name)) issued.set(name, ca.issue(name, certificate.spec));
    const {certFile, keyFile} = issued.get(name);
    return fs.readFileSync({'tls.crt': certFile, 'tls.key': keyFile, 'ca.crt': ca.caFile}[key], 'utf8');
  }
  throw new Error(`the manifests read Secret ${name}, key ${key}, which the README does not ` +
                  'tell operators to create');
}

function freshPostgresDatabase(service) {
  const file = process.env.SUMMIT_TEST_POSTGRES_URL_FILE;
  assert.ok(file, 'this overlay runs on PostgreSQL: run it with the postgres CTest fixture ' +
                  '(SUMMIT_TEST_POSTGRES_URL_FILE)');
  const server = fs.readFileSync(file, 'utf8').trim();
  const database = `smoke_${process.pid}_${service.replace(/\W/g, '_')}`;
  execFileSync('psql', [server, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${database}`]);
  return server.replace(/\/[^/]*$/, `/${database}`);
}

const cluster = new LocalCluster({objects, binaries, secretValue, workDir});
await cluster.start();
const pods = [];
// The later tests need every server up; when one did not start, that is the
// failure to read, and they are skipped.
let started = false;
after(() => {
  for (const pod of pods) pod.kill();
  cluster.stop();
  fs.rmSync(workDir, {recursive: true, force: true});
});

// GET `url` over HTTP, or HTTPS trusting `caFile` and, when given, expecting
// the certificate to name `serverName` rather than the host dialled:
// {status, headers, body}.
function get(url, caFile, serverName) {
  const client = url.startsWith('https:') ? https : http;
  const options = {timeout: 30_000, ...(caFile && {ca: fs.readFileSync(caFile)}),
                   ...(serverName && {servername: serverName})};
  return new Promise((resolve, reject) => {
    const request = client.get(url, options, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({status: response.statusCode, headers: response.headers, body}));
    });
    request.on('timeout', () => request.destroy(new Error(`${url}: timed out`)));
    request.on('error', reject);
  });
}

// The settings of the gateway's container (its first replica's).
function gatewayFlags() {
  const [{container, environment}] = cluster.pods.get('summit-gateway')[0].containers;
  return summitFlags(environment, container.args);
}

// The probes of a pod's containers, by kind.
function* probesOf(pod) {
  for (const {container} of pod.containers) {
    for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      if (container[kind]) yield {container: container.name, kind, probe: container[kind]};
    }
  }
}

test(`${overlay}: every server starts as its manifest says`, async () => {
  assert.ok(probeBinary, 'SUMMIT_GRPC_PROBE names summit_grpc_probe');
  // Peers first: a server's dns:/// peers resolve to the replicas started.
  const waiting = cluster.deployments();
  while (waiting.length) {
    const ready = waiting.filter((deployment) =>
        [...cluster.peersOf(deployment)].every((peer) => cluster.pods.has(peer)));
    assert.ok(ready.length, `the peers of ${waiting.map((d) => d.metadata.name)} form a cycle`);
    for (const deployment of ready) {
      waiting.splice(waiting.indexOf(deployment), 1);
      // Replicas together, as a rollout starts them (migrations race).
      const replicas = Array.from({length: cluster.replicasOf(deployment)},
                                  (_, i) => new LocalPod(cluster, deployment, i));
      pods.push(...replicas);
      await Promise.all(replicas.map((pod) => pod.start(kStartMs)));
      cluster.pods.set(deployment.metadata.name, replicas);
    }
  }
  started = true;
  if (overlay === 'production') {
    assert.ok(pods.length >= 8, `${pods.length} replicas: two or more of each server`);
  }
});

test(`${overlay}: every probe the manifests declare passes`, async (t) => {
  if (!started) return t.skip('not every server started');
  for (const pod of pods) {
    const addressOf = (port) => pod.addressOf(port);
    for (const {container, kind, probe} of probesOf(pod)) {
      const failure = kind === 'startupProbe'
          ? await probeUntilPassing(probe, addressOf, probeBinary)
          : await probeOnce(probe, addressOf, probeBinary);
      assert.equal(failure, null, `${pod.name}/${container} ${kind}: ${JSON.stringify(probe)}`);
    }
  }
});

test(`${overlay}: the gateway answers HTTP and reaches every service`, async (t) => {
  if (!started) return t.skip('not every server started');
  // Over TLS and HTTPS when the manifests give it a certificate, trusting
  // the CA of the Secrets (and the certificate naming 127.0.0.1).
  const tls = Boolean(gatewayFlags().tls_cert_file);
  if (overlay === 'production') assert.ok(tls, 'production serves TLS');
  const caFile = tls ? ca.caFile : undefined;
  const service = find(objects, 'Service', 'summit-gateway');
  assert.notEqual(service.spec.clusterIP, 'None', 'clients reach the gateway by a virtual IP');
  const gateway = (portName) => {
    const {port} = service.spec.ports.find((p) => p.name === portName);
    const {deployment, port: containerPort} = cluster.resolvePeer(
        `dns:///summit-gateway.${service.metadata.namespace}.svc.cluster.local:${port}`);
    return cluster.pods.get(deployment)[0].addressOf(containerPort);
  };
  const base = `${tls ? 'https' : 'http'}://${gateway('http')}`;
  const openapi = await get(`${base}/openapi.json`, caFile);
  assert.equal(openapi.status, 200);
  assert.match(JSON.parse(openapi.body).openapi, /^3\./);

  // The demo through the gateway's gRPC port alone: registry, scheduling
  // (which asks registry) and statements (which asks both), each through
  // the addresses the manifests gave the gateway and the services.
  const grpc = gateway('grpc');
  const keyFile = path.join(workDir, 'demo-auth.key');
  fs.writeFileSync(keyFile, authKey);
  // Not execFileSync: the servers' logs must keep being read meanwhile.
  await promisify(execFile)(binaries.summitctl, [
    'demo', 'load', '--role=organizer', '--subject=people/duty-officer', `--auth_key_file=${keyFile}`,
    `--registry_address=${grpc}`, `--scheduling_address=${grpc}`, `--statements_address=${grpc}`,
    ...(tls ? [`--tls_ca_file=${caFile}`] : []),
  ], {timeout: 300_000, maxBuffer: 64 << 20});

  // And over HTTP/JSON: a transcoded read of what was loaded, with the time
  // zone the event keeps (the image has the time zone database).
  const event = await get(`${base}/v1/events/udib-2023`, caFile);
  assert.equal(event.status, 200, event.body);
  assert.equal(JSON.parse(event.body).timeZone, 'America/New_York');
  const statements = await get(`${base}/v1/events/udib-2023/statements`, caFile);
  assert.equal(statements.status, 200);
  assert.ok(JSON.parse(statements.body).statements.length > 0);
  // An aggregated view: over HTTP, the gateway calls its own gRPC port.
  const overview = await get(`${base}/v1/events/udib-2023:overview`, caFile);
  assert.equal(overview.status, 200, overview.body);
  assert.equal(JSON.parse(overview.body).event.timeZone, 'America/New_York', overview.body);
});

test(`${overlay}: every server's metrics answer where and how its annotations say`, async (t) => {
  if (!started) return t.skip('not every server started');
  for (const pod of pods) {
    const annotations = pod.deployment.spec.template.metadata.annotations ?? {};
    assert.equal(annotations['prometheus.io/scrape'], 'true', `${pod.name}: scraped`);
    const scheme = annotations['prometheus.io/scheme'] ?? 'http';
    if (overlay === 'production') assert.equal(scheme, 'https', `${pod.name}: metrics over TLS`);
    const address = pod.addressOf(Number(annotations['prometheus.io/port']));
    const url = `${scheme}://${address}${annotations['prometheus.io/path'] ?? '/metrics'}`;
    // No certificate names a pod's address: Prometheus checks the name of
    // the server's Service instead (tls_config.server_name), trusting the CA.
    const [service] = objects.filter((o) => o.kind === 'Service' &&
                                            deploymentsBehind(objects, o).includes(pod.deployment));
    const serverName = `${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
    const scrape = scheme === 'https' ? await get(url, ca.caFile, serverName) : await get(url);
    assert.equal(scrape.status, 200, `${pod.name}: ${url}`);
    assert.match(scrape.headers['content-type'], /^text\/plain; version=0\.0\.4/, `${pod.name}: ${url}`);
    if (scheme === 'https') {
      await assert.rejects(get(`http://${address}/metrics`),
                           `${pod.name}: plain HTTP to its HTTPS admin port`);
    }
  }
});

test(`${overlay}: with TLS, only the health port speaks plaintext, and backends want a ` +
     'client certificate', async (t) => {
  if (!started) return t.skip('not every server started');
  const flags = gatewayFlags();
  if (!flags.tls_cert_file) return t.skip(`${overlay} is plaintext`);
  // The kubelet's plaintext gRPC probe, on every server's gRPC port rather
  // than its health port (where the probes passed above): refused.
  for (const pod of pods) {
    const failure = await probeOnce({grpc: {port: 'grpc'}, timeoutSeconds: 10},
                                    (port) => pod.addressOf(port), probeBinary);
    assert.match(failure ?? 'answered', /code = 14 /, `${pod.name}: plaintext to its gRPC port`);
  }
  const gateway = cluster.pods.get('summit-gateway')[0];
  await assert.rejects(get(`http://${gateway.addressOf('http')}/openapi.json`),
                       'plain HTTP to the gateway\'s HTTPS port');

  // Each backend by the name the gateway dials (so its certificate must name
  // it), trusting the CA: refused without a client certificate; with one the
  // CA signed, the call reaches the service (NOT_FOUND: summitctl exits 7).
  const client = ca.issue('operator', {commonName: 'operator', usages: ['client auth']});
  const calls = {
    registry: ['summit.registry.v1.RegistryService/GetPerson', {name: 'people/nobody'}],
    scheduling: ['summit.scheduling.v1.SchedulingService/GetRoom',
                 {name: 'events/udib-2023/rooms/nowhere'}],
    statements: ['summit.statements.v1.StatementsService/GetStatement',
                 {name: 'events/udib-2023/statements/nothing'}],
  };
  for (const [service, [method, request]] of Object.entries(calls)) {
    const address = cluster.peerAddress(flags[`${service}_address`]);
    const summitctl = (...tlsFlags) => promisify(execFile)(binaries.summitctl, [
      `--${service}_address=${address}`, '--timeout=20s', `--tls_ca_file=${ca.caFile}`,
      ...tlsFlags, 'call', method, JSON.stringify(request),
    ]).then(() => 0, (error) => error.code);
    assert.equal(await summitctl(), 16, `${service} without a client certificate: UNAVAILABLE`);
    assert.equal(await summitctl(`--tls_cert_file=${client.certFile}`,
                                 `--tls_key_file=${client.keyFile}`),
                 7, `${service} with one: NOT_FOUND`);
  }
});

test(`${overlay}: SIGTERM drains every server to exit 0 within its grace period`, async (t) => {
  if (!started) return t.skip('not every server started');
  for (const pod of pods) pod.terminate();
  // Draining, a server still runs but fails its readiness probe, so that
  // it leaves its Service's endpoints before it refuses calls.
  for (const pod of pods) {
    for (const {container, kind, probe} of probesOf(pod)) {
      if (kind !== 'readinessProbe') continue;
      let failure = null;
      while (failure === null && pod.running()) {
        failure = await probeOnce(probe, (port) => pod.addressOf(port), probeBinary);
      }
      assert.ok(pod.running(), `${pod.name}/${container} stopped without failing readiness first`);
      assert.match(failure, probe.grpc ? /NOT_SERVING/ : /./, `${pod.name}/${container}`);
    }
  }
  for (const pod of pods) {
    const {codes, seconds} = await pod.exits();
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    assert.deepEqual(codes, codes.map(() => 0), `${pod.name} exit codes; log:\n${pod.stderrOf()}`);
    assert.ok(seconds < grace, `${pod.name} took ${seconds} s, grace period ${grace} s`);
  }
});
