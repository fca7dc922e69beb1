// Pure: YAML text → Kubernetes objects. Multi-document files, `List` objects flattened, every object checked
// for apiVersion, kind and metadata.name; errors name the file and the line.
import { LineCounter, isNode, parseAllDocuments } from 'yaml';
import { atLocation } from '../../report/annotation.ts';
import { ManifestError, isRecord, type KubeObject, type SourcedObject } from './objects.ts';

/** Where in its file an object starts: for the message (`k8s/app.yaml:12`) and the annotation. */
interface Place {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  /** `file:line`, and which item of a List. */
  readonly where: string;
}

/** A ManifestError annotated on the place's line. */
function placed(place: Place, message: string): ManifestError {
  return atLocation(new ManifestError(message), {
    file: place.file,
    line: place.line,
    ...(place.column ? { column: place.column } : {}),
    title: 'Manifest',
  });
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function checkObject(value: unknown, place: Place): KubeObject {
  const { where } = place;
  if (!isRecord(value))
    throw placed(
      place,
      `${where}: a manifest must be a mapping (an object), not ${Array.isArray(value) ? 'a list' : typeof value}.`,
    );
  const { apiVersion, kind, metadata } = value;
  const missing = [
    typeof apiVersion === 'string' && apiVersion ? undefined : 'apiVersion',
    typeof kind === 'string' && kind ? undefined : 'kind',
    isRecord(metadata) && typeof metadata.name === 'string' && metadata.name ? undefined : 'metadata.name',
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    throw placed(
      place,
      `${where}: the object${typeof kind === 'string' ? ` (kind ${kind})` : ''} has no ${missing.join(', ')}. Every manifest needs apiVersion, kind and metadata.name.`,
    );
  }
  const name = (metadata as { name: string }).name;
  if (name.length > 253 || !NAME.test(name)) {
    throw placed(
      place,
      `${where}: "${name}" is not a Kubernetes object name (lowercase letters, digits, - and ., up to 253).`,
    );
  }
  const ns = (metadata as { namespace?: unknown }).namespace;
  if (ns !== undefined && (typeof ns !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns))) {
    throw placed(place, `${where}: metadata.namespace ${JSON.stringify(ns)} is not a namespace name.`);
  }
  return value as KubeObject;
}

/** Pure: the objects of one YAML file (`file` is only for messages). Empty documents are skipped. */
export function parseManifests(text: string, file: string): SourcedObject[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: SourcedObject[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
      throw placed(
        { file, line: pos.line, column: pos.col, where: `${file}:${pos.line}` },
        `${file}:${pos.line}: not valid YAML: ${error.message.split('\n')[0] ?? error.code}`,
      );
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const start = doc.contents?.range?.[0] ?? 0;
    const { line } = lines.linePos(start);
    const where = `${file}:${line}`;
    const place: Place = { file, line, where };
    // `List` (kubectl get -o yaml) and typed lists (`ConfigMapList`) carry their objects in `items`.
    if (isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List')) {
      const items = value.items;
      if (!Array.isArray(items)) throw placed(place, `${where}: a ${value.kind} needs an items list.`);
      items.forEach((item, i) => {
        const source = `${where} (items[${i}])`;
        const node = doc.getIn(['items', i], true);
        const itemPos = isNode(node) && node.range ? lines.linePos(node.range[0]) : undefined;
        const itemPlace = itemPos
          ? { file, line: itemPos.line, column: itemPos.col, where: source }
          : { ...place, where: source };
        objects.push({ object: checkObject(item, itemPlace), source });
      });
      continue;
    }
    objects.push({ object: checkObject(value, place), source: where });
  }
  return objects;
}
