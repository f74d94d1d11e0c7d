/** Images and key pairs as the core sees them. */

export interface Image {
  id: string;
  name: string | null;
  status: string;
  visibility: 'public' | 'private' | 'shared' | 'community';
  diskFormat: string | null;
  containerFormat: string | null;
  minDisk: number;
  minRam: number;
  size: number | null;
  checksum: string | null;
  osHashAlgo: string | null;
  osHashValue: string | null;
  protected: boolean;
  owner: string | null;
  properties: Record<string, string>;
  tags: string[];
  /** Absolute path of the bytes in the local image store, or null before upload. */
  path: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface KeyPair {
  /** The row id (Nova shows it in os-keypairs show). */
  id?: number;
  name: string;
  userId: string;
  projectId: string | null;
  fingerprint: string;
  publicKey: string;
  type: 'ssh' | 'x509';
  createdAt: string;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  createdAt: string;
}
