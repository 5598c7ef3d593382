import type { SystemInfoResponse } from '../../client/engine-types.js';
import { BERTH_VERSION } from '../../daemon/version.js';
import { bytesSize } from '../../units/human-units.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type CliContext, type Command } from '../command.js';
import { parseTemplate, TemplateError } from '../format/go-template.js';
import { templateErrorText } from './image-go-struct.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';
import { infoView, sparseInfoView } from './system-info-view.js';

/** Whether the global -D/--debug flag was given (it comes before the command words). */
function clientDebug(): boolean {
  for (const a of process.argv.slice(2)) {
    if (a === 'info' || a === 'system') return false;
    if (a === '-D' || a === '--debug' || a === '--debug=true' || a === '--debug=1') return true;
  }
  return false;
}

/** docker's needsServerInfo: a template that only reads client fields does not ask the daemon. */
function needsServerInfo(format: string, debug: boolean): boolean {
  if (format === '' || !/\.[a-zA-Z]/.test(format)) return true;
  try {
    parseTemplate(format).execute(sparseInfoView(debug));
    return false;
  } catch {
    return true;
  }
}

/** docker's system.DecodeSecurityOptions. */
function decodeSecurityOptions(opts: readonly string[]): Array<{ name: string; options: Array<[string, string]> }> {
  return opts.map((opt) => {
    if (!opt.includes('=')) return { name: opt, options: [] };
    const so = { name: '', options: [] as Array<[string, string]> };
    for (const kv of opt.split(',')) {
      const eq = kv.indexOf('=');
      if (eq < 0) throw new Error(`invalid security option "${kv}"`);
      const [k, v] = [kv.slice(0, eq), kv.slice(eq + 1)];
      if (k === '' || v === '') throw new Error('invalid empty security option');
      if (k === 'name') so.name = v;
      else so.options.push([k, v]);
    }
    return so;
  });
}

/** The "Server:" section of `docker info`; returns errors to report. */
function printServerInfo(ctx: CliContext, info: SystemInfoResponse, debug: boolean): string[] {
  const errors: string[] = [];
  const lines: string[] = [];
  const line = (...parts: Array<string | number | boolean | undefined>): void => {
    lines.push(parts.map((p) => String(p ?? '')).join(' '));
  };
  const nonEmpty = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') line(label, value);
  };
  line(' Containers:', info.Containers ?? 0);
  line('  Running:', info.ContainersRunning ?? 0);
  line('  Paused:', info.ContainersPaused ?? 0);
  line('  Stopped:', info.ContainersStopped ?? 0);
  line(' Images:', info.Images ?? 0);
  nonEmpty(' Server Version:', info.ServerVersion);
  nonEmpty(' Storage Driver:', info.Driver);
  for (const [k, v] of info.DriverStatus ?? []) lines.push(`  ${k}: ${v}`);
  for (const [k, v] of info.SystemStatus ?? []) lines.push(` ${k}: ${v}`);
  nonEmpty(' Logging Driver:', info.LoggingDriver);
  nonEmpty(' Cgroup Driver:', info.CgroupDriver);
  nonEmpty(' Cgroup Version:', info.CgroupVersion);
  line(' Plugins:');
  line('  Volume:', (info.Plugins?.Volume ?? []).join(' '));
  line('  Network:', (info.Plugins?.Network ?? []).join(' '));
  if ((info.Plugins?.Authorization ?? []).length > 0) line('  Authorization:', (info.Plugins?.Authorization ?? []).join(' '));
  line('  Log:', (info.Plugins?.Log ?? []).join(' '));
  if ((info.CDISpecDirs ?? []).length > 0) {
    line(' CDI spec directories:');
    for (const dir of info.CDISpecDirs ?? []) lines.push(`  ${dir}`);
  }
  const swarm = info.Swarm ?? {};
  line(' Swarm:', swarm.LocalNodeState ?? '');
  if (swarm.LocalNodeState !== undefined && swarm.LocalNodeState !== '' && swarm.LocalNodeState !== 'inactive' && swarm.LocalNodeState !== 'locked') {
    line('  NodeID:', swarm.NodeID ?? '');
    if ((swarm.Error ?? '') !== '') line('  Error:', swarm.Error);
    line('  Is Manager:', swarm.ControlAvailable ?? false);
    line('  Node Address:', swarm.NodeAddr ?? '');
    const managers = (swarm.RemoteManagers ?? []).map((m) => m.Addr).sort();
    if (managers.length > 0) {
      line('  Manager Addresses:');
      for (const m of managers) lines.push(`   ${m}`);
    }
  }
  const runtimes = Object.keys(info.Runtimes ?? {});
  if (runtimes.length > 0) {
    line(' Runtimes:', runtimes.join(' '));
    line(' Default Runtime:', info.DefaultRuntime ?? '');
  }
  if (info.OSType === 'linux') {
    line(' Init Binary:', info.InitBinary ?? '');
    line(' containerd version:', info.ContainerdCommit?.ID ?? '');
    line(' runc version:', info.RuncCommit?.ID ?? '');
    line(' init version:', info.InitCommit?.ID ?? '');
    if ((info.SecurityOptions ?? []).length > 0) {
      try {
        const kvs = decodeSecurityOptions(info.SecurityOptions ?? []);
        line(' Security Options:');
        for (const so of kvs) {
          lines.push(`  ${so.name}`);
          for (const [k, v] of so.options) if (k === 'profile') line('   Profile:', v);
        }
      } catch (e: unknown) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
  }
  if (info.OSType === 'windows') line(' Default Isolation:', info.Isolation ?? '');
  nonEmpty(' Kernel Version:', info.KernelVersion);
  nonEmpty(' Operating System:', info.OperatingSystem);
  nonEmpty(' OSType:', info.OSType);
  nonEmpty(' Architecture:', info.Architecture);
  line(' CPUs:', info.NCPU ?? 0);
  line(' Total Memory:', bytesSize(info.MemTotal ?? 0));
  nonEmpty(' Name:', info.Name);
  nonEmpty(' ID:', info.ID);
  line(' Docker Root Dir:', info.DockerRootDir ?? '');
  line(' Debug Mode:', info.Debug ?? false);
  if (info.Debug === true || debug) {
    line('  File Descriptors:', info.NFd ?? 0);
    line('  Goroutines:', info.NGoroutines ?? 0);
    line('  System Time:', info.SystemTime ?? '');
    line('  EventsListeners:', info.NEventsListener ?? 0);
  }
  nonEmpty(' HTTP Proxy:', info.HttpProxy);
  nonEmpty(' HTTPS Proxy:', info.HttpsProxy);
  nonEmpty(' No Proxy:', info.NoProxy);
  if ((info.Labels ?? []).length > 0) {
    line(' Labels:');
    for (const l of info.Labels ?? []) lines.push(`  ${l}`);
  }
  line(' Experimental:', info.ExperimentalBuild ?? false);
  const registry = info.RegistryConfig;
  const indexConfigs = Object.values(registry?.IndexConfigs ?? {});
  if ((registry?.InsecureRegistryCIDRs ?? []).length > 0 || indexConfigs.length > 0) {
    line(' Insecure Registries:');
    for (const c of indexConfigs) if (!c.Secure) lines.push(`  ${c.Name}`);
    for (const cidr of registry?.InsecureRegistryCIDRs ?? []) lines.push(`  ${cidr}`);
  }
  if ((registry?.Mirrors ?? []).length > 0) {
    line(' Registry Mirrors:');
    for (const m of registry?.Mirrors ?? []) lines.push(`  ${m}`);
  }
  line(' Live Restore Enabled:', info.LiveRestoreEnabled ?? false);
  if ((info.ProductLicense ?? '') !== '') line(' Product License:', info.ProductLicense);
  if ((info.DefaultAddressPools ?? []).length > 0) {
    line(' Default Address Pools:');
    for (const p of info.DefaultAddressPools ?? []) lines.push(`   Base: ${p.Base}, Size: ${p.Size}`);
  }
  ctx.out(`${lines.join('\n')}\n\n`);
  for (const w of info.Warnings ?? []) ctx.err(`${w}\n`);
  return errors;
}

export const command: Command = {
  path: 'system info',
  aliases: ['info'],
  usage: '[OPTIONS]',
  description: 'Display system-wide information',
  flags: [{ name: 'format', short: 'f', type: 'string', usage: INSPECT_FORMAT_HELP }],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const format = flags.getString('format');
    const debug = clientDebug();
    let info: SystemInfoResponse | undefined;
    let failure: unknown;
    if (needsServerInfo(format, debug)) {
      try {
        info = await (await ctx.client()).json<SystemInfoResponse>('GET', '/info');
      } catch (e: unknown) {
        failure = e;
        // With a format the error is shown first, since the template may not show it.
        if (format !== '') ctx.err(`${errorText(e)}\n`);
      }
    }
    if (format === '') {
      ctx.out(`Client:\n Version:    ${BERTH_VERSION}\n Context:    default\n Debug Mode: ${String(debug)}\n\nServer:\n`);
      if (failure !== undefined) throw new ExitError(1, errorText(failure));
      const errors = info === undefined ? [] : printServerInfo(ctx, info, debug);
      for (const e of errors) ctx.err(`ERROR: ${e}\n`);
      if (errors.length > 0) throw new ExitError(1, 'errors pretty printing info');
      return 0;
    }
    const source = format === 'json' ? '{{json .}}' : format;
    let tmpl;
    try {
      tmpl = parseTemplate(source);
    } catch (e: unknown) {
      if (e instanceof TemplateError) throw new ExitError(64, `template parsing error: ${templateErrorText(e, source)}`);
      throw e;
    }
    let text = '';
    let templateError: string | undefined;
    try {
      text = tmpl.execute(infoView(info ?? {}, debug));
    } catch (e: unknown) {
      if (!(e instanceof TemplateError)) throw e;
      templateError = templateErrorText(e, source);
    }
    ctx.out(`${text}\n`);
    if (templateError !== undefined) throw new ExitError(1, templateError);
    if (failure !== undefined) throw new ExitError(1);
    return 0;
  },
};
