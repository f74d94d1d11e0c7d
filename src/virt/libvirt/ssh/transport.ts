/**
 * How the libvirt driver reaches a host: run a command (with optional stdin) and move files.
 * The ssh2 implementation keeps one multiplexed connection per host; the fake one records
 * commands for unit tests. Commands arrive already quoted (see quote.ts).
 */

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Bytes written to the command's stdin, then closed. */
  stdin?: string | Buffer;
  /** Kill the command and fail after this long (default: the transport's command timeout). */
  timeoutMs?: number;
}

export interface HostTransport {
  /** Runs a command; resolves with its exit code (never rejects for a non-zero exit). */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Copies a local file to the host (SFTP), creating or replacing `remotePath`. */
  upload(localPath: string, remotePath: string, opts?: { mode?: number }): Promise<void>;
  /** Writes bytes to a file on the host (SFTP). */
  writeFile(remotePath: string, data: string | Buffer, opts?: { mode?: number }): Promise<void>;
  /** Reads a file on the host (SFTP); null when it does not exist. */
  readFile(remotePath: string): Promise<Buffer | null>;
  /**
   * Runs a command with streamed I/O: stdin from `input` (ended when it ends), stdout into
   * `output` (the result's stdout is then empty). Disk copies between hosts go through this.
   */
  pipe(command: string, io: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream; timeoutMs?: number }): Promise<ExecResult>;
  /** Drops the connection (the next call reconnects). */
  close(): void;
}

/** Where and how to reach a host, as pinned at `host add`. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** Path of the private key on the controller (never its contents in config or logs). */
  keyPath: string;
  /**
   * The pinned host key: OpenSSH type and base64 blob, and its SHA256 fingerprint
   * (`SHA256:…` as ssh-keygen prints it). Null only while probing with --accept-new-host-key.
   */
  hostKey: PinnedHostKey | null;
}

export interface PinnedHostKey {
  type: string;
  base64: string;
  fingerprint: string;
}
