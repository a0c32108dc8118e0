// Whether a set of NetworkPolicies lets one endpoint open a connection to
// another, by the Kubernetes rules: a pod that no policy of a direction
// (Ingress, Egress) selects is open that way; one that some select is open
// only to what at least one of them allows. Enough of the API for Summit's
// policies: pod and namespace selectors (namespaces known by their
// kubernetes.io/metadata.name label), IPv4 ipBlocks, numbered and named ports.
//
// An endpoint is a pod {namespace, labels, ports: [{name, containerPort,
// protocol}]} or an address outside the cluster {ip}.

// Whether `labels` satisfy a LabelSelector ({} selects everything).
export function selects(selector, labels = {}) {
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const {key, operator, values = []} of selector?.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const ok = {
      In: has && values.includes(labels[key]),
      NotIn: !has || !values.includes(labels[key]),
      Exists: has,
      DoesNotExist: !has,
    }[operator];
    if (!ok) return false;
  }
  return true;
}

function ipv4(text) {
  return text.split('.').reduce((number, part) => number * 256 + Number(part), 0);
}

function inCidr(ip, cidr) {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

// Whether a policy's peer (one entry of `from` or `to`) is `endpoint`.
function peerIs(peer, endpoint, policyNamespace) {
  if (peer.ipBlock) {
    return endpoint.ip !== undefined && inCidr(endpoint.ip, peer.ipBlock.cidr) &&
           !(peer.ipBlock.except ?? []).some((cidr) => inCidr(endpoint.ip, cidr));
  }
  if (endpoint.ip !== undefined) return false;
  const namespaceOk = peer.namespaceSelector
      ? selects(peer.namespaceSelector, {'kubernetes.io/metadata.name': endpoint.namespace})
      : endpoint.namespace === policyNamespace;
  return namespaceOk && (!peer.podSelector || selects(peer.podSelector, endpoint.labels));
}

// Whether a rule's ports admit `port`/`protocol` on `destination` (named
// ports are the destination pod's).
function portAllowed(ports, destination, port, protocol) {
  if (!ports || ports.length === 0) return true;
  return ports.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    if (typeof entry.port === 'number') {
      return entry.endPort ? port >= entry.port && port <= entry.endPort : port === entry.port;
    }
    return (destination.ports ?? []).some(
        (p) => p.name === entry.port && p.containerPort === port && (p.protocol ?? 'TCP') === protocol);
  });
}

// Whether the policies of `direction` on `endpoint` (if it is a pod they
// select) let the connection through; `other` is the far end.
function sideAllows(policies, direction, endpoint, other, destination, port, protocol) {
  if (endpoint.ip !== undefined) return true;  // not a pod: not governed here
  const governing = policies.filter(
      (policy) => policy.metadata.namespace === endpoint.namespace &&
                  (policy.spec.policyTypes ?? ['Ingress']).includes(direction) &&
                  selects(policy.spec.podSelector, endpoint.labels));
  if (governing.length === 0) return true;
  const rulesKey = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  return governing.some((policy) => (policy.spec[rulesKey] ?? []).some((rule) => {
    const peers = rule[peersKey];
    const peerOk = !peers || peers.length === 0 ||
                   peers.some((peer) => peerIs(peer, other, policy.metadata.namespace));
    return peerOk && portAllowed(rule.ports, destination, port, protocol);
  }));
}

// Whether `from` may connect to `to` on `port` (a number) over `protocol`.
export function allows(policies, from, to, port, protocol = 'TCP') {
  return sideAllows(policies, 'Egress', from, to, to, port, protocol) &&
         sideAllows(policies, 'Ingress', to, from, to, port, protocol);
}
