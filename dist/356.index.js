export const id = 356;
export const ids = [356];
export const modules = {

/***/ 5356:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prepareManifestsTarget: () => (/* binding */ prepareManifestsTarget)
});

// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./errors.ts
var errors = __webpack_require__(1169);
// EXTERNAL MODULE: ./deploy/target.ts
var deploy_target = __webpack_require__(6561);
// EXTERNAL MODULE: ./eks/kube-client.ts
var kube_client = __webpack_require__(841);
// EXTERNAL MODULE: ../node_modules/yaml/dist/index.js
var dist = __webpack_require__(6637);
// EXTERNAL MODULE: ./eks/manifests/objects.ts
var manifests_objects = __webpack_require__(2779);
;// CONCATENATED MODULE: ./eks/manifests/diff.ts
// Pure: what applying would change — the live object and the server's dry-run answer, both without the
// fields the server keeps for itself, as a unified line diff of their YAML.


const SERVER_METADATA = [
    'managedFields',
    'resourceVersion',
    'uid',
    'creationTimestamp',
    'generation',
    'selfLink',
];
/** Pure: the object without status and the metadata only the server writes. */
function comparable(object) {
    if (!object)
        return undefined;
    const { status: _status, ...rest } = structuredClone(object);
    const metadata = (0,manifests_objects/* isRecord */.u4)(rest.metadata) ? rest.metadata : {};
    for (const key of SERVER_METADATA)
        Reflect.deleteProperty(metadata, key);
    return { ...rest, metadata };
}
/** Pure: a unified diff (`-`, `+`, and up to `context` unchanged lines around each change). */
function diffLines(before, after, context = 3) {
    const n = before.length;
    const m = after.length;
    // Longest common subsequence, from the end (objects are small: a few hundred lines).
    const lcs = new Int32Array((n + 1) * (m + 1));
    const at = (i, j) => lcs[i * (m + 1) + j] ?? 0;
    for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) {
            lcs[i * (m + 1) + j] =
                before[i] === after[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
        }
    }
    const ops = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && before[i] === after[j]) {
            ops.push({ kind: ' ', line: before[i] ?? '' });
            i++;
            j++;
        }
        else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
            ops.push({ kind: '-', line: before[i] ?? '' });
            i++;
        }
        else {
            ops.push({ kind: '+', line: after[j] ?? '' });
            j++;
        }
    }
    const changed = ops.map((o) => o.kind !== ' ');
    const near = (k) => changed.slice(Math.max(0, k - context), k + context + 1).some(Boolean);
    const out = [];
    let skipped = false;
    ops.forEach((op, k) => {
        if (op.kind !== ' ' || near(k)) {
            if (skipped && out.length > 0)
                out.push('  …');
            skipped = false;
            out.push(`${op.kind} ${op.line}`);
        }
        else {
            skipped = true;
        }
    });
    if (!changed.some(Boolean))
        return [];
    return out;
}
/**
 * Pure: a Secret's values never reach a log or the summary: each becomes `***`, or `*** (before)` and
 * `*** (after)` when it changes (as `kubectl diff` masks them).
 */
function maskSecrets(before, after) {
    if (after.kind !== 'Secret')
        return [before, after];
    const b = before ? structuredClone(before) : undefined;
    const a = structuredClone(after);
    for (const field of ['data', 'stringData']) {
        const bv = (0,manifests_objects/* isRecord */.u4)(b?.[field]) ? b[field] : undefined;
        const av = (0,manifests_objects/* isRecord */.u4)(a[field]) ? a[field] : undefined;
        for (const key of new Set([...Object.keys(bv ?? {}), ...Object.keys(av ?? {})])) {
            const same = bv?.[key] === av?.[key];
            if (bv && key in bv)
                bv[key] = same ? '***' : '*** (before)';
            if (av && key in av)
                av[key] = same ? '***' : '*** (after)';
        }
    }
    return [b, a];
}
/** Pure: the diff of one object: `created`, `unchanged`, or its changed lines. */
function diffObject(live, dryRun) {
    const [liveMasked, dryRunMasked] = maskSecrets(comparable(live), comparable(dryRun) ?? {});
    const after = (0,dist/* stringify */.As)(dryRunMasked).trimEnd().split('\n');
    if (!liveMasked)
        return { summary: 'would be created', lines: after.map((l) => `+ ${l}`) };
    const before = (0,dist/* stringify */.As)(liveMasked).trimEnd().split('\n');
    const lines = diffLines(before, after);
    return lines.length === 0 ? { summary: 'unchanged', lines } : { summary: 'would change', lines };
}

// EXTERNAL MODULE: ./eks/manifests/plan.ts
var plan = __webpack_require__(6500);
;// CONCATENATED MODULE: ./eks/manifests/pod-specs.ts
// Pure: where the containers of each workload kind live, and the workload kinds the step waits for.

/** The kinds whose rollout is waited for (Deployments, StatefulSets, DaemonSets; Jobs to completion). */
const WORKLOAD_KINDS = new Set([
    'Deployment.apps',
    'StatefulSet.apps',
    'DaemonSet.apps',
    'Job.batch',
]);
function at(object, path) {
    let value = object;
    for (const p of path)
        value = (0,manifests_objects/* isRecord */.u4)(value) ? value[p] : undefined;
    return (0,manifests_objects/* isRecord */.u4)(value) ? value : undefined;
}
/** The pod template's metadata path, per kind (none for a bare Pod). */
function templatePath(kind) {
    switch (kind) {
        case 'Deployment':
        case 'StatefulSet':
        case 'DaemonSet':
        case 'ReplicaSet':
        case 'Job':
            return ['spec', 'template'];
        case 'CronJob':
            return ['spec', 'jobTemplate', 'spec', 'template'];
        default:
            return undefined;
    }
}
/** The object's pod spec (live, not a copy): a bare Pod's spec, or the pod template's spec. */
function podSpecOf(object) {
    if (object.kind === 'Pod')
        return at(object, ['spec']);
    const path = templatePath(object.kind);
    return path ? at(object, [...path, 'spec']) : undefined;
}
/** Every container of the pod spec, init containers included (live records, to read or to change). */
function containersOf(object) {
    const spec = podSpecOf(object);
    if (!spec)
        return [];
    return [spec.initContainers, spec.containers, spec.ephemeralContainers].flatMap((list) => Array.isArray(list)
        ? list.filter((c) => (0,manifests_objects/* isRecord */.u4)(c) && typeof c.name === 'string')
        : []);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./image/reference.ts
var reference = __webpack_require__(5643);
// EXTERNAL MODULE: ./report/annotation.ts
var annotation = __webpack_require__(1062);
;// CONCATENATED MODULE: ./eks/manifests/patch.ts
// Pure: the two patch formats a kustomization can hold — a strategic merge patch (maps merged, the known
// lists of named items merged by their key, `null` deletes, `$patch: delete|replace`) and a JSON patch
// (RFC 6902: add, remove, replace, move, copy, test).

/** Lists Kubernetes merges by a key instead of replacing (the patchMergeKey of the API's Go types). */
const MERGE_KEYS = {
    containers: 'name',
    initContainers: 'name',
    ephemeralContainers: 'name',
    volumes: 'name',
    env: 'name',
    imagePullSecrets: 'name',
    volumeMounts: 'mountPath',
    volumeDevices: 'devicePath',
    ports: 'containerPort',
    hostAliases: 'ip',
    tolerations: 'key',
    topologySpreadConstraints: 'topologyKey',
};
function mergeList(field, base, patch) {
    const key = MERGE_KEYS[field];
    if (!key || !base.every(manifests_objects/* isRecord */.u4) || !patch.every(manifests_objects/* isRecord */.u4))
        return structuredClone(patch);
    const result = structuredClone(base);
    for (const item of patch) {
        const at = result.findIndex((b) => b[key] !== undefined && b[key] === item[key]);
        if (item.$patch === 'delete') {
            if (at >= 0)
                result.splice(at, 1);
            continue;
        }
        if (at >= 0)
            result[at] = strategicMerge(result[at], item);
        else
            result.push(strategicMerge({}, item));
    }
    return result;
}
/** Pure: `base` with a strategic merge patch applied (neither is modified). */
function strategicMerge(base, patch) {
    if (!(0,manifests_objects/* isRecord */.u4)(patch))
        return structuredClone(patch);
    if (patch.$patch === 'replace') {
        const { $patch: _, ...rest } = patch;
        return structuredClone(rest);
    }
    const result = (0,manifests_objects/* isRecord */.u4)(base) ? structuredClone(base) : {};
    for (const [field, value] of Object.entries(patch)) {
        if (field === '$patch')
            continue;
        if (value === null) {
            Reflect.deleteProperty(result, field);
        }
        else if (Array.isArray(value) && Array.isArray(result[field])) {
            result[field] = mergeList(field, result[field], value);
        }
        else if ((0,manifests_objects/* isRecord */.u4)(value)) {
            if (value.$patch === 'delete')
                Reflect.deleteProperty(result, field);
            else
                result[field] = strategicMerge(result[field], value);
        }
        else {
            result[field] = structuredClone(value);
        }
    }
    return result;
}
function pointer(path) {
    if (path === '')
        return [];
    if (!path.startsWith('/'))
        throw new manifests_objects/* ManifestError */.Sh(`JSON patch path "${path}" must start with /.`);
    return path
        .slice(1)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}
function parentOf(doc, path) {
    const parts = pointer(path);
    const key = parts.pop();
    if (key === undefined)
        throw new manifests_objects/* ManifestError */.Sh(`JSON patch path "${path}" cannot be the whole object.`);
    let parent = doc;
    for (const p of parts) {
        parent = Array.isArray(parent) ? parent[Number(p)] : (0,manifests_objects/* isRecord */.u4)(parent) ? parent[p] : undefined;
        if (parent === undefined)
            throw new manifests_objects/* ManifestError */.Sh(`JSON patch path "${path}": "${p}" does not exist.`);
    }
    return { parent, key };
}
function read(doc, path) {
    const { parent, key } = parentOf(doc, path);
    const value = Array.isArray(parent) ? parent[Number(key)] : (0,manifests_objects/* isRecord */.u4)(parent) ? parent[key] : undefined;
    if (value === undefined)
        throw new manifests_objects/* ManifestError */.Sh(`JSON patch path "${path}" does not exist.`);
    return value;
}
function remove(doc, path) {
    const { parent, key } = parentOf(doc, path);
    read(doc, path);
    if (Array.isArray(parent))
        parent.splice(Number(key), 1);
    else
        Reflect.deleteProperty(parent, key);
}
function add(doc, path, value, replace) {
    const { parent, key } = parentOf(doc, path);
    if (replace)
        read(doc, path);
    if (Array.isArray(parent)) {
        const index = key === '-' ? parent.length : Number(key);
        if (!Number.isInteger(index) || index < 0 || index > parent.length)
            throw new manifests_objects/* ManifestError */.Sh(`JSON patch path "${path}": index ${key} is out of range.`);
        parent.splice(index, replace ? 1 : 0, structuredClone(value));
    }
    else if ((0,manifests_objects/* isRecord */.u4)(parent)) {
        parent[key] = structuredClone(value);
    }
    else {
        throw new manifests_objects/* ManifestError */.Sh(`JSON patch path "${path}": its parent is not an object or a list.`);
    }
}
/** Pure: `doc` with a JSON patch applied (not modified). Throws ManifestError on a path that does not exist. */
function applyJsonPatch(doc, operations) {
    const result = structuredClone(doc);
    for (const op of operations) {
        switch (op.op) {
            case 'add':
                add(result, op.path, op.value, false);
                break;
            case 'replace':
                add(result, op.path, op.value, true);
                break;
            case 'remove':
                remove(result, op.path);
                break;
            case 'move': {
                const value = read(result, op.from ?? '');
                remove(result, op.from ?? '');
                add(result, op.path, value, false);
                break;
            }
            case 'copy':
                add(result, op.path, read(result, op.from ?? ''), false);
                break;
            case 'test':
                if (JSON.stringify(read(result, op.path)) !== JSON.stringify(op.value))
                    throw new manifests_objects/* ManifestError */.Sh(`JSON patch test of "${op.path}" failed.`);
                break;
            default:
                throw new manifests_objects/* ManifestError */.Sh(`JSON patch operation "${op.op}" is not one of add, remove, replace, move, copy, test.`);
        }
    }
    return result;
}

;// CONCATENATED MODULE: ./eks/manifests/kustomize.ts
// A kustomization, built in-process: resources (files and other kustomization folders), patches
// (strategic merge and JSON 6902), images, namespace, namePrefix and commonLabels. Any other field is an
// error that names it: a field silently ignored would deploy something else than `kustomize build` does.





const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED = [
    'apiVersion',
    'kind',
    'resources',
    'namespace',
    'namePrefix',
    'commonLabels',
    'images',
    'patches',
    'patchesStrategicMerge',
    'patchesJson6902',
];
function kustomizationIn(dir, files) {
    return KUSTOMIZATION_FILES.map((f) => external_node_path_default().join(dir, f)).find((f) => files.exists(f));
}
function strings(value, where, field) {
    if (value === undefined)
        return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        throw new manifests_objects/* ManifestError */.Sh(`${where}: ${field} must be a list of strings.`);
    return value;
}
/** Pure: the repository part of an image (no tag, no digest). */
function imageName(image) {
    const noDigest = image.split('@')[0] ?? image;
    const slash = noDigest.lastIndexOf('/');
    const colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.slice(0, colon) : noDigest;
}
/** Pure: `kustomize edit set image`'s rule for one image string. */
function applyImageRule(image, rule) {
    if (imageName(image) !== rule.name)
        return image;
    const name = rule.newName ?? rule.name;
    if (rule.digest)
        return `${name}@${rule.digest}`;
    if (rule.newTag)
        return `${name}:${rule.newTag}`;
    return `${name}${image.slice(imageName(image).length)}`;
}
function matchesSelector(labels, selector) {
    return selector
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .every((term) => {
        const [k, v] = term.split(/!?=/);
        const value = labels?.[k.trim()];
        if (v === undefined)
            return value !== undefined;
        return term.includes('!=') ? value !== v.trim() : value === v.trim();
    });
}
function targets(object, target) {
    if (target.kind && target.kind !== object.kind)
        return false;
    if (target.name && target.name !== object.metadata.name)
        return false;
    if (target.namespace && target.namespace !== (object.metadata.namespace ?? ''))
        return false;
    if (target.group !== undefined && target.group !== (0,manifests_objects/* groupOf */.F8)(object.apiVersion))
        return false;
    if (target.version && !object.apiVersion.endsWith(target.version))
        return false;
    if (target.labelSelector && !matchesSelector(object.metadata.labels, target.labelSelector))
        return false;
    return true;
}
/** Names that `namePrefix` changes in the objects that refer to them (kustomize's name references). */
function prefixReferences(object, rename) {
    const spec = podSpecOf(object);
    if (spec) {
        if (typeof spec.serviceAccountName === 'string')
            spec.serviceAccountName = rename('ServiceAccount', spec.serviceAccountName);
        for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
            if (!(0,manifests_objects/* isRecord */.u4)(v))
                continue;
            if ((0,manifests_objects/* isRecord */.u4)(v.configMap) && typeof v.configMap.name === 'string')
                v.configMap.name = rename('ConfigMap', v.configMap.name);
            if ((0,manifests_objects/* isRecord */.u4)(v.secret) && typeof v.secret.secretName === 'string')
                v.secret.secretName = rename('Secret', v.secret.secretName);
            if ((0,manifests_objects/* isRecord */.u4)(v.persistentVolumeClaim) && typeof v.persistentVolumeClaim.claimName === 'string')
                v.persistentVolumeClaim.claimName = rename('PersistentVolumeClaim', v.persistentVolumeClaim.claimName);
        }
        for (const c of containersOf(object)) {
            for (const from of Array.isArray(c.envFrom) ? c.envFrom : []) {
                if (!(0,manifests_objects/* isRecord */.u4)(from))
                    continue;
                if ((0,manifests_objects/* isRecord */.u4)(from.configMapRef) && typeof from.configMapRef.name === 'string')
                    from.configMapRef.name = rename('ConfigMap', from.configMapRef.name);
                if ((0,manifests_objects/* isRecord */.u4)(from.secretRef) && typeof from.secretRef.name === 'string')
                    from.secretRef.name = rename('Secret', from.secretRef.name);
            }
            for (const e of Array.isArray(c.env) ? c.env : []) {
                const ref = (0,manifests_objects/* isRecord */.u4)(e) && (0,manifests_objects/* isRecord */.u4)(e.valueFrom) ? e.valueFrom : undefined;
                if ((0,manifests_objects/* isRecord */.u4)(ref?.configMapKeyRef) && typeof ref.configMapKeyRef.name === 'string')
                    ref.configMapKeyRef.name = rename('ConfigMap', ref.configMapKeyRef.name);
                if ((0,manifests_objects/* isRecord */.u4)(ref?.secretKeyRef) && typeof ref.secretKeyRef.name === 'string')
                    ref.secretKeyRef.name = rename('Secret', ref.secretKeyRef.name);
            }
        }
    }
    const s = (0,manifests_objects/* isRecord */.u4)(object.spec) ? object.spec : undefined;
    if (object.kind === 'HorizontalPodAutoscaler' && (0,manifests_objects/* isRecord */.u4)(s?.scaleTargetRef)) {
        const ref = s.scaleTargetRef;
        if (typeof ref.name === 'string' && typeof ref.kind === 'string')
            ref.name = rename(ref.kind, ref.name);
    }
    if (object.kind === 'StatefulSet' && typeof s?.serviceName === 'string')
        s.serviceName = rename('Service', s.serviceName);
    if (object.kind === 'Ingress') {
        const backends = [s?.defaultBackend];
        for (const rule of Array.isArray(s?.rules) ? s.rules : []) {
            const paths = (0,manifests_objects/* isRecord */.u4)(rule) && (0,manifests_objects/* isRecord */.u4)(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
            for (const p of paths)
                if ((0,manifests_objects/* isRecord */.u4)(p))
                    backends.push(p.backend);
        }
        for (const b of backends) {
            if ((0,manifests_objects/* isRecord */.u4)(b) && (0,manifests_objects/* isRecord */.u4)(b.service) && typeof b.service.name === 'string')
                b.service.name = rename('Service', b.service.name);
        }
    }
    if ((object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && (0,manifests_objects/* isRecord */.u4)(object.roleRef)) {
        const ref = object.roleRef;
        if (typeof ref.name === 'string' && typeof ref.kind === 'string')
            ref.name = rename(ref.kind, ref.name);
    }
}
function addLabels(record, key, labels) {
    record[key] = { ...((0,manifests_objects/* isRecord */.u4)(record[key]) ? record[key] : {}), ...labels };
}
function commonLabels(object, labels) {
    object.metadata.labels = { ...object.metadata.labels, ...labels };
    const spec = (0,manifests_objects/* isRecord */.u4)(object.spec) ? object.spec : undefined;
    if (!spec)
        return;
    const tpl = templatePath(object.kind);
    if (tpl) {
        let template = object;
        for (const p of tpl)
            template = (0,manifests_objects/* isRecord */.u4)(template) ? template[p] : undefined;
        if ((0,manifests_objects/* isRecord */.u4)(template)) {
            template.metadata = (0,manifests_objects/* isRecord */.u4)(template.metadata) ? template.metadata : {};
            addLabels(template.metadata, 'labels', labels);
        }
    }
    // Selectors too, as kustomize does (a Job's selector is generated by the API server).
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(object.kind)) {
        spec.selector = (0,manifests_objects/* isRecord */.u4)(spec.selector) ? spec.selector : {};
        addLabels(spec.selector, 'matchLabels', labels);
    }
    if (object.kind === 'Service' && (spec.selector === undefined || (0,manifests_objects/* isRecord */.u4)(spec.selector)))
        addLabels(spec, 'selector', labels);
}
function readYamlFile(file, files) {
    try {
        return (0,dist/* parse */.qg)(files.readFile(file), { prettyErrors: true });
    }
    catch (error) {
        const e = error;
        throw new manifests_objects/* ManifestError */.Sh(`${file}${e.linePos?.[0] ? `:${e.linePos[0].line}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`);
    }
}
/**
 * Builds the kustomization in `dir` (its file is `file`). `load` reads a resource file into objects, so the
 * same YAML reading is used everywhere.
 */
function buildKustomization(file, files, load, depth = 0) {
    if (depth > 20)
        throw new manifests_objects/* ManifestError */.Sh(`${file}: kustomizations refer to each other in a cycle.`);
    const dir = external_node_path_default().dirname(file);
    const k = readYamlFile(file, files);
    if (!(0,manifests_objects/* isRecord */.u4)(k))
        throw new manifests_objects/* ManifestError */.Sh(`${file}: a kustomization must be a mapping.`);
    const unsupported = Object.keys(k).filter((f) => !SUPPORTED.includes(f));
    if (unsupported.length > 0) {
        throw new manifests_objects/* ManifestError */.Sh(`${file}: ${unsupported.map((f) => `"${f}"`).join(', ')} ${unsupported.length > 1 ? 'are' : 'is'} not supported in a kustomization here (supported: ${SUPPORTED.slice(2).join(', ')}). Run kustomize build yourself and give its output to manifests, or remove the field.`);
    }
    if (k.kind !== undefined && k.kind !== 'Kustomization')
        throw new manifests_objects/* ManifestError */.Sh(`${file}: kind ${String(k.kind)} is not supported (only Kustomization; Components are not).`);
    let objects = [];
    for (const entry of strings(k.resources, file, 'resources')) {
        if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('github.com/'))
            throw new manifests_objects/* ManifestError */.Sh(`${file}: resource "${entry}" is remote; only local files and folders are supported.`);
        const target = external_node_path_default().resolve(dir, entry);
        if (!files.exists(target))
            throw new manifests_objects/* ManifestError */.Sh(`${file}: resource "${entry}" does not exist (${target}).`);
        if (files.isDirectory(target)) {
            const inner = kustomizationIn(target, files);
            if (!inner)
                throw new manifests_objects/* ManifestError */.Sh(`${file}: resource folder "${entry}" has no kustomization.yaml.`);
            objects.push(...buildKustomization(inner, files, load, depth + 1));
        }
        else {
            objects.push(...load(target));
        }
    }
    const patchList = [];
    const patchFrom = (entry, where) => {
        if (typeof entry.path === 'string')
            return readYamlFile(external_node_path_default().resolve(dir, entry.path), files);
        if (typeof entry.patch === 'string') {
            try {
                return (0,dist/* parse */.qg)(entry.patch);
            }
            catch (error) {
                throw new manifests_objects/* ManifestError */.Sh(`${where}: the inline patch is not valid YAML: ${error.message.split('\n')[0]}`);
            }
        }
        throw new manifests_objects/* ManifestError */.Sh(`${where}: a patch needs path or patch.`);
    };
    const patches = k.patches === undefined ? [] : k.patches;
    if (!Array.isArray(patches))
        throw new manifests_objects/* ManifestError */.Sh(`${file}: patches must be a list.`);
    patches.forEach((entry, i) => {
        const where = `${file} (patches[${i}])`;
        if (!(0,manifests_objects/* isRecord */.u4)(entry))
            throw new manifests_objects/* ManifestError */.Sh(`${where}: a patch is a mapping with path or patch, and target.`);
        if (entry.options !== undefined)
            throw new manifests_objects/* ManifestError */.Sh(`${where}: patch options are not supported.`);
        patchList.push({
            patch: patchFrom(entry, where),
            ...((0,manifests_objects/* isRecord */.u4)(entry.target) ? { target: entry.target } : {}),
            where,
        });
    });
    for (const [i, entry] of strings(k.patchesStrategicMerge, file, 'patchesStrategicMerge').entries()) {
        const where = `${file} (patchesStrategicMerge[${i}])`;
        patchList.push({
            patch: entry.includes('\n') ? (0,dist/* parse */.qg)(entry) : readYamlFile(external_node_path_default().resolve(dir, entry), files),
            where,
        });
    }
    const legacyJson = k.patchesJson6902 === undefined ? [] : k.patchesJson6902;
    if (!Array.isArray(legacyJson))
        throw new manifests_objects/* ManifestError */.Sh(`${file}: patchesJson6902 must be a list.`);
    legacyJson.forEach((entry, i) => {
        const where = `${file} (patchesJson6902[${i}])`;
        if (!(0,manifests_objects/* isRecord */.u4)(entry) || !(0,manifests_objects/* isRecord */.u4)(entry.target))
            throw new manifests_objects/* ManifestError */.Sh(`${where}: needs target and path.`);
        patchList.push({ patch: patchFrom(entry, where), target: entry.target, where });
    });
    for (const { patch, target, where } of patchList) {
        if (Array.isArray(patch)) {
            if (!target)
                throw new manifests_objects/* ManifestError */.Sh(`${where}: a JSON 6902 patch needs a target.`);
            const hits = objects.filter((o) => targets(o.object, target));
            if (hits.length === 0)
                throw new manifests_objects/* ManifestError */.Sh(`${where}: the target matches no resource.`);
            objects = objects.map((o) => {
                if (!targets(o.object, target))
                    return o;
                try {
                    return { ...o, object: applyJsonPatch(o.object, patch) };
                }
                catch (error) {
                    throw new manifests_objects/* ManifestError */.Sh(`${where} on ${o.object.kind} ${o.object.metadata.name}: ${error.message}`);
                }
            });
            continue;
        }
        if (!(0,manifests_objects/* isRecord */.u4)(patch))
            throw new manifests_objects/* ManifestError */.Sh(`${where}: a patch must be a mapping or a JSON 6902 list.`);
        const meta = (0,manifests_objects/* isRecord */.u4)(patch.metadata) ? patch.metadata : {};
        const match = (o) => target
            ? targets(o, target)
            : o.kind === patch.kind &&
                o.metadata.name === meta.name &&
                (typeof patch.apiVersion !== 'string' || (0,manifests_objects/* groupOf */.F8)(patch.apiVersion) === (0,manifests_objects/* groupOf */.F8)(o.apiVersion));
        const hits = objects.filter((o) => match(o.object));
        if (hits.length === 0)
            throw new manifests_objects/* ManifestError */.Sh(`${where}: the patch (${String(patch.kind ?? '?')} ${String(meta.name ?? '?')}) matches no resource.`);
        objects = objects.map((o) => {
            if (!match(o.object))
                return o;
            const patched = strategicMerge(o.object, target ? { ...patch, metadata: { ...meta, name: o.object.metadata.name } } : patch);
            return { ...o, object: patched };
        });
    }
    const images = k.images === undefined ? [] : k.images;
    if (!Array.isArray(images) || !images.every((i) => (0,manifests_objects/* isRecord */.u4)(i) && typeof i.name === 'string'))
        throw new manifests_objects/* ManifestError */.Sh(`${file}: images must be a list of {name, newName, newTag, digest}.`);
    const rules = images;
    const prefix = k.namePrefix === undefined ? '' : String(k.namePrefix);
    const labels = k.commonLabels === undefined ? {} : k.commonLabels;
    if (!(0,manifests_objects/* isRecord */.u4)(labels))
        throw new manifests_objects/* ManifestError */.Sh(`${file}: commonLabels must be a mapping.`);
    const namespace = typeof k.namespace === 'string' ? k.namespace : undefined;
    const renamed = new Set(objects
        .filter((o) => o.object.kind !== 'Namespace')
        .map((o) => `${o.object.kind}/${o.object.metadata.name}`));
    const rename = (kind, name) => prefix && renamed.has(`${kind}/${name}`) ? `${prefix}${name}` : name;
    return objects.map(({ object: original, source }) => {
        const object = structuredClone(original);
        for (const c of containersOf(object)) {
            if (typeof c.image === 'string')
                for (const rule of rules)
                    c.image = applyImageRule(c.image, rule);
        }
        if (prefix) {
            prefixReferences(object, rename);
            if (object.kind !== 'Namespace')
                object.metadata.name = `${prefix}${object.metadata.name}`;
        }
        if (Object.keys(labels).length > 0)
            commonLabels(object, Object.fromEntries(Object.entries(labels).map(([a, b]) => [a, String(b)])));
        if (namespace && !manifests_objects/* CLUSTER_SCOPED_KINDS */.Me.has(object.kind))
            object.metadata.namespace = namespace;
        return { object, source };
    });
}

;// CONCATENATED MODULE: ./eks/manifests/parse.ts
// Pure: YAML text → Kubernetes objects. Multi-document files, `List` objects flattened, every object checked
// for apiVersion, kind and metadata.name; errors name the file and the line.



/** A ManifestError annotated on the place's line. */
function placed(place, message) {
    return (0,annotation/* atLocation */.PE)(new manifests_objects/* ManifestError */.Sh(message), {
        file: place.file,
        line: place.line,
        ...(place.column ? { column: place.column } : {}),
        title: 'Manifest',
    });
}
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
function checkObject(value, place) {
    const { where } = place;
    if (!(0,manifests_objects/* isRecord */.u4)(value))
        throw placed(place, `${where}: a manifest must be a mapping (an object), not ${Array.isArray(value) ? 'a list' : typeof value}.`);
    const { apiVersion, kind, metadata } = value;
    const missing = [
        typeof apiVersion === 'string' && apiVersion ? undefined : 'apiVersion',
        typeof kind === 'string' && kind ? undefined : 'kind',
        (0,manifests_objects/* isRecord */.u4)(metadata) && typeof metadata.name === 'string' && metadata.name ? undefined : 'metadata.name',
    ].filter((m) => m !== undefined);
    if (missing.length > 0) {
        throw placed(place, `${where}: the object${typeof kind === 'string' ? ` (kind ${kind})` : ''} has no ${missing.join(', ')}. Every manifest needs apiVersion, kind and metadata.name.`);
    }
    const name = metadata.name;
    if (name.length > 253 || !NAME.test(name)) {
        throw placed(place, `${where}: "${name}" is not a Kubernetes object name (lowercase letters, digits, - and ., up to 253).`);
    }
    const ns = metadata.namespace;
    if (ns !== undefined && (typeof ns !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns))) {
        throw placed(place, `${where}: metadata.namespace ${JSON.stringify(ns)} is not a namespace name.`);
    }
    return value;
}
/** Pure: the objects of one YAML file (`file` is only for messages). Empty documents are skipped. */
function parseManifests(text, file) {
    const lines = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(text, { lineCounter: lines, prettyErrors: true });
    const list = Array.isArray(docs) ? docs : [docs];
    const objects = [];
    for (const doc of list) {
        const error = doc.errors[0];
        if (error) {
            const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
            throw placed({ file, line: pos.line, column: pos.col, where: `${file}:${pos.line}` }, `${file}:${pos.line}: not valid YAML: ${error.message.split('\n')[0] ?? error.code}`);
        }
        const value = doc.toJS({ maxAliasCount: 100 });
        if (value === null || value === undefined)
            continue;
        const start = doc.contents?.range?.[0] ?? 0;
        const { line } = lines.linePos(start);
        const where = `${file}:${line}`;
        const place = { file, line, where };
        // `List` (kubectl get -o yaml) and typed lists (`ConfigMapList`) carry their objects in `items`.
        if ((0,manifests_objects/* isRecord */.u4)(value) && typeof value.kind === 'string' && value.kind.endsWith('List')) {
            const items = value.items;
            if (!Array.isArray(items))
                throw placed(place, `${where}: a ${value.kind} needs an items list.`);
            items.forEach((item, i) => {
                const source = `${where} (items[${i}])`;
                const node = doc.getIn(['items', i], true);
                const itemPos = (0,dist/* isNode */.Ll)(node) && node.range ? lines.linePos(node.range[0]) : undefined;
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

;// CONCATENATED MODULE: ./eks/manifests/read.ts
// The `manifests` input → objects: files, folders (their YAML files, or their kustomization), globs. Reading
// is I/O; everything after it (kustomize, namespaces, images) is pure and checked before anything changes.








const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** The real file system. */
const diskFiles = {
    readFile: (file) => (0,external_node_fs_.readFileSync)(file, 'utf8'),
    isDirectory: (file) => (0,external_node_fs_.statSync)(file).isDirectory(),
    exists: (file) => (0,external_node_fs_.existsSync)(file),
    listManifests: (dir) => (0,external_node_fs_.readdirSync)(dir)
        .filter((f) => MANIFEST_FILE.test(f))
        .sort()
        .map((f) => external_node_path_default().join(dir, f)),
};
const GLOB = /[*?[{]/;
/** Expands one entry of the input: a glob's matches (sorted), or the path itself. */
function expand(entry, cwd) {
    if (!GLOB.test(entry))
        return [external_node_path_default().resolve(cwd, entry)];
    return (0,external_node_fs_.globSync)(entry, { cwd })
        .map((f) => external_node_path_default().resolve(cwd, f))
        .sort();
}
/**
 * Reads every entry of `manifests` (relative to `cwd`). A folder with a kustomization is built as one; any
 * other folder gives its YAML/JSON files (not its subfolders: use a glob such as `k8s/**\/*.yaml`).
 */
function readManifests(entries, cwd, files = diskFiles) {
    const load = (file) => {
        let text;
        try {
            text = files.readFile(file);
        }
        catch (error) {
            throw new manifests_objects/* ManifestError */.Sh(`${external_node_path_default().relative(cwd, file) || file}: cannot be read (${error.message}).`);
        }
        try {
            return parseManifests(text, external_node_path_default().relative(cwd, file) || file);
        }
        catch (error) {
            // The annotation's path is the file's own, whatever the working directory was.
            const location = (0,annotation/* locationOf */.hD)(error);
            throw location ? (0,annotation/* atLocation */.PE)(error, { ...location, file: external_node_path_default().resolve(cwd, file) }) : error;
        }
    };
    const objects = [];
    for (const entry of entries) {
        const matches = expand(entry, cwd);
        if (matches.length === 0 || !files.exists(matches[0] ?? '')) {
            throw new manifests_objects/* ManifestError */.Sh(`"${entry}" ${GLOB.test(entry) ? 'matches no file' : 'does not exist'} (relative to ${cwd}).`);
        }
        for (const match of matches) {
            if (files.isDirectory(match)) {
                const kustomization = kustomizationIn(match, files);
                if (kustomization) {
                    objects.push(...buildKustomization(kustomization, files, load));
                    continue;
                }
                const inside = files.listManifests(match);
                if (inside.length === 0)
                    throw new manifests_objects/* ManifestError */.Sh(`folder "${entry}" has no .yaml, .yml or .json file.`);
                for (const file of inside)
                    objects.push(...load(file));
            }
            else if (KUSTOMIZATION_FILES.includes(external_node_path_default().basename(match))) {
                objects.push(...buildKustomization(match, files, load));
            }
            else {
                objects.push(...load(match));
            }
        }
    }
    if (objects.length === 0)
        throw new manifests_objects/* ManifestError */.Sh('the files hold no Kubernetes object.');
    return objects;
}
/**
 * Pure: every namespaced object without a namespace gets `namespace`; then no two objects may be the same
 * one (the error names both places).
 */
function fillNamespaces(objects, namespace, isNamespaced) {
    const seen = new Map();
    return objects.map(({ object, source }) => {
        const filled = structuredClone(object);
        if (isNamespaced(filled))
            filled.metadata.namespace ??= namespace;
        else
            delete filled.metadata.namespace;
        const key = (0,manifests_objects/* objectKey */.T5)(filled);
        const before = seen.get(key);
        if (before)
            throw new manifests_objects/* ManifestError */.Sh(`${(0,manifests_objects/* describeObject */.v8)(filled)} is defined twice: ${before} and ${source}.`);
        seen.set(key, source);
        return { object: filled, source };
    });
}
/**
 * Pure: copies of the objects where every container (init containers included) of a Deployment,
 * StatefulSet, DaemonSet, Job, CronJob or Pod whose image is in `repositoryUri` runs `imageRef`.
 */
function substituteImages(objects, image) {
    const changes = [];
    const result = objects.map(({ object, source }) => {
        const copy = structuredClone(object);
        for (const c of containersOf(copy)) {
            if (typeof c.image === 'string' &&
                (0,reference/* imageRepository */.a)(c.image) === image.repositoryUri &&
                c.image !== image.imageRef) {
                changes.push({ object: (0,manifests_objects/* describeObject */.v8)(copy), container: c.name, from: c.image, to: image.imageRef });
                c.image = image.imageRef;
            }
        }
        return { object: copy, source };
    });
    return { objects: result, changes };
}
/** Pure: whether any container of the objects uses the repository. */
function usesRepository(objects, repositoryUri) {
    return objects.some(({ object }) => containersOf(object).some((c) => typeof c.image === 'string' && (0,reference/* imageRepository */.a)(c.image) === repositoryUri));
}

;// CONCATENATED MODULE: ./eks/manifests/resources.ts

/** The version of the built-in groups asked for when only a group-kind is known (a pruned kind). */
const BUILT_IN_VERSIONS = {
    '': 'v1',
    apps: 'apps/v1',
    batch: 'batch/v1',
    autoscaling: 'autoscaling/v2',
    'networking.k8s.io': 'networking.k8s.io/v1',
    'rbac.authorization.k8s.io': 'rbac.authorization.k8s.io/v1',
    policy: 'policy/v1',
    'storage.k8s.io': 'storage.k8s.io/v1',
    'scheduling.k8s.io': 'scheduling.k8s.io/v1',
    'apiextensions.k8s.io': 'apiextensions.k8s.io/v1',
};
/** Pure: `/api/v1` or `/apis/apps/v1`. */
function apiBase(apiVersion) {
    return (0,manifests_objects/* groupOf */.F8)(apiVersion) ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}
/** Pure: the REST path of an object (or of its collection when `name` is undefined). */
function resourcePath(info, namespace, name) {
    const ns = info.namespaced && namespace ? `/namespaces/${namespace}` : '';
    return `${apiBase(info.apiVersion)}${ns}/${info.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
/** Resolves kinds, asking discovery once per group-version. */
class ResourceResolver {
    kube;
    lists = new Map();
    constructor(kube) {
        this.kube = kube;
    }
    list(apiVersion) {
        let list = this.lists.get(apiVersion);
        if (!list) {
            list = this.kube.get(apiBase(apiVersion));
            this.lists.set(apiVersion, list);
        }
        return list;
    }
    async resolve(object) {
        const gk = (0,manifests_objects/* groupKind */.KH)(object);
        const builtIn = manifests_objects/* BUILT_IN_RESOURCES */.$r[gk];
        if (builtIn) {
            return {
                apiVersion: object.apiVersion,
                kind: object.kind,
                resource: builtIn,
                namespaced: !manifests_objects/* CLUSTER_SCOPED_KINDS */.Me.has(object.kind),
            };
        }
        let list;
        try {
            list = await this.list(object.apiVersion);
        }
        catch (error) {
            const status = error.status;
            if (status === 404) {
                throw new manifests_objects/* ManifestError */.Sh(`the cluster does not serve ${object.apiVersion} (kind ${object.kind}): install its CustomResourceDefinition first (a CRD and its objects cannot be applied in one step).`);
            }
            throw error;
        }
        const found = list.resources?.find((r) => r.kind === object.kind && !r.name.includes('/'));
        if (!found) {
            throw new manifests_objects/* ManifestError */.Sh(`the cluster serves ${object.apiVersion} but no kind ${object.kind} in it (${(list.resources ?? [])
                .filter((r) => !r.name.includes('/'))
                .map((r) => r.kind)
                .join(', ')}).`);
        }
        return {
            apiVersion: object.apiVersion,
            kind: object.kind,
            resource: found.name,
            namespaced: found.namespaced,
        };
    }
    /** A group-kind only (`Widget.example.com`, from an ApplySet annotation): its group's preferred version. */
    async resolveGroupKind(gk) {
        const dot = gk.indexOf('.');
        const kind = dot < 0 ? gk : gk.slice(0, dot);
        const group = dot < 0 ? '' : gk.slice(dot + 1);
        let apiVersion = BUILT_IN_VERSIONS[group];
        if (!apiVersion) {
            const g = await this.kube.get(`/apis/${group}`);
            apiVersion = g.preferredVersion?.groupVersion ?? `${group}/v1`;
        }
        return this.resolve({ apiVersion, kind });
    }
}

// EXTERNAL MODULE: ./deploy/duration.ts
var duration = __webpack_require__(5708);
// EXTERNAL MODULE: ./deploy/retry.ts
var retry = __webpack_require__(888);
// EXTERNAL MODULE: ./eks/rollout.ts
var rollout = __webpack_require__(3619);
;// CONCATENATED MODULE: ./eks/manifests/workload-rollout.ts
// Pure: when a StatefulSet, a DaemonSet or a Job is done — `kubectl rollout status`'s rules for the first
// two (kubectl/pkg/polymorphichelpers/rollout_status.go), the Complete/Failed conditions for Jobs — and
// which pods belong to the revision we applied.

const num = (v) => (typeof v === 'number' ? v : undefined);
const rec = (v) => ((0,manifests_objects/* isRecord */.u4)(v) ? v : {});
function superseded(object, ourGeneration) {
    const generation = num(object.metadata.generation) ?? 0;
    if (generation <= ourGeneration)
        return undefined;
    return {
        kind: 'failed',
        reason: `someone else changed ${object.kind} ${object.metadata.name} while it rolled out (generation ${generation}, ours was ${ourGeneration})`,
        superseded: true,
    };
}
/** kubectl's StatefulSet rule, for our generation. */
function evaluateStatefulSet(sts, ourGeneration) {
    const newer = superseded(sts, ourGeneration);
    if (newer)
        return newer;
    const spec = rec(sts.spec);
    const status = rec(sts.status);
    const strategy = rec(spec.updateStrategy);
    const name = sts.metadata.name;
    const observed = num(status.observedGeneration) ?? 0;
    if (strategy.type === 'OnDelete') {
        return observed >= ourGeneration
            ? {
                kind: 'completed',
                message: `statefulset "${name}" uses OnDelete: pods change only when deleted (not waited for)`,
            }
            : { kind: 'in-progress', message: 'Waiting for statefulset spec update to be observed...' };
    }
    if (observed === 0 || observed < ourGeneration)
        return { kind: 'in-progress', message: 'Waiting for statefulset spec update to be observed...' };
    const replicas = num(spec.replicas) ?? 1;
    const ready = num(status.readyReplicas) ?? 0;
    if (ready < replicas)
        return { kind: 'in-progress', message: `Waiting for ${replicas - ready} pods to be ready...` };
    const updated = num(status.updatedReplicas) ?? 0;
    const rolling = (0,manifests_objects/* isRecord */.u4)(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
    if ((strategy.type === undefined || strategy.type === 'RollingUpdate') && rolling) {
        const partition = num(rolling.partition);
        if (partition !== undefined && updated < replicas - partition) {
            return {
                kind: 'in-progress',
                message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
            };
        }
        return {
            kind: 'completed',
            message: `partitioned roll out complete: ${updated} new pods have been updated...`,
        };
    }
    if (status.updateRevision !== status.currentRevision) {
        return {
            kind: 'in-progress',
            message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${String(status.updateRevision)}...`,
        };
    }
    return {
        kind: 'completed',
        message: `statefulset rolling update complete ${num(status.currentReplicas) ?? 0} pods at revision ${String(status.currentRevision)}...`,
    };
}
/** kubectl's DaemonSet rule, for our generation. */
function evaluateDaemonSet(ds, ourGeneration) {
    const newer = superseded(ds, ourGeneration);
    if (newer)
        return newer;
    const spec = rec(ds.spec);
    const status = rec(ds.status);
    const name = ds.metadata.name;
    const observed = num(status.observedGeneration) ?? 0;
    if (observed < ourGeneration)
        return { kind: 'in-progress', message: 'Waiting for daemon set spec update to be observed...' };
    if (rec(spec.updateStrategy).type === 'OnDelete')
        return {
            kind: 'completed',
            message: `daemon set "${name}" uses OnDelete: pods change only when deleted (not waited for)`,
        };
    const desired = num(status.desiredNumberScheduled) ?? 0;
    const updated = num(status.updatedNumberScheduled) ?? 0;
    const available = num(status.numberAvailable) ?? 0;
    if (updated < desired)
        return {
            kind: 'in-progress',
            message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
        };
    if (available < desired)
        return {
            kind: 'in-progress',
            message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
        };
    return { kind: 'completed', message: `daemon set "${name}" successfully rolled out` };
}
/** A Job is done when its Complete condition is True, failed when its Failed condition is. */
function evaluateJob(job) {
    const status = rec(job.status);
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []);
    const name = job.metadata.name;
    const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
    if (failed)
        return {
            kind: 'failed',
            reason: `job "${name}" failed: ${failed.reason ?? ''}${failed.message ? ` (${failed.message})` : ''}`.trim(),
        };
    if (conditions.some((c) => c.type === 'Complete' && c.status === 'True'))
        return {
            kind: 'completed',
            message: `job "${name}" completed (${num(status.succeeded) ?? 0} succeeded)`,
        };
    return {
        kind: 'in-progress',
        message: `Waiting for job "${name}" to complete: ${num(status.active) ?? 0} active, ${num(status.succeeded) ?? 0} succeeded, ${num(status.failed) ?? 0} failed...`,
    };
}
/**
 * Pure: whether a pod runs the revision we applied. StatefulSets label theirs with the update revision,
 * DaemonSets with the template generation; without those labels (or for Jobs, whose template cannot change),
 * a pod is ours when it runs exactly the template's images.
 */
function isPodOfOurRevision(workload, pod, ourGeneration) {
    const labels = pod.metadata.labels ?? {};
    const status = rec(workload.status);
    if (workload.kind === 'StatefulSet' &&
        labels['controller-revision-hash'] &&
        typeof status.updateRevision === 'string')
        return labels['controller-revision-hash'] === status.updateRevision;
    if (workload.kind === 'DaemonSet' && labels['pod-template-generation'])
        return labels['pod-template-generation'] === String(ourGeneration);
    const template = rec(rec(rec(workload.spec).template).spec);
    const want = (Array.isArray(template.containers) ? template.containers : []).map((c) => String(rec(c).image));
    const have = (pod.spec?.containers ?? []).map((c) => String(c.image));
    return want.length > 0 && JSON.stringify(want) === JSON.stringify(have);
}

;// CONCATENATED MODULE: ./eks/manifests/wait-workload.ts






const POLL_MS = 1000;
function evaluate(object, ourGeneration) {
    if (object.kind === 'StatefulSet')
        return evaluateStatefulSet(object, ourGeneration);
    if (object.kind === 'DaemonSet')
        return evaluateDaemonSet(object, ourGeneration);
    return evaluateJob(object);
}
/** Pure: the label selector of a workload's pods (a Job's is generated by the API server). */
function podSelector(object) {
    const spec = (0,manifests_objects/* isRecord */.u4)(object.spec) ? object.spec : {};
    const selector = (0,manifests_objects/* isRecord */.u4)(spec.selector) ? spec.selector : {};
    const labels = (0,manifests_objects/* isRecord */.u4)(selector.matchLabels) ? selector.matchLabels : {};
    const terms = Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`);
    if (terms.length === 0 && object.kind === 'Job')
        return `job-name=${object.metadata.name}`;
    return terms.join(',');
}
/** Pure: whether two versions of a workload have the same pod template. */
function sameTemplate(a, b) {
    const template = (o) => JSON.stringify((0,manifests_objects/* isRecord */.u4)(o.spec) ? o.spec.template : undefined);
    return template(a) === template(b);
}
function message(error) {
    return error instanceof Error ? error.message : String(error);
}
async function waitForWorkload(options, applied) {
    const { kube, clock, log, budget } = options;
    const started = clock.now();
    const name = `${applied.kind} ${applied.metadata.name}`;
    const failedPods = new Set();
    const backoff = new retry/* Backoff */.nO({ initialMs: POLL_MS, maxMs: 16_000 });
    let last = applied;
    let ourGeneration = options.ourGeneration;
    let lastMessage = '';
    let failing;
    const revision = () => {
        const status = (0,manifests_objects/* isRecord */.u4)(last.status) ? last.status : {};
        return typeof status.updateRevision === 'string' ? status.updateRevision : undefined;
    };
    for (;;) {
        let delay = POLL_MS;
        try {
            last = await kube.get(options.path);
            last.kind ||= applied.kind;
            // A newer generation with our pod template only scaled (an HPA): it is still our rollout.
            const generation = Number(last.metadata.generation ?? 0);
            if (generation > ourGeneration && sameTemplate(last, applied))
                ourGeneration = generation;
            const verdict = evaluate(last, ourGeneration);
            if (failing) {
                log.info(`${name}: readable again after ${(0,duration/* formatDuration */.a)(clock.now() - failing.since)}.`);
                failing = undefined;
            }
            backoff.reset();
            if (verdict.kind === 'failed')
                return {
                    verdict: {
                        kind: 'failed',
                        reason: verdict.reason,
                        ...(verdict.superseded ? { superseded: true } : {}),
                    },
                    revision: revision(),
                };
            if (verdict.kind === 'completed') {
                log.info(verdict.message);
                return { verdict: { kind: 'completed' }, revision: revision() };
            }
            if (verdict.message !== lastMessage) {
                lastMessage = verdict.message;
                log.info(verdict.message);
            }
            if (budget.failFastAfter > 0) {
                const pods = await kube.get(`${options.podsPath}?labelSelector=${encodeURIComponent(podSelector(last))}`);
                for (const pod of pods.items ?? []) {
                    if (failedPods.has(pod.metadata.name) || !isPodOfOurRevision(last, pod, ourGeneration))
                        continue;
                    const podVerdict = (0,rollout/* classifyPod */.Eg)(pod, budget.failFastAfter);
                    if (!podVerdict.definitive)
                        continue;
                    failedPods.add(pod.metadata.name);
                    const details = await options.explain(pod, podVerdict.crashed);
                    return {
                        verdict: { kind: 'failed', reason: [...podVerdict.problems, ...details].join('\n') },
                        revision: revision(),
                    };
                }
            }
        }
        catch (error) {
            if (error instanceof kube_client/* KubeApiError */.W && error.status === 404 && !failing) {
                return {
                    verdict: { kind: 'failed', reason: `${name} was deleted while it rolled out`, superseded: true },
                };
            }
            if ((0,retry/* classifyError */.fe)(error) === 'permanent') {
                return {
                    verdict: {
                        kind: 'unverified',
                        reason: `${name} cannot be read (${message(error)}); last seen: ${lastMessage || 'nothing yet'}`,
                    },
                    revision: revision(),
                };
            }
            failing ??= { since: clock.now(), error: message(error) };
            failing.error = message(error);
            delay = backoff.next();
        }
        if (clock.now() >= budget.deadline) {
            const waited = (0,duration/* formatDuration */.a)(budget.deadline - started);
            return {
                verdict: failing
                    ? {
                        kind: 'unverified',
                        reason: `${name} could not be read for the last ${(0,duration/* formatDuration */.a)(clock.now() - failing.since)} of the ${waited} wait (${failing.error}); last seen: ${lastMessage}`,
                    }
                    : { kind: 'timed-out', reason: `not done after ${waited}; last state: ${lastMessage}` },
                revision: revision(),
            };
        }
        await clock.sleep(Math.min(delay, Math.max(0, budget.deadline - clock.now())));
    }
}

// EXTERNAL MODULE: ./eks/target.ts + 3 modules
var eks_target = __webpack_require__(7077);
// EXTERNAL MODULE: ./eks/watch.ts
var watch = __webpack_require__(4129);
;// CONCATENATED MODULE: ./eks/manifests-target.ts
// Kubernetes manifests on EKS as a deploy target: the objects are read and checked (a server-side dry run
// of every one) before anything is built; then applied server-side in dependency order, pruned when asked,
// and every workload among them is waited for as one unit of the driver.














const manifests_target_message = (error) => (error instanceof Error ? error.message : String(error));
/** Runs `fn`; its error says what was being done. */
async function withinStep(what, fn) {
    try {
        return await fn();
    }
    catch (error) {
        throw new Error(`${what}: ${manifests_target_message(error)}`, { cause: error });
    }
}
const within = (what, fn) => withinStep(`Pruning: ${what}`, fn);
async function getOrUndefined(kube, path) {
    try {
        return await kube.get(path);
    }
    catch (error) {
        if (error instanceof kube_client/* KubeApiError */.W && error.status === 404)
            return undefined;
        throw error;
    }
}
function applyQuery(options) {
    return `?fieldManager=${plan/* FIELD_MANAGER */.vy}${options.force ? '&force=true' : ''}${options.dryRun ? '&dryRun=All' : ''}`;
}
/**
 * Reads the manifests and the cluster's side of them (kinds, live objects, HPAs, the ApplySet parent) and
 * checks every object with a server-side dry run. Nothing is changed; errors name the input or the object.
 */
async function prepareManifestsTarget(options) {
    const { target, kube, log, clock } = options;
    const { manifests } = target;
    const resolver = new ResourceResolver(kube);
    let entries;
    try {
        const read = readManifests(manifests.entries, manifests.cwd);
        const infos = new Map();
        for (const { object } of read) {
            const key = `${object.apiVersion}/${object.kind}`;
            if (!infos.has(key))
                infos.set(key, await resolver.resolve(object));
        }
        const info = (o) => infos.get(`${o.apiVersion}/${o.kind}`);
        const namespaced = (o) => info(o).namespaced;
        const filled = fillNamespaces(read, target.namespace, namespaced);
        const objects = options.transform ? options.transform(filled, namespaced) : filled;
        // A transform may add objects (a preview its namespace) of kinds the manifests do not have.
        for (const { object } of objects) {
            const key = `${object.apiVersion}/${object.kind}`;
            if (!infos.has(key))
                infos.set(key, await resolver.resolve(object));
        }
        entries = [];
        for (const sourced of (0,plan/* inApplyOrder */.ub)(objects)) {
            const i = info(sourced.object);
            const live = await getOrUndefined(kube, resourcePath(i, sourced.object.metadata.namespace, sourced.object.metadata.name));
            if (live) {
                live.apiVersion ||= sourced.object.apiVersion;
                live.kind ||= sourced.object.kind;
            }
            entries.push({ sourced, info: i, live });
        }
    }
    catch (error) {
        if (error instanceof manifests_objects/* ManifestError */.Sh)
            throw new errors/* InputError */.dz(contract/* Input */.pd.Manifests, error.message);
        throw error;
    }
    if (!usesRepository(entries.map((e) => e.sourced), options.repositoryUri)) {
        log.warning(`No container in the manifests uses ${options.repositoryUri}: they are applied as they are, without the new image.`);
    }
    const parentName = (0,plan/* applySetParentName */.Uu)(options.repositoryUri);
    const id = (0,plan/* applySetId */.A3)({ name: parentName, namespace: target.namespace, kind: 'Secret', group: '' });
    const parentPath = `/api/v1/namespaces/${target.namespace}/secrets/${parentName}`;
    const parentBefore = manifests.prune ? await getOrUndefined(kube, parentPath) : undefined;
    for (const e of entries) {
        const other = (0,plan/* otherApplySet */.$X)(e.live, id);
        if (manifests.prune && other) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Manifests, `${(0,manifests_objects/* describeObject */.v8)(e.sourced.object)} belongs to another ApplySet (${plan/* PART_OF_LABEL */.vr}=${other}); it is not taken over. Remove it from the manifests or from that set.`);
        }
    }
    // HPAs of the manifests and of the cluster, in every namespace the manifests use.
    const namespaces = [
        ...new Set(entries.map((e) => e.sourced.object.metadata.namespace).filter((n) => !!n)),
    ];
    const hpas = entries
        .filter((e) => e.sourced.object.kind === 'HorizontalPodAutoscaler')
        .map((e) => e.sourced.object);
    for (const ns of namespaces) {
        try {
            const list = await kube.get(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`);
            for (const hpa of list.items ?? [])
                hpas.push({ ...hpa, metadata: { ...hpa.metadata, namespace: hpa.metadata.namespace ?? ns } });
        }
        catch (error) {
            if (!(error instanceof kube_client/* KubeApiError */.W && error.status === 404)) {
                log.warning(`Could not list the HPAs of namespace ${ns} (${manifests_target_message(error)}); only those in the manifests are considered.`);
            }
        }
    }
    const scaled = (0,plan/* scaledByHpa */.NM)(hpas);
    // Namespaces the manifests create: objects in them cannot be dry-run before they exist.
    const created = new Set(entries
        .filter((e) => e.sourced.object.kind === 'Namespace' && !e.live)
        .map((e) => e.sourced.object.metadata.name));
    /** The objects as they are applied for an image: digest, HPA-safe replicas, ApplySet label. */
    const render = (image, notes) => {
        const { objects } = substituteImages(entries.map((e) => e.sourced), image);
        return objects.map((o, i) => {
            const entry = entries[i];
            const safe = (0,plan/* hpaSafe */.Pd)(o.object, scaled, entry.live);
            if (safe.note)
                notes?.push(safe.note);
            return { entry, object: manifests.prune ? (0,plan/* withPartOfLabel */.FA)(safe.object, id) : safe.object };
        });
    };
    const apply = async (object, info, dryRun) => {
        try {
            return await kube.patch(`${resourcePath(info, object.metadata.namespace, object.metadata.name)}${applyQuery({ force: manifests.forceConflicts, dryRun })}`, object, 'apply');
        }
        catch (error) {
            if (error instanceof kube_client/* KubeApiError */.W && error.status === 409) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.Manifests, (0,plan/* describeConflicts */.lP)(object, error.message, error.causes));
            }
            if (error instanceof kube_client/* KubeApiError */.W && (error.status === 422 || error.status === 400)) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.Manifests, `${(0,manifests_objects/* describeObject */.v8)(object)} is refused by the API server: ${error.message}`);
            }
            throw new Error(`${dryRun ? 'Dry run of ' : 'Applying '}${(0,manifests_objects/* describeObject */.v8)(object)}: ${manifests_target_message(error)}`, {
                cause: error,
            });
        }
    };
    /** Every object checked by the API server (dryRun=All): a conflict or an invalid object stops here. */
    const dryRunAll = async (image) => {
        const answers = new Map();
        for (const { entry, object } of render(image)) {
            if (object.metadata.namespace && created.has(object.metadata.namespace))
                continue;
            answers.set((0,manifests_objects/* objectKey */.T5)(object), await apply(object, entry.info, true));
        }
        return answers;
    };
    const stand = (0,deploy_target/* standInImage */.P)(options.repositoryUri);
    const checked = await dryRunAll(stand);
    /** Per object: the diff of the live object and the dry run's answer, with the image the plan deploys. */
    const diffFor = (imageRef) => {
        const diffs = new Map();
        for (const { entry, object } of render(stand)) {
            const key = (0,manifests_objects/* objectKey */.T5)(object);
            const checkedAnswer = checked.get(key);
            const answer = checkedAnswer
                ? JSON.parse(JSON.stringify(checkedAnswer).split(stand.imageRef).join(imageRef))
                : undefined;
            const d = answer
                ? diffObject(entry.live, answer)
                : {
                    summary: `would be created (in namespace ${object.metadata.namespace ?? ''}, which these manifests create)`,
                    lines: [],
                };
            diffs.set(key, [`${(0,manifests_objects/* describeObject */.v8)(object)}: ${d.summary}`, ...d.lines.map((l) => `  ${l}`)]);
        }
        return diffs;
    };
    log.info(`${entries.length} object(s) from the manifests checked by a server-side dry run.`);
    const workloads = entries.filter((e) => WORKLOAD_KINDS.has((0,manifests_objects/* groupKind */.KH)(e.sourced.object)));
    const units = (workloads.length ? workloads : []).map((e) => ({
        key: (0,manifests_objects/* objectKey */.T5)(e.sourced.object),
        kind: e.sourced.object.kind,
        name: e.sourced.object.metadata.name,
        namespace: e.sourced.object.metadata.namespace ?? target.namespace,
        live: e.live,
        info: e.info,
    }));
    if (units.length === 0) {
        units.push({
            key: '',
            kind: 'objects',
            name: `${entries.length}-objects`,
            namespace: target.namespace,
            live: undefined,
            info: undefined,
        });
    }
    const firstKey = units[0]?.key;
    const workloadKeys = new Set(units.map((u) => u.key));
    const appliedObjects = new Map();
    /** The dry run's diff as printed, per unit, for its result. */
    const previews = new Map();
    const prune = async (current) => {
        const before = (0,plan/* parseList */.E1)(parentBefore?.metadata.annotations?.[plan/* CONTAINS_GROUP_KINDS_ANNOTATION */.Ke]);
        const kinds = new Set([...before, ...current.map(manifests_objects/* groupKind */.KH)]);
        const spaces = new Set([
            target.namespace,
            ...(0,plan/* parseList */.E1)(parentBefore?.metadata.annotations?.[plan/* ADDITIONAL_NAMESPACES_ANNOTATION */.L4]),
            ...current.map((o) => o.metadata.namespace ?? ''),
        ]);
        const live = [];
        for (const gk of kinds) {
            const info = await resolver.resolveGroupKind(gk);
            const paths = info.namespaced
                ? [...spaces].filter(Boolean).map((ns) => resourcePath(info, ns))
                : [resourcePath(info, undefined)];
            for (const p of paths) {
                const list = await within(`listing ${p}`, () => kube.get(`${p}?labelSelector=${encodeURIComponent(`${plan/* PART_OF_LABEL */.vr}=${id}`)}`));
                for (const item of list.items ?? [])
                    live.push({ ...item, apiVersion: info.apiVersion, kind: info.kind });
            }
        }
        for (const o of (0,plan/* pruneCandidates */.Bu)(live, current, id)) {
            const info = await resolver.resolve(o);
            try {
                await kube.delete(resourcePath(info, o.metadata.namespace, o.metadata.name), {
                    apiVersion: 'v1',
                    kind: 'DeleteOptions',
                    propagationPolicy: 'Background',
                });
                log.info(`${(0,manifests_objects/* describeObject */.v8)(o)}: pruned (applied by an earlier run, no longer in the manifests)`);
            }
            catch (error) {
                if (!(error instanceof kube_client/* KubeApiError */.W && error.status === 404))
                    throw new Error(`Pruning ${(0,manifests_objects/* describeObject */.v8)(o)}: ${manifests_target_message(error)}`, { cause: error });
            }
        }
    };
    const writeParent = (groupKinds, spaces) => withinStep(`writing the ApplySet parent Secret ${target.namespace}/${parentName}`, () => kube.patch(`${parentPath}${applyQuery({ force: true, dryRun: false })}`, (0,plan/* applySetParent */.xE)({ name: parentName, namespace: target.namespace, id, groupKinds, namespaces: spaces }), 'apply'));
    const nameOf = (unit) => unit.kind === 'objects'
        ? `${unit.namespace}/${unit.name}`
        : `${unit.namespace}/${unit.kind.toLowerCase()}/${unit.name}`;
    return {
        units,
        nameOf,
        render: (_unit, image) => ({ image }),
        // Whether anything changes is the API server's answer to the apply; a workload it leaves as it was is
        // done at once.
        unchanged: () => false,
        preview(unit, plan) {
            const diffs = diffFor(plan.image.imageRef);
            const lines = [...(diffs.get(unit.key) ?? [])];
            if (unit.key === firstKey) {
                for (const [key, d] of diffs)
                    if (!workloadKeys.has(key))
                        lines.push(...d);
            }
            previews.set(unit.key, lines.join('\n'));
            return ['dry run (server-side, dryRun=All):', ...lines];
        },
        async beforeApply(items) {
            const image = items[0]?.plan.image ?? stand;
            const notes = [];
            const objects = render(image, notes);
            for (const note of notes)
                log.info(note);
            // Checked again with the real image: a conflict that appeared since is still found before any change.
            await dryRunAll(image);
            if (manifests.prune) {
                // The parent lists the kinds before they are applied, so an interrupted run can still prune them.
                const before = (0,plan/* parseList */.E1)(parentBefore?.metadata.annotations?.[plan/* CONTAINS_GROUP_KINDS_ANNOTATION */.Ke]);
                const spaces = (0,plan/* parseList */.E1)(parentBefore?.metadata.annotations?.[plan/* ADDITIONAL_NAMESPACES_ANNOTATION */.L4]);
                await writeParent([...before, ...objects.map((o) => (0,manifests_objects/* groupKind */.KH)(o.object))], [...spaces, ...objects.map((o) => o.object.metadata.namespace ?? '')]);
            }
            const done = [];
            for (const { entry, object } of objects) {
                let answer;
                try {
                    answer = await apply(object, entry.info, false);
                }
                catch (error) {
                    throw new Error(`${manifests_target_message(error)}${done.length ? ` (already applied: ${done.join(', ')})` : ' (nothing was applied)'}`, { cause: error });
                }
                answer.kind ||= object.kind;
                answer.apiVersion ||= object.apiVersion;
                appliedObjects.set((0,manifests_objects/* objectKey */.T5)(object), answer);
                const how = !entry.live
                    ? 'created'
                    : entry.live.metadata.resourceVersion === answer.metadata.resourceVersion
                        ? 'unchanged'
                        : 'configured';
                log.info(`${(0,manifests_objects/* describeObject */.v8)(object)}: ${how}`);
                done.push((0,manifests_objects/* describeObject */.v8)(object));
            }
            if (manifests.prune) {
                await prune(objects.map((o) => o.object));
                await writeParent(objects.map((o) => (0,manifests_objects/* groupKind */.KH)(o.object)), objects.map((o) => o.object.metadata.namespace ?? ''));
            }
        },
        async apply(unit) {
            const object = appliedObjects.get(unit.key);
            return { unit, generation: Number(object?.metadata.generation ?? 0), object };
        },
        async wait(handle, budget) {
            const { unit } = handle;
            const object = handle.object;
            if (!object || !unit.info)
                return { kind: 'completed' };
            const explain = handle.restores
                ? async () => []
                : (pod, crashed) => (0,eks_target.explainPod)(kube, unit.namespace, pod, crashed);
            if (unit.kind === 'Deployment') {
                const deployment = object;
                const outcome = await (0,watch/* watchRollout */.D)({
                    kube,
                    namespace: unit.namespace,
                    name: unit.name,
                    ourGeneration: handle.generation,
                    budget,
                    clock,
                    log,
                    onItsOwn: `the Deployment controller goes on rolling out on its own and marks it failed (ProgressDeadlineExceeded) after ${deployment.spec.progressDeadlineSeconds ?? 600} s without progress`,
                    explain,
                    stillOurs: (d) => JSON.stringify(d.spec.template) === JSON.stringify(deployment.spec.template),
                }, deployment);
                handle.revision = outcome.revision;
                return outcome.verdict;
            }
            const outcome = await waitForWorkload({
                kube,
                path: resourcePath(unit.info, unit.namespace, unit.name),
                podsPath: `/api/v1/namespaces/${unit.namespace}/pods`,
                ourGeneration: handle.generation,
                budget,
                clock,
                log,
                explain,
            }, object);
            if (outcome.revision)
                handle.revision = outcome.revision;
            return outcome.verdict;
        },
        platformRollback: () => undefined,
        async rollBack(handle) {
            const { unit } = handle;
            if (unit.kind === 'Job')
                return { skipped: "a Job's pod template cannot be changed; it is left as applied" };
            if (!unit.live || !unit.info)
                return { skipped: `${unit.kind} ${unit.name} did not exist before this deploy` };
            const template = unit.live.spec?.template;
            if (!template)
                return { skipped: `${unit.kind} ${unit.name} had no pod template before` };
            log.info(`${nameOf(unit)}: restoring the pod template it had before this deploy`);
            let patched;
            try {
                patched = await kube.patch(`${resourcePath(unit.info, unit.namespace, unit.name)}?fieldManager=${plan/* FIELD_MANAGER */.vy}`, (0,rollout/* rollbackPatch */.Ht)(template, {
                    changeCause: `ecr-deploy: rollback to the template before ${handle.unit.name} was applied (${options.runUrl})`,
                    hasAnnotations: handle.object?.metadata.annotations !== undefined,
                    generation: handle.generation,
                }), 'json');
            }
            catch (error) {
                if (error instanceof kube_client/* KubeApiError */.W && error.status === 422) {
                    return {
                        skipped: `${unit.kind} ${unit.name} changed since our apply (no longer generation ${handle.generation}): someone else's change is not rolled back over`,
                    };
                }
                throw error;
            }
            patched.kind ||= unit.kind;
            return {
                handle: {
                    unit,
                    generation: Number(patched.metadata.generation ?? 0),
                    object: patched,
                    restores: unit.live.metadata.annotations?.[rollout/* REVISION_ANNOTATION */.wB] ?? 'the previous template',
                },
            };
        },
        rollbackTarget: (handle) => handle.unit.kind === 'Deployment' && handle.restores && /^\d+$/.test(handle.restores)
            ? `the template of revision ${handle.restores}`
            : 'the pod template it had before this deploy',
        details(unit, handle, status) {
            const previous = unit.live?.metadata.annotations?.[rollout/* REVISION_ANNOTATION */.wB];
            const diff = status === 'dry-run' ? previews.get(unit.key) : undefined;
            return {
                target: 'eks',
                ...(unit.kind !== 'objects' ? { kind: unit.kind } : {}),
                ...(handle?.revision ? { revision: handle.revision } : {}),
                ...(unit.kind === 'Deployment' && previous ? { previousRevision: previous } : {}),
                ...(diff ? { diff } : {}),
            };
        },
    };
}


/***/ }),

/***/ 2779:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $r: () => (/* binding */ BUILT_IN_RESOURCES),
/* harmony export */   F8: () => (/* binding */ groupOf),
/* harmony export */   KH: () => (/* binding */ groupKind),
/* harmony export */   Me: () => (/* binding */ CLUSTER_SCOPED_KINDS),
/* harmony export */   Sh: () => (/* binding */ ManifestError),
/* harmony export */   T5: () => (/* binding */ objectKey),
/* harmony export */   u4: () => (/* binding */ isRecord),
/* harmony export */   v8: () => (/* binding */ describeObject)
/* harmony export */ });
// What a manifest is once read: a Kubernetes object and where it came from. Types and small pure helpers.
/** A manifest that cannot be used; the message names the file (and line) and the fix. */
class ManifestError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ManifestError';
    }
}
/** `apps/v1` → `apps`; `v1` → `` (the core group). */
function groupOf(apiVersion) {
    const slash = apiVersion.indexOf('/');
    return slash < 0 ? '' : apiVersion.slice(0, slash);
}
/** `Deployment.apps`, `ConfigMap`: the group-kind as the ApplySet annotations spell it. */
function groupKind(object) {
    const group = groupOf(object.apiVersion);
    return group ? `${object.kind}.${group}` : object.kind;
}
/** `web/Deployment.apps/api`, a key that tells objects apart (namespace empty when cluster-scoped). */
function objectKey(object) {
    return `${object.metadata.namespace ?? ''}/${groupKind(object)}/${object.metadata.name}`;
}
/** For messages: `Deployment web/api`, `Namespace shop`. */
function describeObject(object) {
    const ns = object.metadata.namespace;
    return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata.name}`;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Cluster-scoped kinds of the built-in API groups; anything else is asked of discovery. */
const CLUSTER_SCOPED_KINDS = new Set([
    'Namespace',
    'Node',
    'PersistentVolume',
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'StorageClass',
    'PriorityClass',
    'IngressClass',
    'RuntimeClass',
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'APIService',
    'CSIDriver',
]);
/** The REST resource (plural) of the built-in kinds, by group-kind. */
const BUILT_IN_RESOURCES = {
    Namespace: 'namespaces',
    ConfigMap: 'configmaps',
    Secret: 'secrets',
    ServiceAccount: 'serviceaccounts',
    Service: 'services',
    Pod: 'pods',
    PersistentVolumeClaim: 'persistentvolumeclaims',
    PersistentVolume: 'persistentvolumes',
    LimitRange: 'limitranges',
    ResourceQuota: 'resourcequotas',
    Endpoints: 'endpoints',
    'Deployment.apps': 'deployments',
    'StatefulSet.apps': 'statefulsets',
    'DaemonSet.apps': 'daemonsets',
    'ReplicaSet.apps': 'replicasets',
    'Job.batch': 'jobs',
    'CronJob.batch': 'cronjobs',
    'HorizontalPodAutoscaler.autoscaling': 'horizontalpodautoscalers',
    'Ingress.networking.k8s.io': 'ingresses',
    'NetworkPolicy.networking.k8s.io': 'networkpolicies',
    'IngressClass.networking.k8s.io': 'ingressclasses',
    'Role.rbac.authorization.k8s.io': 'roles',
    'RoleBinding.rbac.authorization.k8s.io': 'rolebindings',
    'ClusterRole.rbac.authorization.k8s.io': 'clusterroles',
    'ClusterRoleBinding.rbac.authorization.k8s.io': 'clusterrolebindings',
    'PodDisruptionBudget.policy': 'poddisruptionbudgets',
    'StorageClass.storage.k8s.io': 'storageclasses',
    'PriorityClass.scheduling.k8s.io': 'priorityclasses',
    'CustomResourceDefinition.apiextensions.k8s.io': 'customresourcedefinitions',
};


/***/ }),

/***/ 6500:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $X: () => (/* binding */ otherApplySet),
/* harmony export */   A3: () => (/* binding */ applySetId),
/* harmony export */   Bu: () => (/* binding */ pruneCandidates),
/* harmony export */   E1: () => (/* binding */ parseList),
/* harmony export */   FA: () => (/* binding */ withPartOfLabel),
/* harmony export */   Ke: () => (/* binding */ CONTAINS_GROUP_KINDS_ANNOTATION),
/* harmony export */   L4: () => (/* binding */ ADDITIONAL_NAMESPACES_ANNOTATION),
/* harmony export */   NM: () => (/* binding */ scaledByHpa),
/* harmony export */   Pd: () => (/* binding */ hpaSafe),
/* harmony export */   Uu: () => (/* binding */ applySetParentName),
/* harmony export */   lP: () => (/* binding */ describeConflicts),
/* harmony export */   ub: () => (/* binding */ inApplyOrder),
/* harmony export */   vr: () => (/* binding */ PART_OF_LABEL),
/* harmony export */   vy: () => (/* binding */ FIELD_MANAGER),
/* harmony export */   xE: () => (/* binding */ applySetParent)
/* harmony export */ });
/* unused harmony exports APPLYSET_ID_LABEL, TOOLING_ANNOTATION, TOOLING, applyRank, replicasOwners */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _objects_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2779);
// Pure decisions of applying manifests: the order, which workloads an HPA scales (their `replicas` is not
// ours to set), the ApplySet label and parent, what a prune deletes, and how a field conflict reads.


const FIELD_MANAGER = 'ecr-deploy';
const PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
const TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
const CONTAINS_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
const ADDITIONAL_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
const TOOLING = 'ecr-deploy/v1';
const CONFIG_KINDS = new Set([
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'LimitRange',
    'ResourceQuota',
    'PriorityClass',
    'StorageClass',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'ClusterRole',
    'ClusterRoleBinding',
    'Role',
    'RoleBinding',
    'Service',
    'NetworkPolicy',
    'PodDisruptionBudget',
    'IngressClass',
]);
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const AFTER_WORKLOADS = new Set(['HorizontalPodAutoscaler', 'Ingress']);
/** 0 Namespaces, 1 CRDs, 2 configuration and Services, 3 other kinds, 4 workloads, 5 HPAs and Ingresses. */
function applyRank(object) {
    if (object.kind === 'Namespace')
        return 0;
    if (object.kind === 'CustomResourceDefinition')
        return 1;
    if (CONFIG_KINDS.has(object.kind))
        return 2;
    if (WORKLOADS.has(object.kind))
        return 4;
    if (AFTER_WORKLOADS.has(object.kind))
        return 5;
    return 3;
}
/** Pure: the objects in apply order (stable within a rank: the order of the files). */
function inApplyOrder(objects) {
    return objects
        .map((o, i) => ({ o, i }))
        .sort((a, b) => applyRank(a.o.object) - applyRank(b.o.object) || a.i - b.i)
        .map(({ o }) => o);
}
/** `ns/Kind/name` of a workload an HPA scales. */
function scaledKey(namespace, kind, name) {
    return `${namespace}/${kind}/${name}`;
}
/** Pure: the workloads the HPAs (of the manifests and of the cluster) scale. */
function scaledByHpa(hpas) {
    const keys = new Set();
    for (const hpa of hpas) {
        const ref = (0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(hpa.spec) && (0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(hpa.spec.scaleTargetRef) ? hpa.spec.scaleTargetRef : undefined;
        if (typeof ref?.kind === 'string' && typeof ref.name === 'string')
            keys.add(scaledKey(hpa.metadata.namespace ?? '', ref.kind, ref.name));
    }
    return keys;
}
/** Pure: the managers that own `.spec.replicas` of a live object (from its managedFields). */
function replicasOwners(live) {
    const entries = (live?.metadata.managedFields ?? []);
    return entries
        .filter((e) => {
        const spec = e.fieldsV1?.['f:spec'];
        return (0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(spec) && 'f:replicas' in spec;
    })
        .map((e) => e.manager ?? '');
}
/**
 * Pure: a workload an HPA scales is applied without `spec.replicas`, so each deploy keeps the HPA's count.
 * One exception: when only we own `replicas` in the cluster, leaving it out would make the API server reset
 * it to the default (1) (server-side apply removes fields their last owner stops applying), so the live
 * count is applied once more; after the HPA's next change the field is the HPA's alone.
 */
function hpaSafe(object, scaled, live) {
    const key = scaledKey(object.metadata.namespace ?? '', object.kind, object.metadata.name);
    if (!scaled.has(key) || !(0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(object.spec))
        return { object };
    const copy = structuredClone(object);
    const had = copy.spec.replicas;
    delete copy.spec.replicas;
    const owners = replicasOwners(live);
    const liveReplicas = (0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .isRecord */ .u4)(live?.spec) ? live.spec.replicas : undefined;
    if (owners.length > 0 && owners.every((o) => o === FIELD_MANAGER) && typeof liveReplicas === 'number') {
        copy.spec.replicas = liveReplicas;
        return {
            object: copy,
            note: `${(0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .describeObject */ .v8)(object)} is scaled by an HPA: replicas kept at the live ${liveReplicas} (we are its only owner; leaving it out would reset it to 1)`,
        };
    }
    return {
        object: copy,
        note: `${(0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .describeObject */ .v8)(object)} is scaled by an HPA: replicas${had === undefined ? '' : ` (${String(had)} in the manifest)`} left to it`,
    };
}
/** Pure: the ApplySet id of a parent, as the ApplySet KEP (kubectl) computes it. */
function applySetId(parent) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(`${parent.name}.${parent.namespace}.${parent.kind}.${parent.group}`)
        .digest('base64url');
    return `applyset-${hash}-v1`;
}
/** Pure: the parent Secret's name for a repository: one ApplySet per repository and namespace. */
function applySetParentName(repositoryUri) {
    const repo = (repositoryUri.split('/').slice(1).join('-') || repositoryUri)
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return `ecr-deploy-applyset-${repo}`.slice(0, 253).replace(/-+$/, '');
}
/** Pure: the object with the ApplySet label. */
function withPartOfLabel(object, id) {
    return {
        ...object,
        metadata: { ...object.metadata, labels: { ...object.metadata.labels, [PART_OF_LABEL]: id } },
    };
}
/** Pure: the group-kinds and namespaces an annotation value lists. */
function parseList(value) {
    return (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}
/** Pure: the parent Secret that records the ApplySet (its group-kinds and namespaces, sorted). */
function applySetParent(options) {
    const others = [...new Set(options.namespaces)].filter((n) => n && n !== options.namespace).sort();
    return {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: {
            name: options.name,
            namespace: options.namespace,
            labels: { [APPLYSET_ID_LABEL]: options.id },
            annotations: {
                [TOOLING_ANNOTATION]: TOOLING,
                [CONTAINS_GROUP_KINDS_ANNOTATION]: [...new Set(options.groupKinds)].sort().join(','),
                ...(others.length ? { [ADDITIONAL_NAMESPACES_ANNOTATION]: others.join(',') } : {}),
            },
        },
    };
}
/**
 * Pure: the objects to delete — those that carry our ApplySet label and are no longer in the manifests.
 * Anything without the label (or with another ApplySet's) is never a candidate.
 */
function pruneCandidates(live, applied, id) {
    const keep = new Set(applied.map(_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .objectKey */ .T5));
    const seen = new Set();
    return live.filter((o) => {
        const key = (0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .objectKey */ .T5)(o);
        if (seen.has(key))
            return false;
        seen.add(key);
        return o.metadata.labels?.[PART_OF_LABEL] === id && !keep.has(key);
    });
}
/** Pure: an object already in another ApplySet is not taken over (the KEP's rule); the reason, if so. */
function otherApplySet(live, id) {
    const other = live?.metadata.labels?.[PART_OF_LABEL];
    return other && other !== id ? other : undefined;
}
/** Pure: a 409 of server-side apply, as a person reads it: each field and the manager that owns it. */
function describeConflicts(object, message, causes) {
    const conflicts = causes
        .filter((c) => c.type === 'FieldManagerConflict' || c.field)
        .map((c) => {
        const manager = /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1];
        return `${c.field ?? '(a field)'} is owned by ${manager ? `"${manager}"` : (c.message ?? 'another manager')}`;
    });
    const what = conflicts.length ? conflicts.join('; ') : message;
    return `${(0,_objects_js__WEBPACK_IMPORTED_MODULE_1__/* .describeObject */ .v8)(object)}: conflict: ${what}. Remove the field from the manifest, let that manager stop setting it, or set force-conflicts: true to take it over.`;
}



/***/ })

};
