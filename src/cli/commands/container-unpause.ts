import { freezeCommand } from './container-pause.js';

export const command = freezeCommand('unpause', 'Unpause all processes within one or more containers');
