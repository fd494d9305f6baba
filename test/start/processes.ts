// The processes a command started, read from /proc: its descendants and their process groups, so that a
// test can check that none of them outlives the command (code-server runs in a process group of its own).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  parentPid: number;
  groupId: number;
  /** Start time in clock ticks since boot: a pid and its start time name one process even after pid reuse. */
  startTime: string;
  command: string;
  zombie: boolean;
}

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, parentPid: Number(fields[1]), groupId: Number(fields[2]), startTime: fields[19], command, zombie: fields[0] === 'Z' };
  } catch {
    return undefined; // ended while being read
  }
}

export function listProcesses(): ProcessEntry[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readEntry(Number(name)))
    .filter((entry): entry is ProcessEntry => entry !== undefined);
}

/** `root` and every process below it, as they are now. */
export function processTree(root: number): ProcessEntry[] {
  const all = listProcesses();
  const tree = all.filter((entry) => entry.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((entry) => entry.parentPid === tree[i].pid));
  return tree;
}

/** The live processes that are one of `started`, or in one of their process groups (except this runner's own). */
export function survivors(started: ProcessEntry[]): ProcessEntry[] {
  const groups = new Set(started.map((entry) => entry.groupId));
  const ownGroup = readEntry(process.pid)?.groupId;
  if (ownGroup !== undefined) groups.delete(ownGroup);
  return listProcesses().filter(
    (entry) => !entry.zombie && (groups.has(entry.groupId) || started.some((old) => old.pid === entry.pid && old.startTime === entry.startTime)),
  );
}
