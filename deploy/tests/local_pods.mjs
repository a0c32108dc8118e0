// A Deployment's pods as local processes on loopback, from the rendered
// manifests, so that a test runs what a cluster would: each container's
// command (the binary of that name from the build) with its args and its
// environment (ConfigMaps, Secrets), and
// - its volumes as folders (emptyDir, PersistentVolumeClaim: one per claim,
//   Secret), the mount paths in its settings rewritten to them; a setting
//   naming any other absolute path fails, since the root filesystem is
//   read-only;
// - its listen addresses (HOST:PORT on a declared containerPort) moved to
//   loopback, the ports bound read from its log. A pod behind a headless
//   Service gets an address of its own, 127.77.0.N, as a cluster gives each
//   pod an IP, and its Deployment's pods share port numbers (picked by the
//   kernel and held meanwhile on 127.77.0.1, so nothing else takes them), as
//   pods share their containerPorts. Any other pod (the gateway's, behind a
//   virtual IP, which its clients reach at 127.0.0.1) listens on 127.0.0.1
//   on ports of its own;
// - its peers (dns:///NAME.NAMESPACE.svc.cluster.local:PORT) dialled by that
//   very name through the cluster's DNS (cluster_dns.mjs), which lists every
//   started pod behind the headless Service: round_robin over the replicas,
//   and TLS verifying the name the manifests give, as in a cluster.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { ClusterDns } from './cluster_dns.mjs';
import { containerEnvironment, deploymentsBehind, find } from './manifests.mjs';

// Which log line and field tell the port a listen flag bound
// (common/server/summit_server.cc, gateway/main.cc).
const kListenFlags = {
  listen: {message: 'serving', field: 'port'},
  admin_listen: {message: 'serving', field: 'admin_port'},
  http_listen: {message: 'http serving', field: 'http_port'},
  health_listen: {message: 'serving', field: 'health_port'},
};
const kPeer = /^dns:\/\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)$/;
const kServiceName = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/;
// Where pods behind a headless Service listen: 127.77.0.1 holds the ports
// they share, 127.77.0.2 and up are the pods.
const kPodNetwork = '127.77.0.';
// Sanitizer settings of the test's own run reach the servers; they are not
// configuration a container would have.
const kPassedThrough = ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS'];

// The flags a Summit binary has, from its --helpfull.
const flagsCache = new Map();
function flagsOf(binary) {
  if (!flagsCache.has(binary)) {
    let help = '';
    try {
      help = execFileSync(binary, ['--helpfull'], {encoding: 'utf8', stdio: 'pipe'});
    } catch (error) {
      help = `${error.stdout}`;  // --helpfull exits 1 after printing
    }
    flagsCache.set(binary, new Set([...help.matchAll(/^\s+--([a-z0-9_]+) /gm)].map((m) => m[1])));
  }
  return flagsCache.get(binary);
}

// The local processes of a rendered overlay. `binaries` maps a command's
// file name to a built binary; `secretValue(name, key)` plays the Secrets an
// operator creates; `workDir` holds the volumes. start() before any pod,
// stop() at the end.
export class LocalCluster {
  constructor({objects, binaries, secretValue, workDir}) {
    Object.assign(this, {objects, binaries, secretValue, workDir});
    this.pods = new Map();  // Deployment name → [LocalPod]
    this.sharedPorts = new Map();  // Deployment name → Promise of Map containerPort → port
    this.portHolders = [];
    this.podAddresses = 0;
  }

  // Starts the cluster's DNS.
  async start() {
    this.dns = await ClusterDns.start((name) => this.#addressesOf(name));
  }

  // Stops the DNS and lets the held ports go (the pods are the caller's).
  stop() {
    this.dns?.close();
    for (const holder of this.portHolders) holder.close();
  }

  deployments() { return this.objects.filter((o) => o.kind === 'Deployment'); }

  // Whether a headless Service selects the Deployment's pods.
  behindHeadlessService(deployment) {
    return this.objects.some((o) => o.kind === 'Service' && o.spec.clusterIP === 'None' &&
                                    deploymentsBehind(this.objects, o).includes(deployment));
  }

  // A new pod's address: one of its own behind a headless Service.
  podAddress(deployment) {
    if (!this.behindHeadlessService(deployment)) return '127.0.0.1';
    const address = `${kPodNetwork}${2 + this.podAddresses++}`;
    if (this.podAddresses > 250) throw new Error('more pods than addresses in 127.77.0.0/24');
    return address;
  }

  // The port numbers a Deployment's pods behind a headless Service share, by
  // containerPort; null for other pods (they bind port 0).
  sharedPortsOf(deployment) {
    if (!this.behindHeadlessService(deployment)) return Promise.resolve(null);
    const name = deployment.metadata.name;
    if (!this.sharedPorts.has(name)) {
      const containerPorts = deployment.spec.template.spec.containers.flatMap(
          (c) => (c.ports ?? []).map((p) => p.containerPort));
      this.sharedPorts.set(name, Promise.all(containerPorts.map((containerPort) =>
          new Promise((resolve, reject) => {
            const holder = net.createServer();
            this.portHolders.push(holder);
            holder.on('error', reject);
            holder.listen(0, `${kPodNetwork}1`, () => resolve([containerPort, holder.address().port]));
          }))).then((entries) => new Map(entries)));
    }
    return this.sharedPorts.get(name);
  }

  // What the DNS answers for `name`: the started pods behind a headless
  // Service of that name, or undefined when there is none.
  #addressesOf(name) {
    const [, serviceName, namespace] = kServiceName.exec(name) ?? [];
    const service = serviceName && find(this.objects, 'Service', serviceName);
    if (!service || service.metadata.namespace !== namespace || service.spec.clusterIP !== 'None') {
      return undefined;
    }
    return deploymentsBehind(this.objects, service).flatMap(
        (d) => (this.pods.get(d.metadata.name) ?? []).map((pod) => pod.host));
  }

  // How many replicas a Deployment runs with: its own count or, where an
  // autoscaler owns it, the autoscaler's minimum.
  replicasOf(deployment) {
    const autoscaler = this.objects.find(
        (o) => o.kind === 'HorizontalPodAutoscaler' &&
               o.spec.scaleTargetRef.kind === 'Deployment' &&
               o.spec.scaleTargetRef.name === deployment.metadata.name);
    return Math.max(deployment.spec.replicas ?? 1, autoscaler?.spec.minReplicas ?? 1);
  }

  // The Deployment and container port behind a dns:/// peer address.
  resolvePeer(address) {
    const [, serviceName, namespace, port] = kPeer.exec(address);
    const service = find(this.objects, 'Service', serviceName);
    if (!service || service.metadata.namespace !== namespace) {
      throw new Error(`${address}: no Service ${serviceName} in namespace ${namespace}`);
    }
    const servicePort = service.spec.ports.find((p) => p.port === Number(port));
    if (!servicePort) throw new Error(`${address}: Service ${serviceName} has no port ${port}`);
    const [deployment] = deploymentsBehind(this.objects, service);
    if (!deployment) throw new Error(`${address}: no Deployment behind Service ${serviceName}`);
    const target = servicePort.targetPort ?? servicePort.port;
    const containerPort = deployment.spec.template.spec.containers.flatMap((c) => c.ports ?? [])
        .find((p) => p.name === target || p.containerPort === target);
    if (!containerPort) throw new Error(`${address}: no container port ${target} behind it`);
    return {deployment: deployment.metadata.name, port: containerPort.containerPort};
  }

  // The Deployments a Deployment's containers call (to start them first).
  peersOf(deployment) {
    const peers = new Set();
    for (const container of deployment.spec.template.spec.containers) {
      const environment = containerEnvironment(this.objects, container, this.secretValue);
      for (const value of [...Object.values(environment), ...(container.args ?? [])]) {
        const address = value.replace(/^--[a-z0-9_]+=/, '');
        if (kPeer.test(address)) peers.add(this.resolvePeer(address).deployment);
      }
    }
    return peers;
  }

  // A peer address as a local process dials it: the same name, asked of the
  // cluster's DNS, on the port the pods behind it share.
  peerAddress(address) {
    const {deployment, port} = this.resolvePeer(address);
    const pods = this.pods.get(deployment);
    if (!pods) throw new Error(`${address}: ${deployment} is not started`);
    const [, serviceName, namespace] = kPeer.exec(address);
    if (find(this.objects, 'Service', serviceName).spec.clusterIP !== 'None') {
      throw new Error(`${address}: pods call peers through headless Services only`);
    }
    const sharedPort = pods[0].portOf(port);
    return `dns://127.0.0.1:${this.dns.port}/${serviceName}.${namespace}.svc.cluster.local:${sharedPort}`;
  }
}

// One replica of a Deployment's pod (its one or more containers).
export class LocalPod {
  constructor(cluster, deployment, replica) {
    this.cluster = cluster;
    this.deployment = deployment;
    this.name = `${deployment.metadata.name}-${replica}`;
    this.host = cluster.podAddress(deployment);
    this.spec = deployment.spec.template.spec;
    this.mounts = this.#makeVolumes();
    this.containers = this.spec.containers.map((container) => ({
      container,
      environment: containerEnvironment(cluster.objects, container, cluster.secretValue),
      ports: new Map(),  // declared containerPort → bound port
      listenFlags: new Map(),  // flag → declared containerPort
      stderr: [],
    }));
  }

  // The local port of a declared container port (a number or a port name).
  portOf(port) {
    for (const {container, ports} of this.containers) {
      const declared = typeof port === 'number'
          ? port : (container.ports ?? []).find((p) => p.name === port)?.containerPort;
      if (ports.has(declared)) return ports.get(declared);
    }
    throw new Error(`${this.name}: no local port for container port ${port}`);
  }

  // HOST:PORT of a declared container port on this pod.
  addressOf(port) { return `${this.host}:${this.portOf(port)}`; }

  #makeVolumes() {
    const mounts = new Map();  // volume name → folder
    for (const volume of this.spec.volumes ?? []) {
      let dir;
      if (volume.emptyDir) {
        dir = path.join(this.cluster.workDir, this.name, volume.name);
      } else if (volume.persistentVolumeClaim) {
        const claim = volume.persistentVolumeClaim.claimName;
        if (!find(this.cluster.objects, 'PersistentVolumeClaim', claim)) {
          throw new Error(`${this.name}: volume ${volume.name} claims ${claim}, which is not rendered`);
        }
        dir = path.join(this.cluster.workDir, 'claims', claim);
      } else if (volume.secret) {
        dir = path.join(this.cluster.workDir, this.name, volume.name);
        fs.mkdirSync(dir, {recursive: true});
        for (const {key, path: file} of volume.secret.items ?? []) {
          fs.writeFileSync(path.join(dir, file),
                           this.cluster.secretValue(volume.secret.secretName, key));
        }
      } else {
        throw new Error(`${this.name}: unsupported volume ${JSON.stringify(volume)}`);
      }
      fs.mkdirSync(dir, {recursive: true});
      mounts.set(volume.name, dir);
    }
    return mounts;
  }

  // A setting as the local process gets it: mount paths to their folders,
  // listen addresses to the pod's, peers to the cluster's DNS.
  #localValue(entry, flag, value) {
    const {container, listenFlags} = entry;
    if (kListenFlags[flag]) {
      const port = Number(/^(?:0\.0\.0\.0|\[::\]|):(\d+)$/.exec(value)?.[1]);
      if (!(container.ports ?? []).some((p) => p.containerPort === port)) {
        throw new Error(`${this.name}: --${flag}=${value} is not on any declared containerPort`);
      }
      listenFlags.set(flag, port);
      return `${this.host}:${this.sharedPorts?.get(port) ?? 0}`;
    }
    if (kPeer.test(value)) return this.cluster.peerAddress(value);
    // A path, or a sqlite:// URL of one: it must be on a volume.
    const [, scheme, file] = /^(sqlite:\/\/)?(\/.*)?$/s.exec(value) ?? [];
    if (file === undefined) return value;
    for (const mount of container.volumeMounts ?? []) {
      if (mount.subPath) throw new Error(`${this.name}: subPath mounts are not supported here`);
      if (file === mount.mountPath || file.startsWith(`${mount.mountPath}/`)) {
        if (scheme && mount.readOnly) {
          throw new Error(`${this.name}: the database ${value} is on a read-only mount`);
        }
        return (scheme ?? '') + this.mounts.get(mount.name) + file.slice(mount.mountPath.length);
      }
    }
    throw new Error(`${this.name}: ${flag ?? 'a setting'}=${value} is on the read-only root ` +
                    'filesystem, not on a volume');
  }

  // Starts every container and waits until each has logged the ports it
  // bound (at most `timeoutMs`).
  async start(timeoutMs) {
    this.sharedPorts = await this.cluster.sharedPortsOf(this.deployment);
    await Promise.all(this.containers.map((entry) => this.#startContainer(entry, timeoutMs)));
  }

  async #startContainer(entry, timeoutMs) {
    const {container, environment} = entry;
    const argv = [...(container.command ?? []), ...(container.args ?? [])];
    if (argv.length === 0) throw new Error(`${this.name}: the manifest names no command`);
    const binary = this.cluster.binaries[path.basename(argv[0])];
    if (!binary) throw new Error(`${this.name}: no built binary for ${argv[0]}`);
    const flags = flagsOf(binary);
    const env = {};
    for (const [name, value] of Object.entries(environment)) {
      const flag = name.startsWith('SUMMIT_') ? name.slice(7).toLowerCase() : undefined;
      if (flag !== undefined && !flags.has(flag)) {
        throw new Error(`${this.name}: ${name} names no flag of ${argv[0]}`);
      }
      env[name] = this.#localValue(entry, flag, value);
    }
    const args = argv.slice(1).map((arg) => {
      const flag = /^--([a-z0-9_]+)=(.*)$/s.exec(arg);
      if (!flag) return arg;
      if (!flags.has(flag[1])) throw new Error(`${this.name}: ${argv[0]} has no flag --${flag[1]}`);
      return `--${flag[1]}=${this.#localValue(entry, flag[1], flag[2])}`;
    });
    for (const {containerPort} of container.ports ?? []) {
      if (![...entry.listenFlags.values()].includes(containerPort)) {
        throw new Error(`${this.name}: container port ${containerPort} is declared, ` +
                        'but no --*listen setting serves it');
      }
    }
    for (const name of kPassedThrough) {
      if (process.env[name] !== undefined) env[name] = process.env[name];
    }
    const cwd = path.join(this.cluster.workDir, this.name, 'cwd');
    fs.mkdirSync(cwd, {recursive: true});
    entry.process = spawn(binary, args, {env, cwd, stdio: ['ignore', 'ignore', 'pipe']});
    entry.exited = new Promise((resolve) => entry.process.on(
        'exit', (code, signal) => resolve(code ?? 128 + os.constants.signals[signal])));
    await this.#waitForPorts(entry, timeoutMs);
  }

  #waitForPorts(entry, timeoutMs) {
    const wanted = new Map(entry.listenFlags);  // flag → declared port
    return new Promise((resolve, reject) => {
      let timer;
      const fail = (why) => {
        clearTimeout(timer);
        reject(new Error(`${this.name}: ${why}; its log:\n${entry.stderr.slice(-30).join('\n')}`));
      };
      timer = setTimeout(() => fail(`not serving after ${timeoutMs} ms`), timeoutMs);
      entry.exited.then((code) => fail(`exited with ${code} before serving`));
      readline.createInterface({input: entry.process.stderr}).on('line', (line) => {
        entry.stderr.push(line);
        let record;
        try { record = JSON.parse(line); } catch { return; }
        for (const [flag, port] of wanted) {
          const {message, field} = kListenFlags[flag];
          if (record.message === message && Number(record[field]) > 0) {
            entry.ports.set(port, Number(record[field]));
            wanted.delete(flag);
          }
        }
        if (wanted.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  // Sends SIGTERM to every container, as the kubelet does to stop a pod.
  terminate() {
    this.terminatedAt = Date.now();
    for (const {process} of this.containers) process.kill('SIGTERM');
  }

  // Whether every container still runs.
  running() { return this.containers.every(({process}) => process.exitCode === null &&
                                                          process.signalCode === null); }

  // After terminate(): the containers' exit codes, and how long since
  // SIGTERM the slowest took, in seconds.
  async exits() {
    const codes = await Promise.all(this.containers.map((entry) => entry.exited));
    return {codes, seconds: (Date.now() - this.terminatedAt) / 1000};
  }

  // Kills whatever still runs.
  kill() {
    for (const {process} of this.containers) {
      if (process && process.exitCode === null && process.signalCode === null) process.kill('SIGKILL');
    }
  }

  stderrOf() { return this.containers.map((c) => c.stderr.join('\n')).join('\n'); }
}
