import { humanSize } from './human-units.js';

/**
 * Docker's text progress bar (jsonmessage.JSONProgress.String): a 50-wide bar when the
 * line has room (`width` over 110), then "current/total" in decimal units.
 */
export function progressBar(current: number, total: number, width = 200): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const percentage = Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2));
  const bar = width > 110 ? `[${'='.repeat(percentage)}>${' '.repeat(Math.max(0, 50 - percentage))}] ` : '';
  const numbers = current > total ? '' : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  return bar + numbers;
}
