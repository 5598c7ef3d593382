import { conflict } from '../engine-error.js';
import type { ContainerStatus } from './container.js';

/** The legal moves of a container's status. */
const TRANSITIONS: Readonly<Record<ContainerStatus, readonly ContainerStatus[]>> = {
  created: ['running', 'exited', 'removing'],
  running: ['exited', 'paused', 'restarting', 'removing'],
  paused: ['running', 'exited', 'removing'],
  restarting: ['running', 'exited', 'removing'],
  exited: ['running', 'restarting', 'removing', 'exited'],
  removing: ['dead', 'exited'],
  dead: ['removing'],
};

export function canTransition(from: ContainerStatus, to: ContainerStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(id: string, from: ContainerStatus, to: ContainerStatus): void {
  if (!canTransition(from, to)) throw conflict(`container ${id}: cannot go from ${from} to ${to}`);
}
