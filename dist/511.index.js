export const id = 511;
export const ids = [511];
export const modules = {

/***/ 2511:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  startEksPreview: () => (/* binding */ startEksPreview),
  tearDownEksPr: () => (/* binding */ tearDownEksPr)
});

// EXTERNAL MODULE: ./actions-core.ts
var actions_core = __webpack_require__(3995);
// EXTERNAL MODULE: ./aws/clients.ts
var clients = __webpack_require__(5918);
// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./errors.ts
var errors = __webpack_require__(1169);
// EXTERNAL MODULE: ./deploy/clock.ts
var clock = __webpack_require__(2748);
// EXTERNAL MODULE: ./deploy/log.ts
var log = __webpack_require__(4752);
// EXTERNAL MODULE: ./deploy/run.ts
var deploy_run = __webpack_require__(6011);
// EXTERNAL MODULE: ./preview/announce.ts
var announce = __webpack_require__(9404);
// EXTERNAL MODULE: ./preview/cleanup.ts
var cleanup = __webpack_require__(4703);
// EXTERNAL MODULE: ./eks/manifests/objects.ts
var manifests_objects = __webpack_require__(2779);
// EXTERNAL MODULE: ./preview/names.ts
var names = __webpack_require__(5803);
;// CONCATENATED MODULE: ./preview/eks-names.ts
// Pure: the namespace of a PR's EKS preview and the manifests rewritten into it. Deterministic: the same base
// namespace and PR number give the same namespace on every run, so re-runs and the teardown find it again.


/** Kubernetes namespace names are DNS labels (RFC 1123): at most 63 characters. */
const NAMESPACE_NAME_MAX = 63;
/** The PR number on the preview namespace and on every object applied into it. */
const PREVIEW_PR_LABEL = 'ecr-deploy.dev/preview-pr';
/** The base namespace the preview namespace is a preview of. */
const PREVIEW_OF_LABEL = 'ecr-deploy.dev/preview-of';
/** The repository (`owner.name`, as a label value) whose PR the preview namespace is. */
const PREVIEW_REPOSITORY_LABEL = 'ecr-deploy.dev/preview-repository';
/** The same, spelled `owner/name` (a label value cannot hold a slash). */
const PREVIEW_REPOSITORY_ANNOTATION = 'ecr-deploy.dev/repository';
/**
 * Pure: `owner/name` as a label value (63 characters of letters, digits, `-_.`, alphanumeric at both ends):
 * lower case (GitHub names are case-insensitive), `/` → `.` (an owner has no dot, so it stays unambiguous),
 * shortened with a hash when too long.
 */
function repositoryLabelValue(repository) {
    const value = repository
        .toLowerCase()
        .replace('/', '.')
        .replace(/[^a-z0-9._-]/g, '-')
        .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
    return (0,names/* fitName */.dl)(value, '', 63);
}
class PreviewManifestError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PreviewManifestError';
    }
}
/**
 * Pure: `<base>-pr-<N>`, shortened to a DNS label (a hash of the whole base keeps two long bases apart).
 * Refuses a result equal to the base: a preview never deploys into the base namespace.
 */
function previewNamespace(base, pr) {
    const name = (0,names/* fitName */.dl)(base, `-pr-${pr}`, NAMESPACE_NAME_MAX).replace(/^-+/, '');
    if (name === base)
        throw new PreviewManifestError(`the preview namespace ${name} is the base namespace; nothing is applied.`);
    return name;
}
/** Pure: the labels of the preview namespace itself. */
function previewNamespaceObject(name, base, pr) {
    return {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { [PREVIEW_PR_LABEL]: String(pr), [PREVIEW_OF_LABEL]: base } },
    };
}
function rewriteIngressHosts(object, host) {
    const spec = object.spec;
    for (const rule of spec?.rules ?? [])
        rule.host = host;
    for (const tls of spec?.tls ?? [])
        if (tls.hosts)
            tls.hosts = tls.hosts.map(() => host);
}
/**
 * Pure: the manifests as a preview applies them: every namespaced object moved into the preview namespace
 * and labelled with the PR, Ingress hosts set to the preview's host. A cluster-scoped object is refused
 * (the error names it): a preview never touches what other namespaces share.
 */
function rewriteForPreview(objects, rewrite, isNamespaced) {
    if (rewrite.namespace === rewrite.base)
        throw new PreviewManifestError(`the preview namespace ${rewrite.namespace} is the base namespace.`);
    const shared = objects.filter((o) => !isNamespaced(o.object));
    if (shared.length > 0) {
        throw new PreviewManifestError(`a preview applies namespaced objects only; the manifests have cluster-scoped ${shared
            .map((o) => `${(0,manifests_objects/* describeObject */.v8)(o.object)} (${o.source})`)
            .join(', ')}. Remove ${shared.length > 1 ? 'them' : 'it'} from the manifests a preview applies.`);
    }
    return objects.map(({ object, source }) => {
        const copy = structuredClone(object);
        copy.metadata.namespace = rewrite.namespace;
        copy.metadata.labels = { ...copy.metadata.labels, [PREVIEW_PR_LABEL]: String(rewrite.pr) };
        if (rewrite.host && copy.kind === 'Ingress')
            rewriteIngressHosts(copy, rewrite.host);
        return { object: copy, source };
    });
}

;// CONCATENATED MODULE: ./preview/cleanup-eks.ts

/** Pure: the label selector that finds this repository's previews of `base`. */
function eksPreviewSelector(base, repository) {
    return `${PREVIEW_OF_LABEL}=${base},${PREVIEW_REPOSITORY_LABEL}=${repositoryLabelValue(repository)}`;
}
/** Pure: the PR of a preview namespace of `base` in `repository`, or undefined when it is not one of ours. */
function eksPreviewOf(base, repository, namespace) {
    const labels = namespace.metadata.labels ?? {};
    if (labels[PREVIEW_OF_LABEL] !== base)
        return undefined;
    if (labels[PREVIEW_REPOSITORY_LABEL] !== repositoryLabelValue(repository))
        return undefined;
    const value = labels[PREVIEW_PR_LABEL] ?? '';
    if (!/^[1-9][0-9]{0,9}$/.test(value))
        return undefined;
    const pr = Number(value);
    try {
        return previewNamespace(base, pr) === namespace.metadata.name ? pr : undefined;
    }
    catch {
        return undefined;
    }
}
/** Lists the cluster's namespaces by the preview labels (one call; the API server filters). */
async function listEksPreviews(kube, base, repository) {
    const selector = encodeURIComponent(eksPreviewSelector(base, repository));
    let list;
    try {
        list = await kube.get(`/api/v1/namespaces?labelSelector=${selector}`);
    }
    catch (error) {
        throw new Error(`Listing the preview namespaces of ${base}: ${error.message}`, {
            cause: error,
        });
    }
    const found = [];
    for (const ns of list.items ?? []) {
        const pr = eksPreviewOf(base, repository, ns);
        if (pr !== undefined)
            found.push({ pr, what: `namespace ${ns.metadata.name}` });
    }
    return found.sort((a, b) => a.pr - b.pr);
}

// EXTERNAL MODULE: ./preview/ecr-tag.ts
var ecr_tag = __webpack_require__(6560);
// EXTERNAL MODULE: ./eks/kube-client.ts
var kube_client = __webpack_require__(841);
// EXTERNAL MODULE: ./eks/manifests-target.ts + 9 modules
var manifests_target = __webpack_require__(5356);
// EXTERNAL MODULE: ./eks/manifests/plan.ts
var plan = __webpack_require__(6500);
;// CONCATENATED MODULE: ./preview/eks-preview.ts
// A PR's EKS preview: the manifests applied into the namespace `<namespace>-pr-<N>` (made if missing, labelled
// so it can be found again), through the manifests target with a rewrite of every object. Nothing changes
// before the image is built: a namespace that is someone else's, or a cluster-scoped object in the manifests,
// stops the step while it is being prepared; the namespace is made just before the first object is applied.








/** Pure: the preview namespace as applied: the PR, the base namespace and the repository on it. */
function previewNamespaceManifest(name, who) {
    const object = previewNamespaceObject(name, who.base, who.pr);
    object.metadata.labels = {
        ...object.metadata.labels,
        [PREVIEW_REPOSITORY_LABEL]: repositoryLabelValue(who.repository),
    };
    object.metadata.annotations = { [PREVIEW_REPOSITORY_ANNOTATION]: who.repository };
    return object;
}
/**
 * Pure: why a namespace that already exists is not this PR's preview (another PR's, another base's, another
 * repository's, or nobody's preview at all), or undefined when it is.
 */
function notOurNamespace(live, who) {
    const labels = live.metadata.labels ?? {};
    const expected = [
        [PREVIEW_PR_LABEL, String(who.pr)],
        [PREVIEW_OF_LABEL, who.base],
        [PREVIEW_REPOSITORY_LABEL, repositoryLabelValue(who.repository)],
    ];
    const wrong = expected.filter(([key, value]) => labels[key] !== value);
    if (wrong.length === 0)
        return undefined;
    return wrong
        .map(([key, value]) => labels[key] === undefined
        ? `${key} is missing (expected "${value}")`
        : `${key} is "${labels[key]}", not "${value}"`)
        .join('; ');
}
/**
 * Pure: the objects a preview applies: the manifests rewritten into the preview namespace (cluster-scoped
 * objects refused, naming them; RoleBinding subjects that are ServiceAccounts of the manifests' namespaces
 * moved along), two objects that become one there refused, and the preview namespace itself
 * first, so it is part of what the step applies (and its ApplySet) on every run.
 */
function previewObjects(objects, isNamespaced, options) {
    let rewritten;
    try {
        rewritten = rewriteForPreview(objects, options, isNamespaced);
    }
    catch (error) {
        if (error instanceof PreviewManifestError)
            throw new manifests_objects/* ManifestError */.Sh(error.message);
        throw error;
    }
    // A RoleBinding's ServiceAccounts that come with the manifests move with them: the preview's pods get the
    // rights, not the base's ServiceAccount in the preview namespace.
    const moved = new Set(objects.map((o) => o.object.metadata.namespace).filter((n) => !!n));
    for (const { object } of rewritten) {
        if (object.kind !== 'RoleBinding')
            continue;
        const subjects = object.subjects ?? [];
        for (const subject of subjects)
            if (subject.kind === 'ServiceAccount' && subject.namespace && moved.has(subject.namespace))
                subject.namespace = options.namespace;
    }
    const seen = new Map();
    for (const { object, source } of rewritten) {
        const key = (0,manifests_objects/* objectKey */.T5)(object);
        const before = seen.get(key);
        if (before) {
            throw new manifests_objects/* ManifestError */.Sh(`${(0,manifests_objects/* describeObject */.v8)(object)} would be there twice in the preview namespace (${before} and ${source}): a preview puts every object into one namespace.`);
        }
        seen.set(key, source);
    }
    return [
        { object: previewNamespaceManifest(options.namespace, options), source: 'the preview namespace' },
        ...rewritten,
    ];
}
const message = (error) => (error instanceof Error ? error.message : String(error));
/** Pure: the preview namespace of the target, or the input error saying why there is none. */
function namespaceOf(base, pr) {
    try {
        return previewNamespace(base, pr);
    }
    catch (error) {
        if (error instanceof PreviewManifestError)
            throw new errors/* InputError */.dz(contract/* Input */.pd.Namespace, error.message);
        throw error;
    }
}
/**
 * Reads what is there and checks every object (the manifests target's server-side dry run) in the preview
 * namespace. Nothing is changed here; the namespace is made (or its labels kept) right before the apply.
 */
async function prepareEksPreview(options) {
    const { kube, target, preview, pr, repository, log } = options;
    const base = target.namespace;
    const namespace = namespaceOf(base, pr);
    const who = { base, pr, repository };
    let live;
    try {
        live = await kube.get(`/api/v1/namespaces/${namespace}`);
    }
    catch (error) {
        if (!(error instanceof kube_client/* KubeApiError */.W && error.status === 404))
            throw new Error(`Reading namespace ${namespace}: ${message(error)}`, { cause: error });
    }
    if (live) {
        const phase = live.status?.phase;
        const foreign = notOurNamespace(live, who);
        if (foreign) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Namespace, `the preview namespace ${namespace} exists and is not the preview of PR #${pr} of ${base} in ${repository} (${foreign}); nothing is applied. Remove that namespace or choose another base namespace.`);
        }
        if (phase === 'Terminating') {
            throw new Error(`Namespace ${namespace} is being deleted (phase Terminating, from an earlier teardown); nothing is applied. Run the step again once it is gone.`);
        }
        log.info(`Preview namespace ${namespace} exists: the manifests are applied into it again.`);
    }
    else {
        log.info(`Preview namespace ${namespace} does not exist yet: it is made before the first object is applied.`);
    }
    const host = preview.urlTemplate ? (0,names/* renderPreviewUrl */._w)(preview.urlTemplate, pr).host : undefined;
    const port = await (0,manifests_target.prepareManifestsTarget)({
        target: { ...target, namespace, manifests: { ...target.manifests, prune: true } },
        kube,
        clock: options.clock,
        log,
        repositoryUri: options.repositoryUri,
        runUrl: options.runUrl,
        transform: (objects, isNamespaced) => previewObjects(objects, isNamespaced, { ...who, namespace, host }),
    });
    const applyNamespace = async () => {
        try {
            await kube.patch(`/api/v1/namespaces/${namespace}?fieldManager=${plan/* FIELD_MANAGER */.vy}&force=true`, previewNamespaceManifest(namespace, who), 'apply');
        }
        catch (error) {
            throw new Error(`Making the preview namespace ${namespace}: ${message(error)} (nothing was applied)`, {
                cause: error,
            });
        }
    };
    return {
        namespace,
        port: {
            ...port,
            async beforeApply(items) {
                // The ApplySet parent lives in the namespace: it must exist before the parent is written.
                await applyNamespace();
                try {
                    await port.beforeApply?.(items);
                }
                catch (error) {
                    if (live)
                        throw error;
                    // A new preview that could not be applied: its namespace goes again, nothing is left half-made.
                    let undo;
                    try {
                        await kube.delete(`/api/v1/namespaces/${namespace}`, {
                            apiVersion: 'v1',
                            kind: 'DeleteOptions',
                            propagationPolicy: 'Background',
                        });
                        undo = `the new preview namespace ${namespace} is deleted again`;
                    }
                    catch (deleteError) {
                        undo = `the new preview namespace ${namespace} could not be deleted again (${message(deleteError)}); the teardown on closed removes it`;
                    }
                    throw new Error(`${message(error)}; ${undo}`, { cause: error });
                }
            },
        },
    };
}

;// CONCATENATED MODULE: ./preview/eks-teardown.ts


const notFound = (error) => error instanceof kube_client/* KubeApiError */.W && error.status === 404;
const eks_teardown_message = (error) => (error instanceof Error ? error.message : String(error));
async function getNamespace(kube, name) {
    try {
        return await kube.get(`/api/v1/namespaces/${name}`);
    }
    catch (error) {
        if (notFound(error))
            return undefined;
        throw new Error(`Reading namespace ${name}: ${eks_teardown_message(error)}`, { cause: error });
    }
}
/** What the namespace still holds, for the timeout's message (best effort). */
async function leftIn(kube, name) {
    const left = [];
    for (const [path, kind] of [
        [`/apis/apps/v1/namespaces/${name}/deployments`, 'Deployment'],
        [`/api/v1/namespaces/${name}/pods`, 'Pod'],
        [`/api/v1/namespaces/${name}/services`, 'Service'],
    ]) {
        try {
            const list = await kube.get(path);
            for (const item of list.items ?? [])
                left.push(`${kind} ${name}/${item.metadata.name}`);
        }
        catch {
            // The namespace itself is named either way.
        }
    }
    return left;
}
async function teardownEksPreview(options) {
    const { kube, namespace, base, pr, clock, log } = options;
    if (namespace === base)
        throw new Error(`Refusing to delete namespace ${namespace}: it is the base namespace.`);
    const found = await getNamespace(kube, namespace);
    if (!found) {
        return { lines: [`Namespace ${namespace} does not exist: already gone.`], left: [], nothingFound: true };
    }
    const label = found.metadata.labels?.[PREVIEW_PR_LABEL];
    if (label !== String(pr)) {
        throw new Error(`Namespace ${namespace} is not the preview of PR #${pr} (label ${PREVIEW_PR_LABEL} is ${label === undefined ? 'missing' : `"${label}"`}); it is not deleted.`);
    }
    const repository = found.metadata.labels?.[PREVIEW_REPOSITORY_LABEL];
    if (options.repository !== undefined && repository !== repositoryLabelValue(options.repository)) {
        throw new Error(`Namespace ${namespace} is not a preview of ${options.repository} (label ${PREVIEW_REPOSITORY_LABEL} is ${repository === undefined ? 'missing' : `"${repository}"`}); it is not deleted.`);
    }
    if (options.dryRun) {
        return { lines: [`dry run — would delete namespace ${namespace}`], left: [], nothingFound: false };
    }
    try {
        await kube.delete(`/api/v1/namespaces/${namespace}`, {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: 'Background',
        });
        log.info(`Namespace ${namespace}: deletion requested`);
    }
    catch (error) {
        if (!notFound(error))
            throw new Error(`Deleting namespace ${namespace}: ${eks_teardown_message(error)}`, { cause: error });
    }
    const deadline = clock.now() + options.timeoutMs;
    const interval = options.pollIntervalMs ?? 2000;
    for (;;) {
        let now;
        try {
            now = await getNamespace(kube, namespace);
        }
        catch (error) {
            // The deletion is under way: a failed read while waiting is asked again until the deadline.
            if (clock.now() >= deadline) {
                return {
                    lines: [
                        `Namespace ${namespace}: its deletion was requested, but it could not be read until ${Math.round(options.timeoutMs / 1000)} s had passed (${eks_teardown_message(error)}).`,
                    ],
                    left: [`Namespace ${namespace} (not known whether it is gone: ${eks_teardown_message(error)})`],
                    nothingFound: false,
                };
            }
            log.info(`${eks_teardown_message(error)}; asking again`);
            await clock.sleep(interval);
            continue;
        }
        if (!now)
            return { lines: [`Namespace ${namespace} deleted.`], left: [], nothingFound: false };
        if (clock.now() >= deadline) {
            const phase = now.status?.phase ?? 'unknown';
            const left = [`Namespace ${namespace} (phase ${phase})`, ...(await leftIn(kube, namespace))];
            return {
                lines: [
                    `Namespace ${namespace} still exists after ${Math.round(options.timeoutMs / 1000)} s; Kubernetes goes on deleting it on its own.`,
                ],
                left,
                nothingFound: false,
            };
        }
        await clock.sleep(interval);
    }
}

// EXTERNAL MODULE: ./preview/event.ts
var preview_event = __webpack_require__(1531);
// EXTERNAL MODULE: ./preview/github.ts
var preview_github = __webpack_require__(5884);
;// CONCATENATED MODULE: ./preview/eks-run.ts
// Wiring of an EKS preview step: which event does what, the cluster connection, the teardown's report. A
// preview of manifests lives in its own namespace `<namespace>-pr-<N>`; the teardown deletes that namespace.
















/** The longest a teardown waits for Kubernetes to finish deleting the namespace. */
const DELETE_WAIT_MS = 10 * 60_000;
function eksTarget(inputs) {
    const { target, preview } = inputs;
    // readInputs guarantees all three with preview and an EKS target.
    if (target?.kind !== 'eks' || !target.manifests || !preview)
        throw new errors/* InputError */.dz(contract/* Input */.pd.Preview, 'needs eks-cluster and manifests.');
    return { target: { ...target, manifests: target.manifests }, preview };
}
/** DescribeCluster and a token: the API server of the target's cluster. */
async function connect(inputs, target, env) {
    const [{ connectToCluster }, { EKSClient }] = await Promise.all([
        Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 7077)),
        Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 9458, 19)),
    ]);
    const eks = new EKSClient((0,clients.clientConfig)({ region: inputs.region, env }));
    const { kube } = await connectToCluster({ eks, target, region: inputs.region, env, clock: clock/* systemClock */.m });
    return kube;
}
/**
 * One PR's teardown, the same for a `closed` event and for `preview: cleanup`: the namespace deleted and
 * waited for, then the `pr-<N>` tag in ECR (a tag that cannot be removed only warns), then on GitHub the
 * comment and the deployments once nothing is left.
 */
async function tearDownEksPr(options) {
    const { inputs, target, pr, kube, api, run, env } = options;
    const namespace = namespaceOf(target.namespace, pr);
    const dryRun = inputs.deploy.dryRun;
    actions_core/* startGroup */.Oh(`Tear down the preview of PR #${pr} in ${target.cluster}`);
    let report;
    try {
        const ns = await teardownEksPreview({
            kube,
            namespace,
            base: target.namespace,
            pr,
            repository: options.repository,
            clock: clock/* systemClock */.m,
            log: log/* actionsLog */._D,
            timeoutMs: Math.min(inputs.deploy.timeoutMs, DELETE_WAIT_MS),
            dryRun,
        });
        const tag = await (0,ecr_tag/* deletePreviewTag */.m)({
            ecr: (0,clients.createEcrClient)({ region: inputs.region, env }),
            repository: (0,announce/* repositoryOf */._M)(inputs),
            registryId: inputs.registry,
            pr,
            dryRun,
        });
        if (tag.kind === 'not-removed')
            actions_core/* warning */.$e(tag.warning);
        report = {
            lines: [...ns.lines, tag.line],
            left: ns.left,
            nothingFound: ns.nothingFound && tag.kind === 'gone',
        };
        for (const line of report.lines)
            actions_core/* info */.pq(line);
    }
    finally {
        actions_core/* endGroup */.N4();
    }
    if (api && !dryRun && report.left.length === 0) {
        await (0,preview_github/* upsertComment */.lB)(api, log/* actionsLog */._D, {
            pr,
            state: 'removed',
            service: namespace,
            label: 'Namespace',
            runUrl: run,
        });
        await (0,preview_github/* deactivateDeployments */.j9)(api, log/* actionsLog */._D, pr, run);
    }
    const headline = dryRun
        ? `Preview of PR #${pr} (namespace ${namespace}): dry run, nothing was removed.`
        : report.left.length
            ? `Preview of PR #${pr} (namespace ${namespace}) only partly removed.`
            : report.nothingFound
                ? `Preview of PR #${pr} (namespace ${namespace}): nothing to remove, it was already gone.`
                : `Preview of PR #${pr} (namespace ${namespace}) removed.`;
    actions_core/* info */.pq(headline);
    return { report, headline };
}
/**
 * `preview: cleanup`: this repository's preview namespaces of the base namespace whose PR is closed are torn
 * down (each on its own), the others listed; the step fails at the end when a teardown did not complete.
 */
async function cleanUpEksPreviews(options) {
    const { inputs, target, preview, github, env } = options;
    const api = (0,announce/* cleanupApi */.zF)(preview, github, env);
    const run = (0,announce/* runUrl */.Vp)(env);
    const kube = await connect(inputs, target, env);
    const previews = {
        name: `EKS cluster ${target.cluster}`,
        list: () => listEksPreviews(kube, target.namespace, github.repository),
        tearDown: async (pr) => {
            const { report, headline } = await tearDownEksPr({
                inputs,
                target,
                pr,
                repository: github.repository,
                kube,
                api: inputs.deploy.dryRun ? undefined : api,
                run,
                env,
            });
            return { headline, left: report.left };
        },
    };
    await (0,announce/* reportCleanup */.x4)(await (0,cleanup/* runPreviewCleanup */.y3)({
        targets: [previews],
        pullState: (pr) => (0,preview_github/* pullRequestState */.uS)(api, pr),
        log: log/* actionsLog */._D,
    }));
}
/**
 * Decides from the event what the step does (see startPreview): `closed` tears the namespace down now;
 * otherwise returns how to prepare the preview once the repository is known.
 */
async function startEksPreview(inputs, github, payload, env) {
    const { target, preview } = eksTarget(inputs);
    if (preview.cleanup) {
        await cleanUpEksPreviews({ inputs, target, preview, github, env });
        return { kind: 'torn-down' };
    }
    const action = (0,preview_event/* previewAction */.H)({
        eventName: github.eventName,
        payload,
        pullRequestNumber: github.pullRequestNumber,
        repository: github.repository,
        allowForks: preview.allowForks,
    });
    if (action.kind === 'refused')
        throw new errors/* InputError */.dz(contract/* Input */.pd.Preview, action.reason);
    const { pr } = action;
    // Checked before anything is built or changed: the preview namespace is never the base.
    const namespace = namespaceOf(target.namespace, pr);
    const api = inputs.deploy.dryRun ? undefined : (0,announce/* githubApi */.Mc)(preview, github, env);
    const run = (0,announce/* runUrl */.Vp)(env);
    if (action.kind === 'teardown') {
        const kube = await connect(inputs, target, env);
        const result = await tearDownEksPr({
            inputs,
            target,
            pr,
            repository: github.repository,
            kube,
            api,
            run,
            env,
        });
        await (0,announce/* writeSummary */.Sy)(result.headline, result.report.lines);
        if (result.report.left.length)
            throw new Error(`The preview of PR #${pr} is not fully removed:\n${result.report.left.join('\n')}`);
        return { kind: 'torn-down' };
    }
    return {
        kind: 'deploy',
        async prepare(repositoryUri) {
            const kube = await connect(inputs, target, env);
            const { port } = await prepareEksPreview({
                kube,
                target,
                preview,
                pr,
                repository: github.repository,
                clock: clock/* systemClock */.m,
                log: log/* actionsLog */._D,
                repositoryUri,
                runUrl: run,
            });
            const url = preview.urlTemplate ? (0,names/* renderPreviewUrl */._w)(preview.urlTemplate, pr).url : undefined;
            return {
                title: `Preview of PR #${pr}: namespace ${namespace} in ${target.cluster}`,
                notDeployed: (0,deploy_run.notDeployed)(port),
                deploy: (image, signal) => (0,announce/* deployAnnounced */.vY)({
                    port,
                    image,
                    signal,
                    inputs,
                    api,
                    pr,
                    url,
                    commit: github.sha,
                    service: namespace,
                    label: 'Namespace',
                    run,
                }),
            };
        },
    };
}


/***/ })

};
