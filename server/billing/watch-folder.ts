import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Names that writers use while a file is incomplete: never picked up. */
const IN_PROGRESS = /(^\.|\.partial$|\.part$|\.tmp$|\.temp$|\.crdownload$|\.download$|~$)/i;
const FOCUS_FILE = /\.(csv|csv\.gz|gz|parquet)$/i;

export interface WatchOptions {
  /** Time between scans; a file is handed over once its size and mtime are unchanged across two scans. */
  intervalMs?: number;
  onError?: (error: unknown, filePath: string | null) => void;
}

export interface FolderWatch {
  /** One scan now (the timer also scans); resolves after the handed-over files were processed. */
  scanNow(): Promise<void>;
  close(): void;
}

/**
 * Polls `dir` (fs.watch misses events on network and container mounts) and calls `onFile` once
 * per complete file, one at a time. Import idempotency (content hash) makes restarts safe.
 */
export function watchBillingFolder(
  dir: string,
  onFile: (filePath: string) => Promise<void>,
  options: WatchOptions = {},
): FolderWatch {
  const seen = new Map<string, string>();
  const handed = new Map<string, string>();
  let running: Promise<void> | null = null;
  let closed = false;

  const scan = async (): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      options.onError?.(error, null);
      return [];
    });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (closed) return;
      if (!entry.isFile() || IN_PROGRESS.test(entry.name) || !FOCUS_FILE.test(entry.name)) continue;
      const filePath = path.join(dir, entry.name);
      const info = await stat(filePath).catch(() => null);
      if (!info) continue;
      const signature = `${info.size}:${info.mtimeMs}`;
      const previous = seen.get(filePath);
      seen.set(filePath, signature);
      if (previous !== signature || handed.get(filePath) === signature || info.size === 0) continue;
      handed.set(filePath, signature);
      try {
        await onFile(filePath);
      } catch (error) {
        options.onError?.(error, filePath);
      }
    }
  };

  const scanNow = (): Promise<void> => {
    running ??= scan().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void scanNow(), options.intervalMs ?? 10_000);
  timer.unref();
  return {
    scanNow,
    close: () => {
      closed = true;
      clearInterval(timer);
    },
  };
}
