// A container probe run the way the kubelet runs it, against a server on
// loopback: gRPC (grpc.health.v1.Health/Check of the probe's service, by
// summit_grpc_probe), HTTP GET (a status from 200 to 399) or a TCP connect,
// within the probe's timeoutSeconds. `portOf(port)` maps the manifest's port
// (number or name) to the one the local process bound.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// The kubelet's defaults (k8s.io/api/core/v1 Probe).
const kDefaults = {periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3};

function grpcCheck(probeBinary, port, service, timeoutSeconds) {
  return new Promise((resolve) => {
    execFile(probeBinary, [`127.0.0.1:${port}`, service ?? '', String(timeoutSeconds)],
             (error, stdout, stderr) => resolve(error ? stderr.trim() || error.message : null));
  });
}

async function httpCheck(port, path, timeoutSeconds) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path ?? '/'}`,
                                 {signal: AbortSignal.timeout(timeoutSeconds * 1000)});
    await response.arrayBuffer();
    return response.status >= 200 && response.status < 400 ? null : `HTTP ${response.status}`;
  } catch (error) {
    return error.message;
  }
}

function tcpCheck(port, timeoutSeconds) {
  return new Promise((resolve) => {
    const socket = net.connect({host: '127.0.0.1', port, timeout: timeoutSeconds * 1000});
    socket.on('connect', () => { socket.destroy(); resolve(null); });
    socket.on('timeout', () => { socket.destroy(); resolve('timed out'); });
    socket.on('error', (error) => resolve(error.message));
  });
}

// Runs `probe` once: null when it passes, else why it failed.
export async function probeOnce(probe, portOf, probeBinary) {
  const timeoutSeconds = probe.timeoutSeconds ?? kDefaults.timeoutSeconds;
  if (probe.grpc) {
    return grpcCheck(probeBinary, portOf(probe.grpc.port), probe.grpc.service, timeoutSeconds);
  }
  if (probe.httpGet) {
    if ((probe.httpGet.scheme ?? 'HTTP') !== 'HTTP') return `unsupported scheme ${probe.httpGet.scheme}`;
    return httpCheck(portOf(probe.httpGet.port), probe.httpGet.path, timeoutSeconds);
  }
  if (probe.tcpSocket) return tcpCheck(portOf(probe.tcpSocket.port), timeoutSeconds);
  return `unsupported probe ${JSON.stringify(probe)}`;
}

// Runs `probe` every periodSeconds until it passes, as the kubelet does with
// a startup probe, at most failureThreshold times: null when it passed, else
// the last failure.
export async function probeUntilPassing(probe, portOf, probeBinary) {
  const period = probe.periodSeconds ?? kDefaults.periodSeconds;
  const attempts = probe.failureThreshold ?? kDefaults.failureThreshold;
  await sleep((probe.initialDelaySeconds ?? 0) * 1000);
  let failure = null;
  for (let attempt = 0; attempt < attempts; ++attempt) {
    failure = await probeOnce(probe, portOf, probeBinary);
    if (failure === null) return null;
    await sleep(period * 1000);
  }
  return `failed ${attempts} times, last: ${failure}`;
}
