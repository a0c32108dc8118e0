// A container probe run the way the kubelet runs it, against a server on
// loopback: gRPC (grpc.health.v1.Health/Check of the probe's service, by
// summit_grpc_probe, in plaintext), HTTP or HTTPS GET (a status from 200 to
// 399; like the kubelet, HTTPS without verifying the certificate) or a TCP
// connect, within the probe's timeoutSeconds. `addressOf(port)` maps the
// manifest's port (number or name) to HOST:PORT where the local process
// serves it.
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// The kubelet's defaults (k8s.io/api/core/v1 Probe).
const kDefaults = {periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3};

function grpcCheck(probeBinary, address, service, timeoutSeconds) {
  return new Promise((resolve) => {
    execFile(probeBinary, [address, service ?? '', String(timeoutSeconds)],
             (error, stdout, stderr) => resolve(error ? stderr.trim() || error.message : null));
  });
}

function httpCheck(scheme, address, path, timeoutSeconds) {
  const client = {HTTP: http, HTTPS: https}[scheme];
  if (!client) return Promise.resolve(`unsupported scheme ${scheme}`);
  return new Promise((resolve) => {
    const request = client.get(`${scheme.toLowerCase()}://${address}${path ?? '/'}`,
                               {rejectUnauthorized: false, timeout: timeoutSeconds * 1000},
                               (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode >= 200 && response.statusCode < 400
                                            ? null : `HTTP ${response.statusCode}`));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve(error.message));
  });
}

function tcpCheck(address, timeoutSeconds) {
  const [, host, port] = /^(.*):(\d+)$/.exec(address);
  return new Promise((resolve) => {
    const socket = net.connect({host, port: Number(port), timeout: timeoutSeconds * 1000});
    socket.on('connect', () => { socket.destroy(); resolve(null); });
    socket.on('timeout', () => { socket.destroy(); resolve('timed out'); });
    socket.on('error', (error) => resolve(error.message));
  });
}

// Runs `probe` once: null when it passes, else why it failed.
export async function probeOnce(probe, addressOf, probeBinary) {
  const timeoutSeconds = probe.timeoutSeconds ?? kDefaults.timeoutSeconds;
  if (probe.grpc) {
    return grpcCheck(probeBinary, addressOf(probe.grpc.port), probe.grpc.service, timeoutSeconds);
  }
  if (probe.httpGet) {
    return httpCheck(probe.httpGet.scheme ?? 'HTTP', addressOf(probe.httpGet.port),
                     probe.httpGet.path, timeoutSeconds);
  }
  if (probe.tcpSocket) return tcpCheck(addressOf(probe.tcpSocket.port), timeoutSeconds);
  return `unsupported probe ${JSON.stringify(probe)}`;
}

// Runs `probe` every periodSeconds until it passes, as the kubelet does with
// a startup probe, at most failureThreshold times: null when it passed, else
// the last failure.
export async function probeUntilPassing(probe, addressOf, probeBinary) {
  const period = probe.periodSeconds ?? kDefaults.periodSeconds;
  const attempts = probe.failureThreshold ?? kDefaults.failureThreshold;
  await sleep((probe.initialDelaySeconds ?? 0) * 1000);
  let failure = null;
  for (let attempt = 0; attempt < attempts; ++attempt) {
    failure = await probeOnce(probe, addressOf, probeBinary);
    if (failure === null) return null;
    await sleep(period * 1000);
  }
  return `failed ${attempts} times, last: ${failure}`;
}
