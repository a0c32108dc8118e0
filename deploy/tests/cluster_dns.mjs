// The cluster's DNS, for pods run locally (local_pods.mjs): a UDP server on
// loopback that answers A queries as CoreDNS does for a headless Service,
// NAME.NAMESPACE.svc.cluster.local → the address of every ready pod behind
// it. Summit's peers then dial the very names the manifests give them
// (gRPC's c-ares resolver asks this server when a target names it,
// dns://127.0.0.1:PORT/NAME.NAMESPACE.svc.cluster.local:PORT), balance
// round_robin over what it returns, and verify that name against the peer's
// certificate, as in a cluster.
import dgram from 'node:dgram';

const kTypeA = 1;
const kClassInternet = 1;
const kTtlSeconds = 5;
const kNameError = 3;  // NXDOMAIN

// The first question of a query: its name (lower case), type, class, and the
// offset just past it. Throws on a message too short or with compressed
// names, which a query's question never has.
function firstQuestion(query) {
  const labels = [];
  let offset = 12;  // past the header
  for (let length = query.readUInt8(offset); length !== 0; length = query.readUInt8(offset)) {
    if (length > 63) throw new Error('not a query\'s name');
    labels.push(query.toString('latin1', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  offset += 1;
  return {name: labels.join('.').toLowerCase(), type: query.readUInt16BE(offset),
          class: query.readUInt16BE(offset + 2), end: offset + 4};
}

// The answer to `query` (whose first question is `question`): `addresses`
// (IPv4, dotted) as A records when it asks for A, none for another type of a
// known name, NXDOMAIN for an unknown one (`addresses` undefined).
function answer(query, question, addresses) {
  const records = question.type === kTypeA && question.class === kClassInternet
      ? addresses ?? [] : [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);  // the id
  const recursionDesired = query.readUInt16BE(2) & 0x0100;
  // A response (QR), authoritative (AA), the query's RD, and the code.
  header.writeUInt16BE(0x8400 | recursionDesired | (addresses ? 0 : kNameError), 2);
  header.writeUInt16BE(1, 4);  // the question, repeated
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, query.subarray(12, question.end), ...records.map((address) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0);  // the name: a pointer to the question's
    record.writeUInt16BE(kTypeA, 2);
    record.writeUInt16BE(kClassInternet, 4);
    record.writeUInt32BE(kTtlSeconds, 6);
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((part, i) => record.writeUInt8(Number(part), 12 + i));
    return record;
  })]);
}

export class ClusterDns {
  // Serves on 127.0.0.1 (a port of its own) until close(). `addressesOf(name)`
  // gives a name's addresses, or undefined for a name that does not exist.
  static async start(addressesOf) {
    const dns = new ClusterDns();
    dns.socket = dgram.createSocket('udp4');
    dns.socket.on('message', (query, sender) => {
      let question;
      try {
        question = firstQuestion(query);
      } catch {
        return;  // not a query: dropped, as a server would
      }
      dns.socket.send(answer(query, question, addressesOf(question.name)), sender.port,
                      sender.address);
    });
    await new Promise((resolve) => dns.socket.bind(0, '127.0.0.1', resolve));
    return dns;
  }

  get port() { return this.socket.address().port; }

  close() { this.socket.close(); }
}
