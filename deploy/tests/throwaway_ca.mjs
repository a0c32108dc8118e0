// A throwaway certificate authority for the deploy tests, made with the
// openssl command as tests/tls_integration_test.cc makes one: a self-signed
// CA, and certificates it signs as a cert-manager Certificate's spec
// describes them (common name, DNS names, IP addresses, usages), each valid
// for two days.
//
//   const ca = new ThrowawayCa(dir);
//   const {certFile, keyFile} = ca.issue('registry', certificate.spec);
//   // and ca.caFile, the CA's certificate (a Secret's ca.crt)
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// cert-manager's usages as OpenSSL's extension values.
const kExtendedKeyUsages = {'server auth': 'serverAuth', 'client auth': 'clientAuth'};
const kKeyUsages = {'digital signature': 'digitalSignature', 'key encipherment': 'keyEncipherment'};
// An EC P-256 key, as cert-manager's {algorithm: ECDSA, size: 256}.
const kNewKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args) {
  execFileSync('openssl', args, {stdio: ['ignore', 'ignore', 'pipe']});
}

export class ThrowawayCa {
  // Makes the CA in `dir` (created).
  constructor(dir) {
    this.dir = dir;
    fs.mkdirSync(dir, {recursive: true});
    this.caFile = path.join(dir, 'ca.crt');
    this.caKeyFile = path.join(dir, 'ca.key');
    openssl(['req', '-x509', ...kNewKey, '-days', '2', '-subj', '/CN=Throwaway Summit CA',
             '-keyout', this.caKeyFile, '-out', this.caFile]);
  }

  // Issues the certificate `spec` describes, as NAME.crt and NAME.key in the
  // CA's folder; returns their paths.
  issue(name, {commonName, dnsNames = [], ipAddresses = [], usages = []}) {
    const file = (extension) => path.join(this.dir, `${name}.${extension}`);
    const subjectAltNames = [...dnsNames.map((n) => `DNS:${n}`), ...ipAddresses.map((a) => `IP:${a}`)];
    const extendedKeyUsages = usages.filter((u) => kExtendedKeyUsages[u]).map((u) => kExtendedKeyUsages[u]);
    const keyUsages = usages.filter((u) => kKeyUsages[u]).map((u) => kKeyUsages[u]);
    const unknown = usages.filter((u) => !kExtendedKeyUsages[u] && !kKeyUsages[u]);
    if (unknown.length) throw new Error(`${name}: usages ${unknown} are not known here`);
    fs.writeFileSync(file('ext'), [
      subjectAltNames.length && `subjectAltName=${subjectAltNames.join(',')}`,
      extendedKeyUsages.length && `extendedKeyUsage=${extendedKeyUsages.join(',')}`,
      keyUsages.length && `keyUsage=critical,${keyUsages.join(',')}`,
    ].filter(Boolean).join('\n') + '\n');
    openssl(['req', '-new', ...kNewKey, '-subj', `/CN=${commonName ?? dnsNames[0] ?? name}`,
             '-keyout', file('key'), '-out', file('csr')]);
    openssl(['x509', '-req', '-days', '2', '-in', file('csr'), '-CA', this.caFile,
             '-CAkey', this.caKeyFile, '-set_serial', `0x${crypto.randomBytes(16).toString('hex')}`,
             '-extfile', file('ext'), '-out', file('crt')]);
    return {certFile: file('crt'), keyFile: file('key')};
  }
}
