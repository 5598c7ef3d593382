import { formatGoDuration } from '../units/go-values.js';
import type { ContainerService } from './container-service.js';
import type { HealthProbeResult } from './container.js';
import type { ExecService } from './exec-service.js';
import { applyProbe, isActive, MAX_OUTPUT_BYTES, nextProbeDelayMs, probeCommand, probeTimeoutMs } from './health.js';

type Containers = Pick<ContainerService, 'find' | 'onStarted' | 'onStopped' | 'onRemovedContainer' | 'updateHealth'>;
type Probes = Pick<ExecService, 'run'>;

/**
 * Runs each running container's health check: one probe at a time (the next
 * is scheduled when one ends, so probes never pile up), through exec.
 */
export class HealthMonitor {
  /** Per container: the pending timer and a generation that a stop or restart invalidates. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();

  constructor(private readonly containers: Containers, private readonly probes: Probes) {
    containers.onStarted((id) => this.begin(id));
    containers.onStopped((id) => this.end(id));
    containers.onRemovedContainer((id) => {
      this.end(id);
      this.generation.delete(id);
    });
  }

  /** After a daemon restart: checks of containers that kept running go on. */
  resume(ids: readonly string[]): void {
    for (const id of ids) this.begin(id);
  }

  close(): void {
    for (const id of [...this.timers.keys()]) this.end(id);
  }

  private begin(id: string): void {
    this.end(id);
    const rec = this.containers.find(id);
    if (rec === undefined || !isActive(rec.config.healthcheck) || rec.state.health === undefined) return;
    this.schedule(id, this.generation.get(id) ?? 0);
  }

  private end(id: string): void {
    const t = this.timers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(id);
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
  }

  private schedule(id: string, gen: number): void {
    const rec = this.containers.find(id);
    const h = rec?.config.healthcheck;
    if (rec === undefined || !isActive(h) || rec.state.status !== 'running') return;
    const startedAt = Date.parse(rec.state.startedAt ?? '') || Date.now();
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void this.probe(id, gen).catch(() => undefined);
    }, nextProbeDelayMs(h, startedAt, Date.now()));
    timer.unref();
    this.timers.set(id, timer);
  }

  private async probe(id: string, gen: number): Promise<void> {
    const rec = this.containers.find(id);
    const h = rec?.config.healthcheck;
    if (rec === undefined || !isActive(h) || this.generation.get(id) !== gen) return;
    const start = new Date();
    const timeoutMs = probeTimeoutMs(h);
    const r = await this.probes.run(id, probeCommand(h), { timeoutMs, maxOutput: MAX_OUTPUT_BYTES });
    if (this.generation.get(id) !== gen) return;
    const result: HealthProbeResult = {
      start: start.toISOString(),
      end: new Date().toISOString(),
      exitCode: r.exitCode,
      output: r.timedOut ? `Health check exceeded timeout (${formatGoDuration(timeoutMs * 1e6)})` : r.output,
    };
    const startedAt = Date.parse(rec.state.startedAt ?? '') || start.getTime();
    const updated = await this.containers.updateHealth(id, (cur) => applyProbe(h, cur, result, startedAt, Date.now()));
    if (updated !== undefined && this.generation.get(id) === gen) this.schedule(id, gen);
  }
}
