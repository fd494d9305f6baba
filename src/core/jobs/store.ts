import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJobRecord, type JobRecord } from './record';

/**
 * Job records as one JSON file each in a folder of the extension's storage. Every write goes to a
 * temporary file that is then renamed, so a record on disk is always whole, even when the window
 * closes in the middle of a write.
 *
 * Several VS Code windows share that folder. A window works on a job only while it holds the job's
 * claim, so two windows never submit or download the same job.
 */
export class FileJobStore {
  /** Writes of one record, in order. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly owner: JobOwner = JobOwner.forThisProcess(),
  ) {}

  async list(): Promise<JobRecord[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const records = await Promise.all(
      names.filter((name) => name.endsWith('.json')).map(async (name) => {
        try {
          return parseJobRecord(JSON.parse(await readFile(join(this.dir, name), 'utf8')));
        } catch {
          return undefined; // A damaged file is skipped rather than hiding every other job.
        }
      }),
    );
    return records.filter((record): record is JobRecord => !!record);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    try {
      return parseJobRecord(JSON.parse(await readFile(this.recordPath(id), 'utf8')));
    } catch {
      return undefined;
    }
  }

  save(record: JobRecord): Promise<void> {
    return this.serialize(record.id, async () => {
      await mkdir(this.dir, { recursive: true });
      const temporary = `${this.recordPath(record.id)}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, JSON.stringify(record, null, 2));
      await rename(temporary, this.recordPath(record.id));
    });
  }

  delete(id: string): Promise<void> {
    return this.serialize(id, async () => {
      await rm(this.recordPath(id), { force: true });
      // With the job gone its claims mean nothing, including those of windows that closed.
      const names = await readdir(this.dir).catch(() => [] as string[]);
      await Promise.all(names.filter((name) => name.startsWith(`${id}.claim-`)).map((name) => rm(join(this.dir, name), { force: true })));
    });
  }

  /**
   * Takes the job for this window unless a living window holds it. Claims are numbered files
   * (`<id>.claim-<n>`) created exclusively: of two windows that both find the holder gone, only one
   * can create the next number. The highest number holds the job.
   */
  async claim(id: string): Promise<boolean> {
    await mkdir(this.dir, { recursive: true });
    const latest = await this.latestClaim(id);
    if (latest) {
      const holder = (await readFile(join(this.dir, latest.name), 'utf8').catch(() => '')).trim();
      if (holder === this.owner.id) return true;
      if (holder && this.owner.isAlive(holder)) return false;
    }
    const next = join(this.dir, `${id}.claim-${(latest?.number ?? 0) + 1}`);
    // The claim appears whole or not at all: written aside, then linked into place, which fails when
    // another window got there first. A claim created empty and written after could be read empty
    // by a racing window, taken for a dead holder's and replaced, so that both would run the job.
    const pending = join(this.dir, `${id}.${randomBytes(4).toString('hex')}.claiming`);
    await writeFile(pending, this.owner.id);
    try {
      await link(pending, next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await rm(pending, { force: true });
    }
    // The claim taken over stays: a window listing the folder while claims come and go may miss
    // entries, and must still find one that is taken, never an empty folder whose first number is free.
    return true;
  }

  /** This window is closing: the claims it holds may be taken over at once. */
  retire(): void {
    this.owner.retire();
  }

  /** Gives up this window's claim on a job (it ended, or the window is closing). */
  async release(id: string): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names.filter((name) => name.startsWith(`${id}.claim-`))) {
      const holder = (await readFile(join(this.dir, name), 'utf8').catch(() => '')).trim();
      if (holder === this.owner.id) await rm(join(this.dir, name), { force: true });
    }
  }

  private async latestClaim(id: string): Promise<{ name: string; number: number } | undefined> {
    const prefix = `${id}.claim-`;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names
      .filter((name) => name.startsWith(prefix))
      .map((name) => ({ name, number: Number(name.slice(prefix.length)) }))
      .filter((claim) => Number.isInteger(claim.number))
      .sort((a, b) => b.number - a.number)[0];
  }

  private recordPath(id: string): string {
    if (!/^[\w-]+$/.test(id)) throw new Error(`Not a job id: ${id}`);
    return join(this.dir, `${id}.json`);
  }

  private serialize(id: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(id) ?? Promise.resolve()).then(write, write);
    this.writes.set(id, next);
    return next;
  }
}

/** Live owners in this process: a queue that was disposed no longer holds its claims. */
const LIVE_OWNERS = new Set<string>();

/** Who holds a claim: an extension host process (and one queue within it). */
export class JobOwner {
  private constructor(readonly id: string) {
    LIVE_OWNERS.add(id);
  }

  static forThisProcess(): JobOwner {
    return new JobOwner(`${process.pid}:${randomBytes(4).toString('hex')}`);
  }

  isAlive(holder: string): boolean {
    const pid = Number(holder.split(':')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return false;
    if (pid === process.pid) return LIVE_OWNERS.has(holder);
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  /** This owner is gone (its queue was disposed): its claims may be taken over. */
  retire(): void {
    LIVE_OWNERS.delete(this.id);
  }
}
