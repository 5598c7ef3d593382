import { CLIENT_API_VERSION } from '../../client/engine-client.js';
import type { SystemVersionResponse } from '../../client/engine-types.js';
import { BERTH_VERSION } from '../../daemon/version.js';
import { errorText } from '../cli-errors.js';
import { ExitError, type Command } from '../command.js';
import { parseTemplate, TemplateError, type Template } from '../format/go-template.js';
import { formatTable } from '../format/tabwriter.js';
import { goStruct, nilStruct, omitted, templateErrorText } from './image-go-struct.js';
import { INSPECT_FORMAT_HELP } from './system-format-flag.js';

/**
 * docker's version template, with the client's "Go version" line showing Node's version.
 * `{{with .Platform}}` stands for docker's `{{if ne .Platform nil}}`, which compares pointers.
 */
const DEFAULT_TEMPLATE = `{{with .Client -}}
Client:{{with .Platform}}{{if ne .Name ""}} {{.Name}}{{end}}{{end}}
 Version:\t{{.Version}}
 API version:\t{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from {{.DefaultAPIVersion}}){{end}}
 Node version:\t{{.NodeVersion}}
 Git commit:\t{{.GitCommit}}
 Built:\t{{.BuildTime}}
 OS/Arch:\t{{.Os}}/{{.Arch}}
 Context:\t{{.Context}}
{{- end}}

{{- with .Server}}

Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
 {{- range $component := .Components}}
 {{$component.Name}}:
  {{- if eq $component.Name "Engine" }}
  Version:\t{{.Version}}
  API version:\t{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
  Go version:\t{{index .Details "GoVersion"}}
  Git commit:\t{{index .Details "GitCommit"}}
  Built:\t{{index .Details "BuildTime"}}
  OS/Arch:\t{{index .Details "Os"}}/{{index .Details "Arch"}}
  Experimental:\t{{index .Details "Experimental"}}
  {{- else }}
  Version:\t{{$component.Version}}
  {{- $detailsOrder := getDetailsOrder $component}}
  {{- range $key := $detailsOrder}}
  {{$key}}:\t{{index $component.Details $key}}
   {{- end}}
  {{- end}}
 {{- end}}
 {{- end}}`;

/** Go's GOARCH names for Node's process.arch. */
export function goArch(): string {
  const names: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' };
  return names[process.arch] ?? process.arch;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** docker's reformatDate: an RFC 3339 build time as ANSI C ("Mon Jan _2 15:04:05 2006"), else as is. */
function reformatDate(s: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/.exec(s);
  if (m === null) return s;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return `${DAYS[day] ?? ''} ${MONTHS[mo - 1] ?? ''} ${String(d).padStart(2, ' ')} ${m[4] ?? ''}:${m[5] ?? ''}:${m[6] ?? ''} ${m[1] ?? ''}`;
}

interface ClientVersion {
  readonly Version: string;
  readonly APIVersion: string;
  readonly DefaultAPIVersion: string;
  readonly GitCommit: string;
  readonly NodeVersion: string;
  readonly Os: string;
  readonly Arch: string;
  readonly BuildTime: string;
  readonly Context: string;
}

/**
 * The client part for templates: Go's field names to read, docker's JSON names (empty fields
 * left out) for `json`. Fields that differ only in their JSON name are readable getters.
 */
function clientView(c: ClientVersion): object {
  const opt = (v: string): unknown => (v === '' ? omitted('') : v);
  return goStruct('system.clientVersion', {
    Platform: omitted(null),
    Version: opt(c.Version),
    ApiVersion: opt(c.APIVersion),
    APIVersion: omitted(c.APIVersion),
    DefaultAPIVersion: opt(c.DefaultAPIVersion),
    GitCommit: opt(c.GitCommit),
    NodeVersion: opt(c.NodeVersion),
    Os: opt(c.Os),
    Arch: opt(c.Arch),
    BuildTime: opt(c.BuildTime),
    Context: c.Context,
  });
}

type Component = NonNullable<SystemVersionResponse['Components']>[number];

/** The components, with an Engine one made up from the top-level fields when missing. */
function components(sv: SystemVersionResponse): Component[] {
  const list = (sv.Components ?? []).map((c) => ({
    ...c,
    ...(c.Details !== undefined && c.Details !== null
      ? { Details: c.Name === 'Engine' && 'BuildTime' in c.Details ? { ...c.Details, BuildTime: reformatDate(c.Details['BuildTime'] ?? '') } : c.Details }
      : {}),
  }));
  if (!list.some((c) => c.Name === 'Engine')) {
    list.push({
      Name: 'Engine',
      Version: sv.Version,
      Details: {
        ApiVersion: sv.ApiVersion, MinAPIVersion: sv.MinAPIVersion ?? '', GitCommit: sv.GitCommit, GoVersion: sv.GoVersion,
        Os: sv.Os, Arch: sv.Arch, BuildTime: reformatDate(sv.BuildTime ?? ''), Experimental: String(sv.Experimental ?? false),
      },
    });
  }
  return list;
}

const sortedKeys = (d: Readonly<Record<string, string>> | null | undefined): string[] => Object.keys(d ?? {}).sort();
const sortedDetails = (d: Readonly<Record<string, string>> | null | undefined): Record<string, string> =>
  Object.fromEntries(sortedKeys(d).map((k) => [k, d?.[k] ?? '']));

/** types.Version for templates and `json` (see clientView). */
function serverView(sv: SystemVersionResponse, comps: readonly Component[]): object {
  const opt = (v: unknown, zero: unknown): unknown => (v === undefined || v === '' || v === false ? omitted(zero) : v);
  const details = (d: Readonly<Record<string, string>> | null | undefined): unknown =>
    d === undefined || d === null || Object.keys(d).length === 0 ? omitted({}) : sortedDetails(d);
  return goStruct('*types.Version', {
    Platform: goStruct('struct { Name string }', { Name: sv.Platform?.Name ?? '' }),
    Components: comps.length === 0
      ? omitted([])
      : comps.map((c) => goStruct('types.ComponentVersion', { Name: c.Name, Version: c.Version, Details: details(c.Details) })),
    Version: sv.Version,
    ApiVersion: sv.ApiVersion,
    APIVersion: omitted(sv.ApiVersion),
    MinAPIVersion: opt(sv.MinAPIVersion, ''),
    GitCommit: sv.GitCommit,
    GoVersion: sv.GoVersion,
    Os: sv.Os,
    Arch: sv.Arch,
    KernelVersion: opt(sv.KernelVersion, ''),
    Experimental: opt(sv.Experimental, false),
    BuildTime: opt(sv.BuildTime, ''),
  });
}

const TEMPLATE_FUNCS = {
  getDetailsOrder: (c: unknown) => sortedKeys((c as { Details?: Record<string, string> | null }).Details),
};

export const command: Command = {
  path: 'version',
  usage: '[OPTIONS]',
  description: 'Show the berth version information',
  flags: [{ name: 'format', short: 'f', type: 'string', usage: INSPECT_FORMAT_HELP }],
  interspersed: true,
  args: { kind: 'none' },
  async run(ctx, flags) {
    const format = flags.getString('format');
    const source = format === '' ? DEFAULT_TEMPLATE : format;
    let tmpl: Template | undefined;
    if (format !== 'json') {
      try {
        tmpl = parseTemplate(source, TEMPLATE_FUNCS);
      } catch (e: unknown) {
        if (e instanceof TemplateError) throw new ExitError(64, `template parsing error: ${templateErrorText(e, source, 'version')}`);
        throw e;
      }
    }
    const client: ClientVersion = {
      Version: BERTH_VERSION,
      APIVersion: CLIENT_API_VERSION,
      DefaultAPIVersion: CLIENT_API_VERSION,
      GitCommit: '',
      NodeVersion: process.version,
      Os: process.platform,
      Arch: goArch(),
      BuildTime: '',
      Context: 'default',
    };
    let server: SystemVersionResponse | undefined;
    let failure: unknown;
    try {
      const api = await ctx.client();
      const apiVersion = await api.apiVersion();
      server = await api.json<SystemVersionResponse>('GET', '/version');
      Object.assign(client, { APIVersion: apiVersion });
    } catch (e: unknown) {
      failure = e;
    }
    const comps = server === undefined ? [] : components(server);
    let text = '';
    let templateError: string | undefined;
    if (tmpl === undefined) {
      text = parseTemplate('{{json .}}').execute({ Client: clientView(client), Server: server === undefined ? null : serverView(server, comps) });
    } else {
      const data = goStruct('system.versionInfo', {
        Client: clientView(client),
        Server: server === undefined ? nilStruct('*types.Version') : serverView(server, comps),
      });
      try {
        text = tmpl.execute(data);
      } catch (e: unknown) {
        if (!(e instanceof TemplateError)) throw e;
        templateError = templateErrorText(e, source, 'version');
      }
    }
    ctx.out(formatTable(`${text}\n`, { minWidth: 20, tabWidth: 1, padding: 1, padChar: ' ' }));
    if (failure !== undefined) throw new ExitError(1, errorText(failure));
    if (templateError !== undefined) throw new ExitError(1, templateError);
    return 0;
  },
};
