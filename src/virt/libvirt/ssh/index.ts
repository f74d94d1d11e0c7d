/** How the libvirt driver reaches hosts: the transport interface, its ssh2 and fake forms. */
export type { ExecOptions, ExecResult, HostTransport, PinnedHostKey, SshEndpoint } from './transport';
export { sh, shq } from './quote';
export {
  HostKeyChangedError,
  HostKeyUnknownError,
  SshCommandTimeout,
  SshConnectError,
  SshConnectionLostError,
  SshTransferError,
  commandName,
} from './errors';
export {
  fingerprintOf,
  keyTypeOf,
  matchesPinned,
  normalizeFingerprint,
  parseFingerprint,
  pinnedHostKeyFromBlob,
  pinnedHostKeyFromPublicKeyLine,
} from './host-key';
export { Ssh2Transport, type Ssh2TransportOptions } from './ssh2-transport';
export { closeAllTransports, poolKey, pooledTransportCount, probeHostKey, transportFor } from './pool';
export { FakeTransport, type CommandMatcher, type RecordedExec, type RecordedWrite, type Responder, type ScriptedResult } from './fake-transport';
