// The OpenAPI documents of a sandbox cluster, which kubectl needs to validate what it applies: v2 at
// `/openapi/v2` (kubectl asks for it in gnostic's protobuf encoding, `application/com.github.proto-openapi.
// spec.v2@v1.0+protobuf`, and cannot read JSON there) and v3 at `/openapi/v3` (an index of one JSON document
// per group-version). Each served kind is a definition carrying `x-kubernetes-group-version-kind`, with
// `apiVersion`, `kind`, a full `metadata` (ObjectMeta) and a free-form `spec`/`status`: kubectl's client-side
// validation then rejects unknown top-level and metadata fields as Kubernetes does, but not unknown fields
// inside `spec` (a documented limit of the sandbox). No operation advertises `fieldValidation`, so kubectl
// validates on the client, as with a server that has no server-side field validation.
// https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-interface-definition
import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf, type Json, type ResourceType } from './model.ts';

const GROUP_PACKAGE: Record<string, string> = {
  '': 'core',
  apps: 'apps',
  'events.k8s.io': 'events',
  'networking.k8s.io': 'networking',
  autoscaling: 'autoscaling',
  batch: 'batch',
};

/** Top-level fields of the kinds that keep them outside spec/status. */
const TOP_LEVEL: Record<string, string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  ControllerRevision: ['data', 'revision'],
};

export function definitionName(r: ResourceType): string {
  return `io.k8s.api.${GROUP_PACKAGE[r.group] ?? r.group}.${r.version}.${r.kind}`;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const OWNER = 'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference';
const MANAGED = 'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry';

/** A schema in the subset both documents share (v3 `$ref`s are rewritten per document). */
interface Schema {
  type?: 'object' | 'string' | 'integer' | 'boolean' | 'array';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  items?: Schema;
  required?: string[];
  ref?: string;
  gvk?: { group: string; version: string; kind: string }[];
}

const str: Schema = { type: 'string' };
const map: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const freeForm: Schema = { description: 'free-form in the sandbox: its fields are not validated' };

function definitions(): Record<string, Schema> {
  const defs: Record<string, Schema> = {
    [META]: {
      type: 'object',
      properties: {
        annotations: map,
        creationTimestamp: { type: 'string', format: 'date-time' },
        deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
        deletionTimestamp: { type: 'string', format: 'date-time' },
        finalizers: { type: 'array', items: str },
        generateName: str,
        generation: { type: 'integer', format: 'int64' },
        labels: map,
        managedFields: { type: 'array', items: { ref: MANAGED } },
        name: str,
        namespace: str,
        ownerReferences: { type: 'array', items: { ref: OWNER } },
        resourceVersion: str,
        selfLink: str,
        uid: str,
      },
    },
    [OWNER]: {
      type: 'object',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      properties: {
        apiVersion: str,
        blockOwnerDeletion: { type: 'boolean' },
        controller: { type: 'boolean' },
        kind: str,
        name: str,
        uid: str,
      },
    },
    [MANAGED]: {
      type: 'object',
      properties: {
        apiVersion: str,
        fieldsType: str,
        fieldsV1: freeForm,
        manager: str,
        operation: str,
        subresource: str,
        time: { type: 'string', format: 'date-time' },
      },
    },
  };
  for (const r of RESOURCES) {
    const properties: Record<string, Schema> = { apiVersion: str, kind: str, metadata: { ref: META } };
    if (r.kind === 'Event') {
      // Events keep their fields at the top level; validated loosely like a spec.
      Object.assign(properties, Object.fromEntries(EVENT_FIELDS.map((f) => [f, freeForm])));
    } else if (TOP_LEVEL[r.kind]) {
      Object.assign(properties, Object.fromEntries(TOP_LEVEL[r.kind]!.map((f) => [f, freeForm])));
    } else {
      properties.spec = freeForm;
      properties.status = freeForm;
    }
    defs[definitionName(r)] = {
      type: 'object',
      properties,
      gvk: [{ group: r.group, version: r.version, kind: r.kind }],
    };
  }
  return defs;
}

const EVENT_FIELDS = [
  'action',
  'count',
  'deprecatedCount',
  'deprecatedFirstTimestamp',
  'deprecatedLastTimestamp',
  'deprecatedSource',
  'eventTime',
  'firstTimestamp',
  'involvedObject',
  'lastTimestamp',
  'message',
  'note',
  'reason',
  'regarding',
  'related',
  'reportingComponent',
  'reportingController',
  'reportingInstance',
  'series',
  'source',
  'type',
];

// ---- v3 (JSON) -------------------------------------------------------------------------------------------

function toV3(s: Schema): Json {
  if (s.ref) return { allOf: [{ $ref: `#/components/schemas/${s.ref}` }] };
  const out: Json = {};
  if (s.description) out.description = s.description;
  if (s.type) out.type = s.type;
  if (s.format) out.format = s.format;
  if (s.required) out.required = s.required;
  if (s.properties)
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toV3(v)]));
  if (s.additionalProperties) out.additionalProperties = toV3(s.additionalProperties);
  if (s.items) out.items = toV3(s.items);
  if (s.gvk) out['x-kubernetes-group-version-kind'] = s.gvk;
  return out;
}

/** The paths of the v3 index: `api/v1`, `apis/apps/v1`, … (what the discovery documents serve). */
export function groupVersionPaths(): string[] {
  return [...new Set(RESOURCES.map((r) => (r.group ? `apis/${apiVersionOf(r)}` : `api/${r.version}`)))];
}

export function v3Document(gvPath: string): Json | undefined {
  const gv = gvPath.startsWith('apis/') ? gvPath.slice(5) : gvPath.slice(4);
  const served = RESOURCES.filter((r) => apiVersionOf(r) === gv);
  if (!served.length) return undefined;
  const defs = definitions();
  const names = new Set([META, OWNER, MANAGED, ...served.map(definitionName)]);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (ecr-deploy sandbox)', version: 'v1.31.0' },
    paths: {},
    components: {
      schemas: Object.fromEntries([...names].map((n) => [n, toV3(defs[n]!)])),
    },
  };
}

function hashOf(doc: Json): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128).toUpperCase();
}

export function v3Index(): Json {
  return {
    paths: Object.fromEntries(
      groupVersionPaths().map((p) => [
        p,
        { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(v3Document(p))}` },
      ]),
    ),
  };
}

// ---- v2 (gnostic protobuf) -------------------------------------------------------------------------------
// Field numbers from gnostic's openapiv2/OpenAPIv2.proto (the message kubectl decodes): Document{swagger=1,
// info=2, paths=8, definitions=9}, Info{title=1, version=2}, Definitions{additional_properties=1},
// NamedSchema{name=1, value=2}, Schema{_ref=1, format=2, description=4, required=19,
// additional_properties=21, type=22, items=23, properties=25, vendor_extension=31}, TypeItem{value=1},
// ItemsItem{schema=1}, Properties{additional_properties=1}, AdditionalPropertiesItem{schema=1},
// NamedAny{name=1, value=2}, Any{yaml=2}.

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** A length-delimited field (wire type 2): strings and embedded messages. */
function field(num: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([varint((num << 3) | 2), varint(body.length), body]);
}

function msg(...parts: (Buffer | undefined)[]): Buffer {
  return Buffer.concat(parts.filter((p): p is Buffer => p !== undefined));
}

function gvkYaml(gvk: NonNullable<Schema['gvk']>): string {
  return gvk.map((g) => `- group: "${g.group}"\n  kind: ${g.kind}\n  version: ${g.version}\n`).join('');
}

function schemaV2(s: Schema): Buffer {
  if (s.ref) return msg(field(1, `#/definitions/${s.ref}`));
  const named = (entries: [string, Schema][]) =>
    msg(...entries.map(([k, v]) => field(1, msg(field(1, k), field(2, schemaV2(v))))));
  return msg(
    s.format ? field(2, s.format) : undefined,
    s.description ? field(4, s.description) : undefined,
    ...(s.required ?? []).map((r) => field(19, r)),
    s.additionalProperties ? field(21, msg(field(1, schemaV2(s.additionalProperties)))) : undefined,
    s.type ? field(22, msg(field(1, s.type))) : undefined,
    s.items ? field(23, msg(field(1, schemaV2(s.items)))) : undefined,
    s.properties ? field(25, named(Object.entries(s.properties))) : undefined,
    s.gvk
      ? field(31, msg(field(1, 'x-kubernetes-group-version-kind'), field(2, msg(field(2, gvkYaml(s.gvk))))))
      : undefined,
  );
}

let v2Cache: Buffer | undefined;
export function v2Protobuf(): Buffer {
  v2Cache ??= msg(
    field(1, '2.0'),
    field(2, msg(field(1, 'Kubernetes (ecr-deploy sandbox)'), field(2, 'v1.31.0'))),
    field(8, Buffer.alloc(0)),
    field(
      9,
      msg(
        ...Object.entries(definitions()).map(([k, v]) => field(1, msg(field(1, k), field(2, schemaV2(v))))),
      ),
    ),
  );
  return v2Cache;
}

/** The v2 document in JSON, for clients that ask for `application/json`. */
export function v2Json(): Json {
  const toV2 = (s: Schema): Json => {
    if (s.ref) return { $ref: `#/definitions/${s.ref}` };
    const out = toV3(s) as Json;
    if (s.properties)
      out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toV2(v)]));
    if (s.additionalProperties) out.additionalProperties = toV2(s.additionalProperties);
    if (s.items) out.items = toV2(s.items);
    return out;
  };
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes (ecr-deploy sandbox)', version: 'v1.31.0' },
    paths: {},
    definitions: Object.fromEntries(Object.entries(definitions()).map(([k, v]) => [k, toV2(v)])),
  };
}
