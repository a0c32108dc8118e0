// What deploy/tests' checks share: the Kubernetes manifests as the cluster
// would get them (each overlay rendered by `kubectl kustomize`, parsed into
// plain objects), and the npm packages scripts/install-deps.sh puts in
// .tools/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { selects } from './network_policy.mjs';

export const sourceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const overlaysDir = path.join(sourceDir, 'deploy/kubernetes/overlays');
export const toolsDir = path.join(sourceDir, '.tools/node_modules');

// CTest's code for "skipped" (SKIP_RETURN_CODE in deploy/CMakeLists.txt).
const kSkipped = 77;

// kubectl is not a Debian package, so a machine may lack it: then these
// checks cannot run, which is a skip, not a failure. Call before any test.
export function kubectlOrSkip() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', 'kubectl');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {}
  }
  console.log('SKIPPED: kubectl is not on PATH (it is not a Debian package: install it from ' +
              'the Kubernetes project to render and check the manifests)');
  process.exit(kSkipped);
}

// An npm package from .tools/, with a clear message when it is not there.
export function requireTool(name) {
  if (!fs.existsSync(path.join(toolsDir, name, 'package.json'))) {
    throw new Error(`${name} is not in ${toolsDir}: run scripts/install-deps.sh`);
  }
  return createRequire(path.join(toolsDir, 'index.js'))(name);
}

// The overlays under deploy/kubernetes/overlays.
export function overlayNames() {
  return fs.readdirSync(overlaysDir).filter(
      (name) => fs.existsSync(path.join(overlaysDir, name, 'kustomization.yaml'))).sort();
}

// Every object an overlay renders to, in kustomize's order.
export function render(kubectl, overlay) {
  const yamlText = execFileSync(kubectl, ['kustomize', path.join(overlaysDir, overlay)],
                                {encoding: 'utf8', maxBuffer: 64 << 20});
  return parseManifests(yamlText);
}

// Parses a stream of YAML documents, failing on any syntax error.
export function parseManifests(yamlText) {
  const {parseAllDocuments} = requireTool('yaml');
  return parseAllDocuments(yamlText).map((document) => {
    if (document.errors.length) throw new Error(document.errors.map(String).join('\n'));
    return document.toJS();
  }).filter((object) => object != null);
}

// The cert-manager Certificates of the tls component's example
// (components/tls/cert-manager-certificates.yaml), by the Secret each fills;
// the CA's own among them.
export function exampleCertificates() {
  const file = path.join(sourceDir, 'deploy/kubernetes/components/tls/cert-manager-certificates.yaml');
  return new Map(parseManifests(fs.readFileSync(file, 'utf8'))
                     .filter((o) => o.kind === 'Certificate')
                     .map((certificate) => [certificate.spec.secretName, certificate]));
}

// The object of `kind` named `name`, or undefined.
export function find(objects, kind, name) {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

// The Deployments whose pods a Service selects.
export function deploymentsBehind(objects, service) {
  return objects.filter(
      (o) => o.kind === 'Deployment' && o.metadata.namespace === service.metadata.namespace &&
             selects({matchLabels: service.spec.selector}, o.spec.template.metadata.labels));
}

// A Go duration as the binaries' flags take it ("5s", "1m30s", "250ms"), in
// seconds.
export function durationSeconds(text) {
  const units = {h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9};
  let seconds = 0;
  const rest = text.replace(/(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/g, (_, n, unit) => {
    seconds += Number(n) * units[unit];
    return '';
  });
  if (rest !== '' || text === '') throw new Error(`not a duration: "${text}"`);
  return seconds;
}

// A container's environment as the kubelet builds it: the envFrom sources in
// order, then the env entries, which win. `secretValue(name, key)` gives a
// Secret's value: the manifests only refer to Secrets, an operator creates
// them. Throws on a reference to a ConfigMap the overlay does not render.
export function containerEnvironment(objects, container, secretValue) {
  const configMapValue = (name, key, optional) => {
    const configMap = find(objects, 'ConfigMap', name);
    if (!configMap) {
      if (optional) return undefined;
      throw new Error(`container ${container.name} reads ConfigMap ${name}, which is not rendered`);
    }
    return key === undefined ? configMap.data ?? {} : configMap.data?.[key];
  };
  const environment = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`unsupported envFrom: ${JSON.stringify(source)}`);
    const {name, optional} = source.configMapRef;
    for (const [key, value] of Object.entries(configMapValue(name, undefined, optional) ?? {})) {
      environment[(source.prefix ?? '') + key] = value;
    }
  }
  for (const entry of container.env ?? []) {
    const from = entry.valueFrom;
    if (from === undefined) {
      environment[entry.name] = entry.value ?? '';
    } else if (from.configMapKeyRef) {
      const {name, key, optional} = from.configMapKeyRef;
      environment[entry.name] = configMapValue(name, key, optional);
    } else if (from.secretKeyRef) {
      environment[entry.name] = secretValue(from.secretKeyRef.name, from.secretKeyRef.key);
    } else {
      throw new Error(`unsupported env source: ${JSON.stringify(entry)}`);
    }
  }
  return environment;
}

// A Summit binary's flag settings from its environment and arguments: a
// flag on the command line wins over SUMMIT_<FLAG> (common/config/flags.h).
export function summitFlags(environment, args = []) {
  const flags = {};
  for (const [name, value] of Object.entries(environment)) {
    if (name.startsWith('SUMMIT_')) flags[name.slice('SUMMIT_'.length).toLowerCase()] = value;
  }
  for (const arg of args) {
    const flag = /^--([a-z_]+)=(.*)$/s.exec(arg);
    if (flag) flags[flag[1]] = flag[2];
  }
  return flags;
}
