export const id = 77;
export const ids = [77];
export const modules = {

/***/ 841:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ KubeClient),
/* harmony export */   W: () => (/* binding */ KubeApiError)
/* harmony export */ });
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5918);


/** A Kubernetes API answer other than 2xx, with its `Status` body's reason and message. */
class KubeApiError extends Error {
    status;
    reason;
    /** The Status body's `details.causes` (a server-side apply conflict lists each field and its manager). */
    causes;
    constructor(status, reason, message, causes = []) {
        super(message);
        this.name = 'KubeApiError';
        this.status = status;
        this.reason = reason;
        this.causes = causes;
    }
}
const PATCH_CONTENT_TYPE = {
    strategic: 'application/strategic-merge-patch+json',
    json: 'application/json-patch+json',
    merge: 'application/merge-patch+json',
    // Server-side apply; JSON is YAML, so the body is sent as JSON.
    apply: 'application/apply-patch+yaml',
};
/** A small typed client for the few calls the deploy makes: get, list, patch, create, watch, logs. */
class KubeClient {
    options;
    agent;
    constructor(options) {
        this.options = options;
        // Set here, not left to the default: NODE_TLS_REJECT_UNAUTHORIZED=0 in the job must not send the
        // bearer token to a server that is not the cluster.
        this.agent = new (node_https__WEBPACK_IMPORTED_MODULE_0___default().Agent)({ ...(0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_1__.agentOptions)(options.env), ca: options.ca, rejectUnauthorized: true });
    }
    async open(method, path, headers, timeoutMs) {
        const url = new URL(path, this.options.server);
        const token = await this.options.token();
        return node_https__WEBPACK_IMPORTED_MODULE_0___default().request(url, {
            method,
            agent: this.agent,
            ca: this.options.ca,
            rejectUnauthorized: true,
            timeout: timeoutMs,
            headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...headers },
        });
    }
    async request(method, path, body, contentType = 'application/json') {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        // Content-Length always: Node frames no body of a DELETE by itself (no chunked encoding for it).
        const req = await this.open(method, path, payload ? { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) } : {}, 30_000);
        return new Promise((resolve, reject) => {
            req.on('response', (res) => {
                const chunks = [];
                res.on('error', reject);
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    const status = res.statusCode ?? 0;
                    if (status >= 200 && status < 300) {
                        try {
                            resolve((res.headers['content-type']?.includes('json') ? JSON.parse(text) : text));
                        }
                        catch (error) {
                            reject(new Error(`${method} ${path}: the answer is not valid JSON (${error.message})`));
                        }
                        return;
                    }
                    let reason;
                    let message = text.slice(0, 500);
                    let causes = [];
                    try {
                        const parsed = JSON.parse(text);
                        reason = parsed.reason;
                        message = parsed.message ?? message;
                        causes = Array.isArray(parsed.details?.causes) ? parsed.details.causes : [];
                    }
                    catch {
                        // not a Status body
                    }
                    reject(new KubeApiError(status, reason, message || `HTTP ${status}`, causes));
                });
            });
            req.on('timeout', () => req.destroy(new Error(`no answer from ${this.options.server} within 30 s`)));
            req.on('error', reject);
            req.end(payload);
        });
    }
    get(path) {
        return this.request('GET', path);
    }
    post(path, body) {
        return this.request('POST', path, body);
    }
    patch(path, body, type) {
        return this.request('PATCH', path, body, PATCH_CONTENT_TYPE[type]);
    }
    delete(path, body) {
        return this.request('DELETE', path, body);
    }
    async watch(path, onEvent) {
        const req = await this.open('GET', path, {}, 0);
        let stopped = false;
        const done = new Promise((resolve, reject) => {
            req.on('response', (res) => {
                if ((res.statusCode ?? 0) >= 300) {
                    const chunks = [];
                    res.on('error', reject);
                    res.on('data', (c) => chunks.push(c));
                    res.on('end', () => {
                        const text = Buffer.concat(chunks).toString('utf8');
                        let parsed = {};
                        try {
                            parsed = JSON.parse(text);
                        }
                        catch {
                            // not a Status body
                        }
                        reject(new KubeApiError(res.statusCode ?? 0, parsed.reason, parsed.message ?? text.slice(0, 300)));
                    });
                    return;
                }
                let buffer = '';
                res.on('data', (c) => {
                    buffer += c.toString('utf8');
                    let nl;
                    while ((nl = buffer.indexOf('\n')) >= 0) {
                        const line = buffer.slice(0, nl).trim();
                        buffer = buffer.slice(nl + 1);
                        if (!line)
                            continue;
                        try {
                            onEvent(JSON.parse(line));
                        }
                        catch (error) {
                            // A broken line ends this stream as an error (the caller resumes), never the process.
                            req.destroy(new Error(`malformed watch event: ${error.message}`));
                            return;
                        }
                    }
                });
                res.on('end', () => resolve());
                res.on('error', (e) => (stopped ? resolve() : reject(e)));
            });
            req.on('error', (e) => (stopped ? resolve() : reject(e)));
        });
        req.end();
        return {
            stop: () => {
                stopped = true;
                req.destroy();
            },
            done,
        };
    }
}


/***/ }),

/***/ 3619:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bk: () => (/* binding */ selectorOf),
/* harmony export */   Eg: () => (/* binding */ classifyPod),
/* harmony export */   Ht: () => (/* binding */ rollbackPatch),
/* harmony export */   J4: () => (/* binding */ evaluateDeployment),
/* harmony export */   pJ: () => (/* binding */ planImagePatch),
/* harmony export */   wB: () => (/* binding */ REVISION_ANNOTATION)
/* harmony export */ });
/* unused harmony export CHANGE_CAUSE_ANNOTATION */
/* harmony import */ var _deploy_containers_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7872);
// Pure decisions of the EKS deploy: which containers get the image, whether our rollout is done or failed,
// which pod states are definitive failures, and what restoring a revision patches.

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Pure: the label selector of a Deployment's pods and ReplicaSets, as a query value. */
function selectorOf(d) {
    return Object.entries(d.spec.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/**
 * Pure: the containers that get the image (default: those, init containers included, whose image is in our
 * repository; `containers` to choose; `name=image` for a given image) and the patch that sets it.
 */
function planImagePatch(deployment, options) {
    const spec = deployment.spec.template.spec ?? {};
    const all = [
        ...(spec.containers ?? []).map((c) => ({ ...c, init: false })),
        ...(spec.initContainers ?? []).map((c) => ({ ...c, init: true })),
    ];
    const wanted = (0,_deploy_containers_js__WEBPACK_IMPORTED_MODULE_0__/* .selectContainers */ .V)(all, {
        owner: `Deployment ${deployment.metadata.name}`,
        imageRef: options.imageRef,
        repositoryUri: options.repositoryUri,
        selection: options.containers,
    });
    const changes = all
        .filter((c) => wanted.has(c.name) && c.image !== wanted.get(c.name))
        .map((c) => ({ container: c.name, from: c.image ?? '', to: wanted.get(c.name) ?? '' }));
    const pick = (init) => all
        .filter((c) => c.init === init && wanted.has(c.name))
        .map((c) => ({ name: c.name, image: wanted.get(c.name) }));
    const containers = pick(false);
    const initContainers = pick(true);
    return {
        patch: {
            metadata: { annotations: { [CHANGE_CAUSE_ANNOTATION]: options.changeCause } },
            spec: {
                template: {
                    spec: {
                        ...(containers.length ? { containers } : {}),
                        ...(initContainers.length ? { initContainers } : {}),
                    },
                },
            },
        },
        changes,
        unchanged: changes.length === 0,
    };
}
function condition(d, type) {
    return d.status?.conditions?.find((c) => c.type === type);
}
/**
 * `kubectl rollout status`'s rule for our generation, plus what kubectl does not check: a newer generation
 * than ours (someone else changed the Deployment) and a ReplicaFailure condition.
 */
function evaluateDeployment(d, ourGeneration) {
    const name = d.metadata.name;
    const generation = d.metadata.generation ?? 0;
    if (generation > ourGeneration) {
        return {
            kind: 'failed',
            reason: `someone else changed Deployment ${name} while it rolled out (generation ${generation}, ours was ${ourGeneration})`,
            superseded: true,
        };
    }
    const status = d.status ?? {};
    if ((status.observedGeneration ?? 0) < ourGeneration) {
        return { kind: 'in-progress', message: `Waiting for deployment spec update to be observed...` };
    }
    const progressing = condition(d, 'Progressing');
    if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
        return {
            kind: 'failed',
            reason: `ProgressDeadlineExceeded: ${progressing.message ?? `deployment "${name}" exceeded its progress deadline`}`,
        };
    }
    const failure = condition(d, 'ReplicaFailure');
    const replicaFailure = failure?.status === 'True'
        ? `ReplicaFailure: ${failure.reason ?? ''} ${failure.message ?? ''}`.trim()
        : undefined;
    const pending = (message) => replicaFailure ? { kind: 'in-progress', message, replicaFailure } : { kind: 'in-progress', message };
    const want = d.spec.replicas ?? 1;
    const updated = status.updatedReplicas ?? 0;
    const replicas = status.replicas ?? 0;
    const available = status.availableReplicas ?? 0;
    const prefix = `Waiting for deployment "${name}" rollout to finish:`;
    if (updated < want)
        return pending(`${prefix} ${updated} out of ${want} new replicas have been updated...`);
    if (replicas > updated)
        return pending(`${prefix} ${replicas - updated} old replicas are pending termination...`);
    if (available < updated)
        return pending(`${prefix} ${available} of ${updated} updated replicas are available...`);
    return { kind: 'completed', message: `deployment "${name}" successfully rolled out` };
}
const DEFINITIVE_WAITING = new Set([
    'ErrImagePull',
    'ImagePullBackOff',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CreateContainerError',
]);
/**
 * Pure: a pod of our ReplicaSet fails for good when an image cannot be pulled or a container cannot be
 * created (at once), or a container keeps crashing: CrashLoopBackOff after `failFastAfter` restarts.
 */
function classifyPod(pod, failFastAfter) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const problems = [];
    const crashed = [];
    let definitive = false;
    for (const c of statuses) {
        const waiting = c.state?.waiting;
        const last = c.lastState?.terminated;
        const restarts = c.restartCount ?? 0;
        if (waiting?.reason && DEFINITIVE_WAITING.has(waiting.reason)) {
            definitive = true;
            problems.push(`pod ${pod.metadata.name} container ${c.name}: ${waiting.reason}: ${waiting.message ?? ''}`.trim());
        }
        else if (last && last.exitCode !== 0 && (waiting?.reason === 'CrashLoopBackOff' || restarts > 0)) {
            crashed.push(c.name);
            problems.push(`pod ${pod.metadata.name} container ${c.name}: ${waiting?.reason ?? 'restarting'} after ${restarts} restart(s); last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}`);
            if (failFastAfter > 0 && restarts >= failFastAfter)
                definitive = true;
        }
    }
    return { definitive, problems, crashed };
}
/**
 * Pure: restoring a revision = putting its ReplicaSet's template back, without the pod-template-hash label
 * (what `kubectl rollout undo --to-revision` does), as a JSON patch. Its first operation tests that the
 * Deployment is still at our generation, so a change someone made since is never rolled back over (the API
 * server refuses the whole patch).
 */
function rollbackPatch(template, options) {
    const labels = Object.fromEntries(Object.entries(template.metadata?.labels ?? {}).filter(([k]) => k !== 'pod-template-hash'));
    const cause = options.hasAnnotations
        ? {
            op: 'add',
            path: `/metadata/annotations/${CHANGE_CAUSE_ANNOTATION.replace('/', '~1')}`,
            value: options.changeCause,
        }
        : { op: 'add', path: '/metadata/annotations', value: { [CHANGE_CAUSE_ANNOTATION]: options.changeCause } };
    return [
        { op: 'test', path: '/metadata/generation', value: options.generation },
        {
            op: 'replace',
            path: '/spec/template',
            value: { ...template, metadata: { ...template.metadata, labels } },
        },
        cause,
    ];
}


/***/ }),

/***/ 7077:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  EksAccessError: () => (/* binding */ EksAccessError),
  connectToCluster: () => (/* binding */ connectToCluster),
  explainPod: () => (/* binding */ explainPod),
  prepareEksTarget: () => (/* binding */ prepareEksTarget),
  stsCaller: () => (/* binding */ stsCaller)
});

// EXTERNAL MODULE: ../node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var dist_cjs = __webpack_require__(9458);
// EXTERNAL MODULE: ../node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(6314);
// EXTERNAL MODULE: ../node_modules/@aws-sdk/credential-provider-node/dist-cjs/index.js
var credential_provider_node_dist_cjs = __webpack_require__(5455);
// EXTERNAL MODULE: ./actions-core.ts
var actions_core = __webpack_require__(3995);
// EXTERNAL MODULE: ./aws/clients.ts
var clients = __webpack_require__(5918);
// EXTERNAL MODULE: ./aws/errors.ts
var errors = __webpack_require__(3343);
// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./errors.ts
var errors_0 = __webpack_require__(1169);
// EXTERNAL MODULE: ./deploy/containers.ts
var containers = __webpack_require__(7872);
// EXTERNAL MODULE: ./deploy/target.ts
var target = __webpack_require__(6561);
// EXTERNAL MODULE: ./deploy/retry.ts
var retry = __webpack_require__(888);
// EXTERNAL MODULE: ./eks/kube-client.ts
var kube_client = __webpack_require__(841);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ../node_modules/@smithy/signature-v4/dist-cjs/index.js
var signature_v4_dist_cjs = __webpack_require__(6048);
;// CONCATENATED MODULE: ./eks/token.ts


/** How long EKS accepts a token after its X-Amz-Date; re-minted well before. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
const TOKEN_REFRESH_MS = 10 * 60_000;
function toBuffer(data) {
    if (typeof data === 'string')
        return Buffer.from(data, 'utf8');
    if (ArrayBuffer.isView(data))
        return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return Buffer.from(data);
}
/** SHA-256 / HMAC-SHA-256 over node:crypto, in the shape the SigV4 signer takes. */
class Sha256 {
    secret;
    hash;
    constructor(secret) {
        this.secret = secret === undefined ? undefined : toBuffer(secret);
        this.hash = this.secret ? (0,external_node_crypto_.createHmac)('sha256', this.secret) : (0,external_node_crypto_.createHash)('sha256');
    }
    update(data) {
        this.hash.update(data);
    }
    async digest() {
        return new Uint8Array(this.hash.digest());
    }
    reset() {
        this.hash = this.secret ? (0,external_node_crypto_.createHmac)('sha256', this.secret) : (0,external_node_crypto_.createHash)('sha256');
    }
}
/** The regional STS endpoint, honouring the SDK's endpoint variables (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL). */
function stsEndpoint(region, env) {
    const configured = env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL;
    const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return new URL(configured || `https://sts.${region}.${suffix}`);
}
/**
 * The token `aws eks get-token` prints: a presigned STS GetCallerIdentity URL with the cluster name signed in
 * the `x-k8s-aws-id` header, as `k8s-aws-v1.` + base64url without padding.
 */
async function mintEksToken(options) {
    const endpoint = stsEndpoint(options.region, options.env);
    const signer = new signature_v4_dist_cjs.SignatureV4({
        service: 'sts',
        region: options.region,
        credentials: options.credentials,
        sha256: Sha256,
    });
    const now = options.now ?? new Date();
    const presigned = await signer.presign({
        method: 'GET',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: endpoint.pathname === '' ? '/' : endpoint.pathname,
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: endpoint.host, 'x-k8s-aws-id': options.cluster },
    }, { expiresIn: 60, signingDate: now });
    const query = Object.entries(presigned.query ?? {})
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&');
    const url = `${endpoint.protocol}//${endpoint.host}${presigned.path}?${query}`;
    const token = `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
    return { token, expiresAt: now.getTime() + TOKEN_LIFETIME_MS };
}

// EXTERNAL MODULE: ./eks/rollout.ts
var rollout = __webpack_require__(3619);
// EXTERNAL MODULE: ./eks/watch.ts
var eks_watch = __webpack_require__(4129);
// EXTERNAL MODULE: ./deploy/bake.ts
var bake = __webpack_require__(1001);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./eks/hpa.ts
// The `auto-scaling` input on EKS: one autoscaling/v2 HorizontalPodAutoscaler per Deployment, named like it,
// scaling it between min and max on CPU/memory utilisation (Resource metrics). Pure: what the HPA should be,
// what to write for it given the live one, and what would keep it from acting.
// https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/

const HPA_API_VERSION = 'autoscaling/v2';
/** Pure: the spec of the HPA that scales Deployment `name` as the settings say. */
function renderHpaSpec(name, settings) {
    return {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: settings.min,
        maxReplicas: settings.max,
        metrics: settings.policies
            .filter((p) => p.metric === 'cpu' || p.metric === 'memory')
            .map((p) => ({
            type: 'Resource',
            resource: { name: p.metric, target: { type: 'Utilization', averageUtilization: p.target } },
        })),
    };
}
/**
 * Pure: what to write so the HPA is the wanted one. Only the fields we set are compared (the API server
 * defaults `minReplicas` to 1; `behavior` and labels someone else set are left alone), so an HPA equal to
 * the wanted one is not written.
 */
function planHpa(live, namespace, wanted) {
    const name = wanted.scaleTargetRef.name;
    if (!live) {
        return {
            kind: 'create',
            body: {
                apiVersion: HPA_API_VERSION,
                kind: 'HorizontalPodAutoscaler',
                metadata: { name, namespace },
                spec: wanted,
            },
        };
    }
    const spec = live.spec ?? {};
    const ref = spec.scaleTargetRef;
    const current = {
        scaleTargetRef: ref ? { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name } : undefined,
        minReplicas: spec.minReplicas ?? 1,
        maxReplicas: spec.maxReplicas,
        metrics: spec.metrics ?? [],
    };
    const changed = Object.keys(current).filter((k) => !(0,external_node_util_.isDeepStrictEqual)(current[k], wanted[k]));
    return changed.length === 0 ? { kind: 'none' } : { kind: 'patch', body: { spec: wanted }, changed };
}
/**
 * Pure: for each metric, the containers without a request of that resource. The HPA computes utilisation
 * against the requests; when a container of the pod has none, the metric is undefined and the HPA takes no
 * action for it (Kubernetes' HPA documentation, "Algorithm details").
 */
function containersWithoutRequests(template, spec) {
    const containers = (template.spec?.containers ?? []);
    return spec.metrics
        .map((m) => ({
        resource: m.resource.name,
        containers: containers
            .filter((c) => c.resources?.requests?.[m.resource.name] === undefined)
            .map((c) => c.name),
    }))
        .filter((r) => r.containers.length > 0);
}
/** Pure: `2–10 replicas, cpu 60 %, memory 70 %` for the log, the summary and the results output. */
function describeHpa(spec) {
    const targets = spec.metrics.map((m) => `${m.resource.name} ${m.resource.target.averageUtilization} %`);
    return [`${spec.minReplicas}–${spec.maxReplicas} replicas`, ...targets].join(', ');
}

;// CONCATENATED MODULE: ./eks/hpa-apply.ts


/** RBAC forbids what the HPA needs: the message names the user, the verb and what to grant. */
class HpaAccessError extends Error {
    constructor(message) {
        super(message);
        this.name = 'HpaAccessError';
    }
}
const hpaPath = (namespace, name) => `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers${name ? `/${name}` : ''}`;
async function mayDo(kube, namespace, verb, name) {
    const review = await kube.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
            resourceAttributes: {
                namespace,
                verb,
                group: 'autoscaling',
                resource: 'horizontalpodautoscalers',
                ...(name ? { name } : {}),
            },
        },
    });
    return review.status ?? {};
}
async function requireAccess(kube, namespace, verb, name, user) {
    const status = await mayDo(kube, namespace, verb, name);
    if (!status.allowed) {
        throw new HpaAccessError(`User "${user}" cannot ${verb} horizontalpodautoscalers.autoscaling in namespace "${namespace}" (RBAC forbids it${status.reason ? `: ${status.reason}` : ''}); auto-scaling needs get, create and patch on them. Bind a Role that allows these on horizontalpodautoscalers (API group autoscaling), or remove auto-scaling.`);
    }
}
/** Reads the HPA of one Deployment and plans its change; checks RBAC for what the change needs. Writes nothing. */
async function planDeploymentHpa(options) {
    const { kube, namespace, name, user, log } = options;
    await requireAccess(kube, namespace, 'get', name, user);
    let live;
    try {
        live = await kube.get(hpaPath(namespace, name));
    }
    catch (error) {
        if (!(error instanceof kube_client/* KubeApiError */.W) || error.status !== 404)
            throw error;
    }
    const spec = renderHpaSpec(name, options.settings);
    const change = planHpa(live, namespace, spec);
    if (change.kind === 'create')
        await requireAccess(kube, namespace, 'create', undefined, user);
    if (change.kind === 'patch')
        await requireAccess(kube, namespace, 'patch', name, user);
    for (const missing of containersWithoutRequests(options.template, spec)) {
        log.warning(`${name}: container(s) ${missing.containers.join(', ')} have no ${missing.resource} request: the HPA cannot compute ${missing.resource} utilisation for these pods and takes no action on it. Set resources.requests.${missing.resource} on every container.`);
    }
    return { name, spec, change, summary: describeHpa(spec) };
}
/** Writes the planned change (nothing when the live HPA is the wanted one). */
async function writeDeploymentHpa(kube, namespace, hpa, log) {
    const { change } = hpa;
    if (change.kind === 'none') {
        log.info(`${hpa.name}: HorizontalPodAutoscaler unchanged (${hpa.summary})`);
        return;
    }
    if (change.kind === 'create')
        await kube.post(hpaPath(namespace), change.body);
    else
        await kube.patch(hpaPath(namespace, hpa.name), change.body, 'merge');
    log.info(`${hpa.name}: HorizontalPodAutoscaler ${change.kind === 'create' ? 'created' : `updated (${change.changed.join(', ')})`}: ${hpa.summary}`);
}

;// CONCATENATED MODULE: ./eks/target.ts
// Kubernetes Deployments on EKS as a deploy target: what differs from ECS — the API server and its token,
// RBAC checks, the strategic-merge patch, the watch, restoring a revision's template.

















/** The cluster refused us, or would refuse the patch: says who we are and what to grant. */
class EksAccessError extends Error {
    constructor(message) {
        super(message);
        this.name = 'EksAccessError';
    }
}
/** How long the rollback keeps asking for the ReplicaSet to restore. */
const ROLLBACK_READ_MS = 60_000;
/** Who the credentials belong to (GetCallerIdentity), for messages; `this principal` when unknown. */
const stsCaller = (options) => async () => {
    try {
        const sts = new client_sts_dist_cjs.STSClient((0,clients.clientConfig)(options));
        return (await sts.send(new client_sts_dist_cjs.GetCallerIdentityCommand({}))).Arn ?? 'this principal';
    }
    catch {
        return 'this principal';
    }
};
/** DescribeCluster → endpoint and CA; a token minted from the SDK's credentials, re-minted before it expires. */
async function connectToCluster(options) {
    const { target } = options;
    let cluster;
    try {
        cluster = (await options.eks.send(new dist_cjs.DescribeClusterCommand({ name: target.cluster }))).cluster;
    }
    catch (error) {
        if ((0,errors/* errorName */.Is)(error) === 'ResourceNotFoundException') {
            throw new errors_0/* InputError */.dz(contract/* Input */.pd.EksCluster, `cluster "${target.cluster}" does not exist in ${options.region}. Check the name and the region.`);
        }
        throw (0,errors/* describeAwsError */.Pp)('DescribeCluster', error, {
            permission: 'eks:DescribeCluster',
            subject: `cluster ${target.cluster}`,
        });
    }
    const server = cluster?.endpoint;
    const caData = cluster?.certificateAuthority?.data;
    if (!server || !caData) {
        throw new Error(`Cluster ${target.cluster} has no endpoint or CA yet (status ${cluster?.status ?? 'unknown'}).`);
    }
    const credentials = (0,clients.stepCredentialsProvider)() ?? (0,credential_provider_node_dist_cjs.defaultProvider)();
    let cached;
    const token = async () => {
        const now = options.clock.now();
        if (!cached || now - cached.mintedAt > TOKEN_REFRESH_MS) {
            const minted = await mintEksToken({
                cluster: target.cluster,
                region: options.region,
                credentials,
                env: options.env,
            });
            actions_core/* setSecret */.Pq(minted.token);
            cached = { token: minted.token, mintedAt: now };
        }
        return cached.token;
    };
    return {
        kube: new kube_client/* KubeClient */.B({
            server,
            ca: Buffer.from(caData, 'base64').toString('utf8'),
            token,
            env: options.env,
        }),
        server,
    };
}
/** Turns the API server's refusals and network failures into what to do about them. */
async function explainAccess(error, options, server) {
    const code = error.code;
    if ((0,retry/* isNetworkError */.TX)(error)) {
        return new EksAccessError(`Could not reach the API server of ${options.target.cluster} at ${server} (${code}). The endpoint may be private (endpointPrivateAccess only, or publicAccessCidrs not including this runner): run the job on a runner inside the VPC, or allow the runner's addresses.`);
    }
    if (error instanceof kube_client/* KubeApiError */.W && error.status === 401) {
        const arn = await options.callerArn();
        return new EksAccessError(`Cluster ${options.target.cluster} does not accept the credentials of ${arn} (401 Unauthorized). Give that principal access: aws eks create-access-entry --cluster-name ${options.target.cluster} --principal-arn ${arn} (then an access policy or a Kubernetes RoleBinding for its username/groups), or map it in the aws-auth ConfigMap.`);
    }
    return error instanceof Error ? error : new Error(String(error));
}
async function describeNonDeployment(kube, namespace, name) {
    const kinds = [
        ['StatefulSet', `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}`],
        ['DaemonSet', `/apis/apps/v1/namespaces/${namespace}/daemonsets/${name}`],
        ['Argo Rollout', `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/${name}`],
    ];
    for (const [kind, path] of kinds) {
        try {
            await kube.get(path);
            return kind;
        }
        catch {
            // not that kind (or the API group does not exist)
        }
    }
    return undefined;
}
function render(unit, image, options) {
    try {
        return {
            imageRef: image.imageRef,
            patch: (0,rollout/* planImagePatch */.pJ)(unit.deployment, {
                ...image,
                containers: options.target.containers,
                changeCause: `ecr-deploy: ${image.imageRef} (${options.env.GITHUB_SHA ? `commit ${options.env.GITHUB_SHA}, ` : ''}${options.runUrl})`,
            }),
            hpaChanges: unit.hpa !== undefined && unit.hpa.change.kind !== 'none',
        };
    }
    catch (error) {
        if (error instanceof containers/* ContainerSelectionError */.g)
            throw new errors_0/* InputError */.dz(contract/* Input */.pd.Containers, error.message);
        throw error;
    }
}
async function readUnits(kube, options) {
    const { namespace } = options.target;
    const review = await kube
        .post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
    })
        .catch(() => undefined);
    const user = review?.status?.userInfo?.username ?? (await options.callerArn());
    const units = [];
    for (const name of options.target.deployments) {
        const access = await kube.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
                resourceAttributes: { namespace, verb: 'patch', group: 'apps', resource: 'deployments', name },
            },
        });
        if (!access.status?.allowed) {
            throw new EksAccessError(`User "${user}" cannot patch deployments in namespace "${namespace}" (RBAC forbids it${access.status?.reason ? `: ${access.status.reason}` : ''}). Bind a Role there that allows get, list, watch and patch on deployments, get/list/watch on replicasets, pods, pods/log and events (see the README's RBAC example).`);
        }
        let deployment;
        try {
            deployment = await kube.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
        }
        catch (error) {
            if (!(error instanceof kube_client/* KubeApiError */.W) || error.status !== 404)
                throw error;
            const other = await describeNonDeployment(kube, namespace, name);
            throw new errors_0/* InputError */.dz(contract/* Input */.pd.Deployment, other
                ? `"${name}" in namespace ${namespace} is a ${other}; only Deployments are supported.`
                : `no Deployment "${name}" in namespace ${namespace} of cluster ${options.target.cluster}. Check the name and the namespace input.`);
        }
        const settings = options.target.autoScaling;
        const hpa = settings
            ? await planDeploymentHpa({
                kube,
                namespace,
                name,
                template: deployment.spec.template,
                settings,
                user,
                log: options.log,
            })
            : undefined;
        const unit = {
            name,
            deployment,
            revisionBefore: deployment.metadata.annotations?.[rollout/* REVISION_ANNOTATION */.wB],
            ...(hpa ? { hpa } : {}),
        };
        render(unit, (0,target/* standInImage */.P)(options.repositoryUri), options);
        units.push(unit);
    }
    return units;
}
async function explainPod(kube, namespace, pod, crashed) {
    const lines = [];
    try {
        const events = await kube.get(`/api/v1/namespaces/${namespace}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${pod.metadata.name}`)}`);
        for (const e of (events.items ?? []).slice(-5))
            lines.push(`  event ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`);
    }
    catch (error) {
        lines.push(`  (events unavailable: ${error.message})`);
    }
    for (const container of crashed) {
        try {
            const log = await kube.get(`/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log?container=${container}&previous=true&tailLines=20`);
            lines.push(`  last log lines of ${container} (previous run):`, ...String(log)
                .trimEnd()
                .split('\n')
                .map((l) => `    ${l}`));
        }
        catch (error) {
            lines.push(`  (previous log of ${container} unavailable: ${error.message})`);
        }
    }
    return lines;
}
/**
 * Reads what is there — access to the cluster, the right to patch each Deployment, that each name is a
 * Deployment — and checks the container selection against the repository. Nothing is changed.
 */
async function prepareEksTarget(options) {
    const { manifests } = options.target;
    if (manifests) {
        const { prepareManifestsTarget } = await Promise.all(/* import() */[__webpack_require__.e(637), __webpack_require__.e(356)]).then(__webpack_require__.bind(__webpack_require__, 5356));
        try {
            // The driver is generic over a port's own unit, plan and handle types and never mixes two ports; the
            // caller hands this one straight to it, so its types are erased here.
            return (await prepareManifestsTarget({
                ...options,
                target: { ...options.target, manifests },
                kube: options.kube,
            }));
        }
        catch (error) {
            if (error instanceof errors_0/* InputError */.dz || error instanceof EksAccessError)
                throw error;
            throw await explainAccess(error, options, options.server);
        }
    }
    let units;
    try {
        units = await readUnits(options.kube, options);
    }
    catch (error) {
        if (error instanceof errors_0/* InputError */.dz || error instanceof EksAccessError)
            throw error;
        throw await explainAccess(error, options, options.server);
    }
    return createEksPort(options, options.kube, units);
}
function createEksPort(options, kube, units) {
    const { target, clock, log } = options;
    let reader;
    const alarmReader = () => (reader ??= options.alarmReader ?? (0,bake/* sdkAlarmReader */.hh)(options.region, options.env));
    const { namespace } = target;
    const path = (name) => `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
    const onItsOwn = (d) => `the Deployment controller goes on rolling out on its own and marks it failed (ProgressDeadlineExceeded) if it makes no progress for ${d.spec.progressDeadlineSeconds ?? 600} s; nothing rolls it back`;
    return {
        units,
        nameOf: (unit) => `${namespace}/${unit.name}`,
        render: (unit, image) => render(unit, image, options),
        unchanged: (plan) => plan.patch.unchanged && !plan.hpaChanges,
        preview(unit, plan) {
            const hpa = unit.hpa && plan.hpaChanges
                ? [`dry run — would ${unit.hpa.change.kind} the HorizontalPodAutoscaler: ${unit.hpa.summary}`]
                : [];
            if (plan.patch.unchanged)
                return [...hpa, 'dry run — unchanged, nothing would be patched'];
            return [
                ...hpa,
                'dry run — would patch:',
                ...JSON.stringify(plan.patch.patch, null, 2).split('\n'),
                ...plan.patch.changes.map((c) => `  ${c.container}: ${c.from} → ${c.to}`),
            ];
        },
        async apply(unit, plan) {
            if (unit.hpa)
                await writeDeploymentHpa(kube, namespace, unit.hpa, log);
            // Only the HPA changed: nothing rolls out (the image patch never sets replicas, which the HPA owns).
            if (plan.patch.unchanged) {
                return {
                    unit,
                    generation: unit.deployment.metadata.generation ?? 0,
                    deployment: unit.deployment,
                    hpaOnly: true,
                };
            }
            const patched = await kube.patch(path(unit.name), plan.patch.patch, 'strategic');
            log.info(`${unit.name}: patched ${plan.patch.changes.map((c) => `${c.container} → ${c.to}`).join(', ')} (generation ${patched.metadata.generation})`);
            return { unit, generation: patched.metadata.generation ?? 0, deployment: patched };
        },
        async wait(handle, budget) {
            if (handle.hpaOnly)
                return { kind: 'completed' };
            const outcome = await (0,eks_watch/* watchRollout */.D)({
                kube,
                namespace,
                name: handle.unit.name,
                ourGeneration: handle.generation,
                budget,
                clock,
                log,
                onItsOwn: onItsOwn(handle.deployment),
                explain: handle.restores
                    ? async () => []
                    : (pod, crashed) => explainPod(kube, namespace, pod, crashed),
            }, handle.deployment);
            handle.revision = outcome.revision;
            // Completed only once the alarms stayed quiet for the bake (not for a rollback: it is the known-good one).
            const watch = target.alarms;
            if (outcome.verdict.kind !== 'completed' || handle.restores || !watch?.bakeTimeMs)
                return outcome.verdict;
            return (0,bake/* bake */.Wq)({
                reader: alarmReader(),
                watch,
                clock,
                log,
                name: `${namespace}/${handle.unit.name}`,
            });
        },
        platformRollback: () => undefined,
        async rollBack(handle) {
            const { unit } = handle;
            if (!unit.revisionBefore)
                return { skipped: 'the Deployment had no revision before ours' };
            const selector = (0,rollout/* selectorOf */.Bk)(unit.deployment);
            // A read: asked again on 5xx and dropped connections, for up to a minute.
            const sets = await (0,retry/* retrying */.R$)(`listing the ReplicaSets of ${unit.name}`, () => kube.get(`/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(selector)}`), { clock, deadline: clock.now() + ROLLBACK_READ_MS });
            const previous = sets.items?.find((rs) => rs.metadata.annotations?.[rollout/* REVISION_ANNOTATION */.wB] === unit.revisionBefore);
            if (!previous?.spec?.template) {
                return { skipped: `revision ${unit.revisionBefore} has no ReplicaSet left to roll back to` };
            }
            log.info(`${unit.name}: rolling back to revision ${unit.revisionBefore}`);
            let patched;
            try {
                patched = await kube.patch(path(unit.name), (0,rollout/* rollbackPatch */.Ht)(previous.spec.template, {
                    changeCause: `ecr-deploy: rollback to revision ${unit.revisionBefore} (${options.runUrl})`,
                    hasAnnotations: handle.deployment.metadata.annotations !== undefined,
                    generation: handle.generation,
                }), 'json');
            }
            catch (error) {
                if (error instanceof kube_client/* KubeApiError */.W && error.status === 422) {
                    return {
                        skipped: `the Deployment changed since our patch (no longer generation ${handle.generation}): someone else's change is not rolled back over`,
                    };
                }
                throw error;
            }
            return {
                handle: {
                    unit,
                    generation: patched.metadata.generation ?? 0,
                    deployment: patched,
                    restores: unit.revisionBefore,
                },
            };
        },
        rollbackTarget: (handle) => `the template of revision ${handle.restores ?? '?'}`,
        details: (unit, handle, status) => ({
            target: 'eks',
            ...(handle?.revision ? { revision: handle.revision } : {}),
            ...(status === 'unchanged' && unit.revisionBefore ? { revision: unit.revisionBefore } : {}),
            ...(unit.revisionBefore ? { previousRevision: unit.revisionBefore } : {}),
            ...(unit.hpa ? { autoScaling: unit.hpa.summary } : {}),
        }),
    };
}


/***/ }),

/***/ 4129:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ watchRollout)
/* harmony export */ });
/* harmony import */ var _deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5708);
/* harmony import */ var _deploy_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4752);
/* harmony import */ var _deploy_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(888);
/* harmony import */ var _kube_client_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(841);
/* harmony import */ var _rollout_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3619);





function message(error) {
    return error instanceof Error ? error.message : String(error);
}
/**
 * Keeps a list of objects current: list, then watch from its resourceVersion; a dropped stream resumes from
 * the last version seen, an expired version (410 Gone) lists again. Failures are retried with backoff for as
 * long as it runs; a permanent one (401, 403) stops it and is kept in `fatal`.
 */
class Follower {
    items = new Map();
    /** Since when, and why, the collection cannot be followed; undefined while it can. */
    failing;
    fatal;
    options;
    constructor(options) {
        this.options = options;
    }
    async run() {
        const { kube, collection, query, clock, log, signal } = this.options;
        const backoff = new _deploy_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .Backoff */ .nO({ initialMs: 400, maxMs: 3000 });
        let resourceVersion;
        let needList = true;
        let relisted = false;
        while (!signal.aborted) {
            try {
                if (needList) {
                    const list = await kube.get(`${collection}?${query}`);
                    this.items.clear();
                    for (const item of list.items ?? [])
                        this.items.set(item.metadata.name, item);
                    resourceVersion = list.metadata?.resourceVersion;
                    needList = false;
                    this.options.onChange(this.items);
                }
                let gone = false;
                const watch = await kube.watch(`${collection}?${query}&watch=true&allowWatchBookmarks=true&timeoutSeconds=240&resourceVersion=${resourceVersion ?? ''}`, (event) => {
                    const object = event.object;
                    if (event.type === 'ERROR') {
                        if (object.code === 410)
                            gone = true;
                        return;
                    }
                    if (object.metadata?.resourceVersion)
                        resourceVersion = object.metadata.resourceVersion;
                    if (event.type === 'BOOKMARK')
                        return;
                    if (event.type === 'DELETED')
                        this.items.delete(object.metadata.name);
                    else
                        this.items.set(object.metadata.name, object);
                    this.options.onChange(this.items);
                });
                const stop = () => watch.stop();
                signal.addEventListener('abort', stop, { once: true });
                if (signal.aborted)
                    watch.stop();
                if (this.failing) {
                    log.info(`The watch on ${collection} is back (after ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - this.failing.since)}).`);
                    this.failing = undefined;
                }
                backoff.reset();
                try {
                    await watch.done;
                }
                finally {
                    signal.removeEventListener('abort', stop);
                }
                if (gone)
                    throw new _kube_client_js__WEBPACK_IMPORTED_MODULE_3__/* .KubeApiError */ .W(410, 'Expired', 'the watch answered 410 Gone');
                relisted = false;
            }
            catch (error) {
                if (signal.aborted)
                    return;
                if (error instanceof _kube_client_js__WEBPACK_IMPORTED_MODULE_3__/* .KubeApiError */ .W && error.status === 410) {
                    log.info(`The watch on ${collection} expired (410 Gone); listing again.`);
                    // A fresh list too old at once again: do not ask in a tight loop.
                    if (relisted)
                        await clock.sleep(backoff.next(), signal);
                    relisted = needList = true;
                    continue;
                }
                if ((0,_deploy_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .classifyError */ .fe)(error) === 'permanent') {
                    this.fatal = `${collection}: ${message(error)}`;
                    this.options.onChange(this.items);
                    return;
                }
                this.failing ??= { since: clock.now(), error: message(error) };
                this.failing.error = message(error);
                log.info(`The watch on ${collection} dropped (${message(error)}); resuming.`);
                await clock.sleep(backoff.next(), signal);
            }
        }
    }
}
/**
 * Watches the Deployment and its pods until our generation has rolled out (kubectl's rule), failed (progress
 * deadline, ReplicaFailure, a definitive pod failure), was replaced by someone else's change, or the budget
 * runs out. Watches that drop are resumed and failed reads retried until the deadline: when the state could
 * not be seen at the end, the verdict is `unverified`.
 */
async function watchRollout(options, initial) {
    const { kube, namespace, name, clock, budget } = options;
    const started = clock.now();
    // Everything this watch prints goes through the heartbeat, which speaks up only when it was quiet.
    const log = new _deploy_log_js__WEBPACK_IMPORTED_MODULE_1__/* .Heartbeat */ .XE({ log: options.log, clock, name });
    const stopAll = new AbortController();
    let deployment = initial;
    let ourGeneration = options.ourGeneration;
    let deleted = false;
    let pods = new Map();
    let newReplicaSet;
    let podChecks = budget.failFastAfter > 0;
    let lastMessage = '';
    const failedPods = new Set();
    const definitive = [];
    let dirty = true;
    let poke = new AbortController();
    const changed = () => {
        dirty = true;
        poke.abort();
    };
    const revision = () => deployment.metadata.annotations?.[_rollout_js__WEBPACK_IMPORTED_MODULE_4__/* .REVISION_ANNOTATION */ .wB];
    const followers = [
        new Follower({
            kube,
            collection: `/apis/apps/v1/namespaces/${namespace}/deployments`,
            query: `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
            clock,
            log,
            signal: stopAll.signal,
            onChange: (items) => {
                const d = items.get(name);
                deleted = !d;
                if (d)
                    deployment = d;
                changed();
            },
        }),
        new Follower({
            kube,
            collection: `/api/v1/namespaces/${namespace}/pods`,
            query: `labelSelector=${encodeURIComponent((0,_rollout_js__WEBPACK_IMPORTED_MODULE_4__/* .selectorOf */ .Bk)(initial))}`,
            clock,
            log,
            signal: stopAll.signal,
            onChange: (items) => {
                pods = items;
                changed();
            },
        }),
    ];
    const findNewReplicaSet = async () => {
        if (newReplicaSet || (deployment.status?.observedGeneration ?? 0) < ourGeneration)
            return;
        const list = await kube.get(`/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent((0,_rollout_js__WEBPACK_IMPORTED_MODULE_4__/* .selectorOf */ .Bk)(deployment))}`);
        newReplicaSet = list.items?.find((rs) => rs.metadata.annotations?.[_rollout_js__WEBPACK_IMPORTED_MODULE_4__/* .REVISION_ANNOTATION */ .wB] === revision())
            ?.metadata.name;
    };
    /** One look at what the watches hold; a verdict when there is one. May throw when a GET fails. */
    const check = async () => {
        if (deleted) {
            return {
                kind: 'failed',
                reason: `Deployment ${name} was deleted during the rollout`,
                superseded: true,
            };
        }
        const generation = deployment.metadata.generation ?? 0;
        if (generation > ourGeneration && options.stillOurs?.(deployment))
            ourGeneration = generation;
        const verdict = (0,_rollout_js__WEBPACK_IMPORTED_MODULE_4__/* .evaluateDeployment */ .J4)(deployment, ourGeneration);
        if (verdict.kind === 'failed') {
            return { kind: 'failed', reason: verdict.reason, ...(verdict.superseded ? { superseded: true } : {}) };
        }
        if (verdict.kind === 'completed') {
            log.info(verdict.message);
            return { kind: 'completed' };
        }
        if (verdict.message !== lastMessage) {
            lastMessage = verdict.message;
            log.info(verdict.message);
        }
        if (!verdict.replicaFailure && !podChecks)
            return undefined;
        await findNewReplicaSet();
        if (verdict.replicaFailure && newReplicaSet) {
            // Only our ReplicaSet's failure counts: an old one's can linger while it is scaled down.
            const rs = await kube.get(`/apis/apps/v1/namespaces/${namespace}/replicasets/${newReplicaSet}`);
            if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) {
                return { kind: 'failed', reason: verdict.replicaFailure };
            }
        }
        if (!podChecks)
            return undefined;
        for (const pod of pods.values()) {
            if (!newReplicaSet || !pod.metadata.ownerReferences?.some((o) => o.name === newReplicaSet))
                continue;
            const podVerdict = (0,_rollout_js__WEBPACK_IMPORTED_MODULE_4__/* .classifyPod */ .Eg)(pod, budget.failFastAfter);
            if (!podVerdict.definitive || failedPods.has(pod.metadata.name))
                continue;
            failedPods.add(pod.metadata.name);
            definitive.push(...podVerdict.problems);
            const details = await options.explain(pod, podVerdict.crashed);
            return { kind: 'failed', reason: [...podVerdict.problems, ...details].join('\n') };
        }
        return undefined;
    };
    const lastSeen = () => `${lastMessage || 'no progress reported'}${definitive.length ? `; ${definitive.join('; ')}` : ''}`;
    const unseen = () => followers.find((f) => f.failing || f.fatal);
    const { signal } = budget;
    signal?.addEventListener('abort', changed, { once: true });
    for (const f of followers)
        void f.run();
    try {
        const backoff = new _deploy_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .Backoff */ .nO({ initialMs: 1000, maxMs: 16_000 });
        let retryAt = Number.POSITIVE_INFINITY;
        for (;;) {
            if (signal?.aborted) {
                return {
                    verdict: {
                        kind: 'unverified',
                        reason: `the watch was stopped (the step was cancelled); last seen: ${lastSeen()}; ${options.onItsOwn}`,
                    },
                    revision: revision(),
                };
            }
            const last = clock.now() >= budget.deadline;
            if (dirty || last) {
                dirty = false;
                retryAt = Number.POSITIVE_INFINITY;
                try {
                    const verdict = await check();
                    if (verdict)
                        return { verdict, revision: revision() };
                    backoff.reset();
                }
                catch (error) {
                    if ((0,_deploy_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .classifyError */ .fe)(error) === 'permanent' && podChecks) {
                        podChecks = false;
                        log.warning(`${name}: cannot read its ReplicaSets (${message(error)}); failing pods are not detected early, the Deployment's own conditions decide.`);
                        dirty = true;
                        continue;
                    }
                    retryAt = clock.now() + backoff.next();
                }
            }
            const fatal = followers.find((f) => f.fatal)?.fatal;
            if (fatal) {
                return {
                    verdict: {
                        kind: 'unverified',
                        reason: `the rollout cannot be watched (${fatal}); last seen: ${lastSeen()}; ${options.onItsOwn}`,
                    },
                    revision: revision(),
                };
            }
            if (last) {
                const blind = unseen()?.failing;
                return {
                    verdict: blind
                        ? {
                            kind: 'unverified',
                            reason: `the rollout could not be watched for the last ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - blind.since)} of the ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(budget.deadline - started)} wait (${blind.error}); last seen: ${lastSeen()}; ${options.onItsOwn}`,
                        }
                        : {
                            kind: 'timed-out',
                            reason: `not done after ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(budget.deadline - started)}; last state: ${lastSeen()}`,
                        },
                    revision: revision(),
                };
            }
            if (dirty)
                continue;
            const blind = unseen()?.failing;
            log.beat(blind
                ? `not watched for ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - blind.since)} (${blind.error}); last seen: ${lastSeen()}`
                : lastSeen());
            poke = new AbortController();
            const until = Math.min(budget.deadline, retryAt, log.dueAt);
            await clock.sleep(Math.max(0, until - clock.now()), poke.signal);
            if (clock.now() >= retryAt)
                dirty = true;
        }
    }
    finally {
        signal?.removeEventListener('abort', changed);
        stopAll.abort();
    }
}


/***/ })

};
