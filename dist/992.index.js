export const id = 992;
export const ids = [992];
export const modules = {

/***/ 9378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Is: () => (/* binding */ errorName),
/* harmony export */   Pp: () => (/* binding */ describeAwsError),
/* harmony export */   iQ: () => (/* binding */ AwsCallError)
/* harmony export */ });
/** A failed AWS call, with what the user can do about it. */
class AwsCallError extends Error {
    operation;
    code;
    constructor(operation, message, code, options) {
        super(message, options);
        this.name = 'AwsCallError';
        this.operation = operation;
        this.code = code;
    }
}
const CREDENTIAL_ERRORS = new Set([
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'InvalidClientTokenId',
    'SignatureDoesNotMatch',
    'ExpiredTokenException',
    'ExpiredToken',
    'CredentialsProviderError',
]);
const NETWORK_CODES = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'ECONNRESET',
    'EHOSTUNREACH',
]);
function errorName(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const e = error;
    return e.name && e.name !== 'Error' ? e.name : e.code;
}
/**
 * Turns an SDK error into one sentence that says what failed and what to do. Service-specific errors that
 * callers handle themselves (RepositoryNotFoundException, …) are not passed here.
 */
function describeAwsError(operation, error, options) {
    const name = errorName(error);
    const message = error?.message ?? String(error);
    const requestId = error?.$metadata?.requestId;
    const suffix = requestId ? ` (request id ${requestId})` : '';
    let text;
    if (name && CREDENTIAL_ERRORS.has(name)) {
        text =
            `${operation} for ${options.subject}: the AWS credentials were rejected (${name}: ${message}). ` +
                'Check that a credentials step (e.g. aws-actions/configure-aws-credentials) runs before this one and that ' +
                'the key, secret and session token belong together and have not expired.';
    }
    else if (name === 'AccessDeniedException' || name === 'AccessDenied') {
        text = `${operation} for ${options.subject} was denied (${message}). Allow ${options.permission} for this role.`;
    }
    else if (name && NETWORK_CODES.has(name)) {
        text =
            `${operation} for ${options.subject}: could not reach ${options.endpoint ?? 'the AWS endpoint'} (${name}). ` +
                'Check the region, the network or proxy (HTTPS_PROXY, NO_PROXY), and any AWS_ENDPOINT_URL_* settings.';
    }
    else {
        text = `${operation} for ${options.subject} failed: ${name ? `${name}: ` : ''}${message}`;
    }
    return new AwsCallError(operation, text + suffix, name, { cause: error });
}


/***/ }),

/***/ 6992:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  EksAccessError: () => (/* binding */ EksAccessError),
  deployToEks: () => (/* binding */ deployToEks),
  preflightEks: () => (/* binding */ preflightEks)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var dist_cjs = __webpack_require__(4524);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/credential-provider-node/dist-cjs/index.js
var credential_provider_node_dist_cjs = __webpack_require__(5861);
// EXTERNAL MODULE: ./src/aws/clients.ts
var clients = __webpack_require__(201);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(9378);
// EXTERNAL MODULE: ./src/contract.ts
var contract = __webpack_require__(3665);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
;// CONCATENATED MODULE: ./src/eks/kube-client.ts


/** A Kubernetes API answer other than 2xx, with its `Status` body's reason and message. */
class KubeApiError extends Error {
    status;
    reason;
    constructor(status, reason, message) {
        super(message);
        this.name = 'KubeApiError';
        this.status = status;
        this.reason = reason;
    }
}
const PATCH_CONTENT_TYPE = {
    strategic: 'application/strategic-merge-patch+json',
    json: 'application/json-patch+json',
    merge: 'application/merge-patch+json',
};
/** A small typed client for the few calls the deploy makes: get, list, patch, create, watch, logs. */
class KubeClient {
    options;
    agent;
    constructor(options) {
        this.options = options;
        this.agent = new (external_node_https_default()).Agent({ ...(0,clients/* agentOptions */._E)(options.env), ca: options.ca });
    }
    async open(method, path, headers, timeoutMs) {
        const url = new URL(path, this.options.server);
        const token = await this.options.token();
        return external_node_https_default().request(url, {
            method,
            agent: this.agent,
            timeout: timeoutMs,
            headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...headers },
        });
    }
    async request(method, path, body, contentType = 'application/json') {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = await this.open(method, path, payload ? { 'content-type': contentType } : {}, 30_000);
        return new Promise((resolve, reject) => {
            req.on('response', (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    const status = res.statusCode ?? 0;
                    if (status >= 200 && status < 300) {
                        resolve((res.headers['content-type']?.includes('json') ? JSON.parse(text) : text));
                        return;
                    }
                    let reason;
                    let message = text.slice(0, 500);
                    try {
                        const parsed = JSON.parse(text);
                        reason = parsed.reason;
                        message = parsed.message ?? message;
                    }
                    catch {
                        // not a Status body
                    }
                    reject(new KubeApiError(status, reason, message || `HTTP ${status}`));
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
    /**
     * Streams watch events until the server ends the stream, `stop()` is called, or the connection drops.
     * Resolves with how it ended; a `410 Gone` arrives as an ERROR event the caller handles.
     */
    async watch(path, onEvent) {
        const req = await this.open('GET', path, {}, 0);
        let stopped = false;
        const done = new Promise((resolve, reject) => {
            req.on('response', (res) => {
                if ((res.statusCode ?? 0) >= 300) {
                    const chunks = [];
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
                        if (line)
                            onEvent(JSON.parse(line));
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@smithy/signature-v4/dist-cjs/index.js
var signature_v4_dist_cjs = __webpack_require__(5118);
;// CONCATENATED MODULE: ./src/eks/token.ts


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

// EXTERNAL MODULE: ./src/image/reference.ts
var reference = __webpack_require__(3564);
;// CONCATENATED MODULE: ./src/eks/rollout.ts

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
class PatchPlanError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PatchPlanError';
    }
}
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
    const names = all.map((c) => c.name);
    for (const s of options.containers) {
        if (!names.includes(s.name)) {
            throw new PatchPlanError(`Deployment ${deployment.metadata.name} has no container "${s.name}"; its containers are: ${names.join(', ')}. Fix the containers input.`);
        }
    }
    const wanted = new Map(options.containers.length > 0
        ? options.containers.map((s) => [s.name, s.image ?? options.imageRef])
        : all
            .filter((c) => c.image !== undefined && (0,reference/* imageRepository */.a)(c.image) === options.repositoryUri)
            .map((c) => [c.name, options.imageRef]));
    if (wanted.size === 0) {
        throw new PatchPlanError(`No container of Deployment ${deployment.metadata.name} uses ${options.repositoryUri}: ${all.map((c) => `${c.name} (${c.image ?? 'no image'})`).join(', ')}. Set containers to the names that should run the new image.`);
    }
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
 * (what `kubectl rollout undo --to-revision` does), as a JSON patch.
 */
function rollbackPatch(template, changeCause, hasAnnotations) {
    const labels = Object.fromEntries(Object.entries(template.metadata?.labels ?? {}).filter(([k]) => k !== 'pod-template-hash'));
    const cause = hasAnnotations
        ? {
            op: 'add',
            path: `/metadata/annotations/${CHANGE_CAUSE_ANNOTATION.replace('/', '~1')}`,
            value: changeCause,
        }
        : { op: 'add', path: '/metadata/annotations', value: { [CHANGE_CAUSE_ANNOTATION]: changeCause } };
    return [
        {
            op: 'replace',
            path: '/spec/template',
            value: { ...template, metadata: { ...template.metadata, labels } },
        },
        cause,
    ];
}

// EXTERNAL MODULE: ./src/deploy/duration.ts
var duration = __webpack_require__(5039);
;// CONCATENATED MODULE: ./src/eks/watch.ts




/**
 * Keeps a list of objects current: list, then watch from its resourceVersion; a dropped stream resumes from
 * the last version seen, an expired version (410 Gone) relists. Runs until `stop()`.
 */
function follow(kube, collection, query, onChange, onError) {
    const items = new Map();
    let resourceVersion;
    let current;
    let stopped = false;
    const relist = async () => {
        const list = await kube.get(`${collection}?${query}`);
        items.clear();
        for (const item of list.items ?? [])
            items.set(item.metadata.name, item);
        resourceVersion = list.metadata?.resourceVersion;
        onChange(items);
    };
    const loop = async () => {
        let failures = 0;
        let needList = true;
        while (!stopped) {
            try {
                if (needList)
                    await relist();
                needList = false;
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
                        items.delete(object.metadata.name);
                    else
                        items.set(object.metadata.name, object);
                    onChange(items);
                });
                current = watch;
                if (stopped)
                    watch.stop();
                await watch.done;
                failures = 0;
                if (gone) {
                    core/* info */.pq(`The watch on ${collection} expired (410 Gone); listing again.`);
                    needList = true;
                }
            }
            catch (error) {
                if (stopped)
                    return;
                failures += 1;
                if (error instanceof KubeApiError && error.status === 410)
                    needList = true;
                if (failures >= 6) {
                    onError(error);
                    return;
                }
                core/* info */.pq(`The watch on ${collection} dropped (${error.message}); resuming.`);
                await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** failures, 3000)));
            }
        }
    };
    void loop();
    return {
        stop: () => {
            stopped = true;
            current?.stop();
        },
    };
}
function selectorOf(d) {
    return Object.entries(d.spec.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}
/**
 * Watches the Deployment and its new ReplicaSet's pods until our generation has rolled out (kubectl's rule),
 * failed (progress deadline, ReplicaFailure, someone else's change, or a definitive pod failure), or the
 * budget runs out.
 */
async function watchRollout(options, initial) {
    const { kube, namespace, name } = options;
    const deploymentsPath = `/apis/apps/v1/namespaces/${namespace}/deployments`;
    const podsPath = `/api/v1/namespaces/${namespace}/pods`;
    let deployment = initial;
    let pods = new Map();
    let newReplicaSet;
    let lastMessage = '';
    let settled = false;
    const failedPods = new Set();
    const definitive = [];
    return new Promise((resolve) => {
        const watchers = [];
        const finish = (outcome) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            for (const w of watchers)
                w.stop();
            resolve(outcome);
        };
        const revision = () => deployment.metadata.annotations?.[REVISION_ANNOTATION];
        const findNewReplicaSet = async () => {
            if (newReplicaSet || (deployment.status?.observedGeneration ?? 0) < options.ourGeneration)
                return;
            const list = await kube.get(`/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(selectorOf(deployment))}`);
            newReplicaSet = list.items?.find((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === revision())
                ?.metadata.name;
        };
        const check = async () => {
            if (settled)
                return;
            const verdict = evaluateDeployment(deployment, options.ourGeneration);
            if (verdict.kind === 'failed')
                return finish({ kind: 'failed', reason: verdict.reason, revision: revision() });
            if (verdict.kind === 'completed') {
                core/* info */.pq(verdict.message);
                return finish({ kind: 'completed', revision: revision() });
            }
            if (verdict.message !== lastMessage) {
                lastMessage = verdict.message;
                core/* info */.pq(verdict.message);
            }
            await findNewReplicaSet();
            if (verdict.replicaFailure && newReplicaSet) {
                // Only our ReplicaSet's failure counts: an old one's can linger while it is scaled down.
                const rs = await kube.get(`/apis/apps/v1/namespaces/${namespace}/replicasets/${newReplicaSet}`);
                if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) {
                    return finish({ kind: 'failed', reason: verdict.replicaFailure, revision: revision() });
                }
            }
            for (const pod of pods.values()) {
                if (!newReplicaSet || !pod.metadata.ownerReferences?.some((o) => o.name === newReplicaSet))
                    continue;
                const podVerdict = classifyPod(pod, options.failFastAfter);
                if (!podVerdict.definitive || failedPods.has(pod.metadata.name))
                    continue;
                failedPods.add(pod.metadata.name);
                definitive.push(...podVerdict.problems);
                const details = await options.explain(pod, podVerdict.crashed);
                if (settled)
                    return;
                return finish({
                    kind: 'failed',
                    reason: [...podVerdict.problems, ...details].join('\n'),
                    revision: revision(),
                });
            }
        };
        const onError = (error) => finish({ kind: 'failed', reason: `the watch failed: ${error.message}`, revision: revision() });
        const timer = setTimeout(() => finish({
            kind: 'timed-out',
            reason: `not done after ${(0,duration/* formatDuration */.a)(options.timeoutMs)}; last state: ${lastMessage || 'no progress reported'}${definitive.length ? `; ${definitive.join('; ')}` : ''}`,
            revision: revision(),
        }), options.timeoutMs);
        watchers.push(follow(kube, deploymentsPath, `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`, (items) => {
            const d = items.get(name);
            if (!d)
                return finish({
                    kind: 'failed',
                    reason: `Deployment ${name} was deleted during the rollout`,
                    revision: revision(),
                });
            deployment = d;
            void check();
        }, onError), follow(kube, podsPath, `labelSelector=${encodeURIComponent(selectorOf(initial))}`, (items) => {
            pods = items;
            void check();
        }, onError));
        void check();
    });
}

;// CONCATENATED MODULE: ./src/eks/deploy.ts












/** The cluster refused us, or would refuse the patch: says who we are and what to grant. */
class EksAccessError extends Error {
    constructor(message) {
        super(message);
        this.name = 'EksAccessError';
    }
}
const NETWORK = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ECONNRESET',
]);
async function callerArn(options) {
    try {
        const sts = new client_sts_dist_cjs/* STSClient */.iM((0,clients/* clientConfig */.yO)(options));
        return (await sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({}))).Arn ?? 'this principal';
    }
    catch {
        return 'this principal';
    }
}
/** DescribeCluster → endpoint and CA; a token minted from the SDK's credentials, re-minted before it expires. */
async function connect(options) {
    const { target } = options;
    let cluster;
    try {
        cluster = (await options.eks.send(new dist_cjs.DescribeClusterCommand({ name: target.cluster }))).cluster;
    }
    catch (error) {
        if ((0,errors/* errorName */.Is)(error) === 'ResourceNotFoundException') {
            throw new src_errors/* InputError */.d(contract/* Input */.pd.EksCluster, `cluster "${target.cluster}" does not exist in ${options.region}. Check the name and the region.`);
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
    const credentials = (0,credential_provider_node_dist_cjs.defaultProvider)();
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
            core/* setSecret */.Pq(minted.token);
            cached = { token: minted.token, mintedAt: now };
        }
        return cached.token;
    };
    return {
        kube: new KubeClient({
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
    if (code && NETWORK.has(code)) {
        return new EksAccessError(`Could not reach the API server of ${options.target.cluster} at ${server} (${code}). The endpoint may be private (endpointPrivateAccess only, or publicAccessCidrs not including this runner): run the job on a runner inside the VPC, or allow the runner's addresses.`);
    }
    if (error instanceof KubeApiError && error.status === 401) {
        const arn = await callerArn(options);
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
async function prepare(kube, options) {
    const { namespace } = options.target;
    const review = await kube
        .post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' })
        .catch(() => undefined);
    const user = review?.status?.userInfo?.username ?? (await callerArn(options));
    const prepared = [];
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
            if (!(error instanceof KubeApiError) || error.status !== 404)
                throw error;
            const other = await describeNonDeployment(kube, namespace, name);
            throw new src_errors/* InputError */.d(contract/* Input */.pd.Deployment, other
                ? `"${name}" in namespace ${namespace} is a ${other}; only Deployments are supported.`
                : `no Deployment "${name}" in namespace ${namespace} of cluster ${options.target.cluster}. Check the name and the namespace input.`);
        }
        const { image } = options;
        let plan;
        try {
            plan = planImagePatch(deployment, {
                imageRef: image.imageRef,
                repositoryUri: image.repositoryUri,
                containers: options.target.containers,
                changeCause: `ecr-deploy: ${image.imageRef} (${options.runUrl})`,
            });
        }
        catch (error) {
            if (error instanceof PatchPlanError)
                throw new src_errors/* InputError */.d(contract/* Input */.pd.Containers, error.message);
            throw error;
        }
        prepared.push({
            name,
            deployment,
            plan,
            revisionBefore: deployment.metadata.annotations?.[REVISION_ANNOTATION],
        });
    }
    return prepared;
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
 * Patches each Deployment's containers to the image by digest and watches the rollout; failed ones go back to
 * the recorded revision's template. Access, kind and container checks run before anything is patched.
 */
async function connectAndPrepare(options) {
    const { kube, server } = await connect(options);
    try {
        return { kube, prepared: await prepare(kube, options) };
    }
    catch (error) {
        if (error instanceof src_errors/* InputError */.d || error instanceof EksAccessError)
            throw error;
        throw await explainAccess(error, options, server);
    }
}
/**
 * Before the image is built: the cluster answers, accepts us, lets us patch each Deployment, each name is a
 * Deployment, and named containers exist. Nothing is changed.
 */
async function preflightEks(options) {
    await connectAndPrepare({
        ...options,
        // The digest is not known yet: a stand-in checks the container selection against the repository.
        image: {
            imageRef: `${options.repositoryUri}@sha256:${'0'.repeat(64)}`,
            repositoryUri: options.repositoryUri,
        },
    });
}
async function deployToEks(options) {
    const { target, deploy } = options;
    const { kube, prepared } = await connectAndPrepare({
        ...options,
        image: { imageRef: options.imageRef, repositoryUri: options.repositoryUri },
    });
    const label = (name) => `${target.namespace}/${name}`;
    if (deploy.dryRun) {
        return prepared.map((p) => {
            core/* info */.pq(`${p.name}: dry run — ${p.plan.unchanged ? 'unchanged, nothing would be patched' : 'would patch:'}`);
            if (!p.plan.unchanged)
                core/* info */.pq(JSON.stringify(p.plan.patch, null, 2));
            for (const c of p.plan.changes)
                core/* info */.pq(`  ${c.container}: ${c.from} → ${c.to}`);
            return {
                target: 'eks',
                name: label(p.name),
                status: 'dry-run',
                rolledBack: false,
                durationSeconds: 0,
                previousRevision: p.revisionBefore,
            };
        });
    }
    const started = options.clock.now();
    const rollouts = await Promise.all(prepared.map(async (p) => {
        if (p.plan.unchanged) {
            core/* info */.pq(`${p.name}: already runs ${options.imageRef}; nothing to roll out.`);
            return {
                p,
                generation: p.deployment.metadata.generation ?? 0,
                status: 'unchanged',
                revision: p.revisionBefore,
            };
        }
        const patched = await kube.patch(`/apis/apps/v1/namespaces/${target.namespace}/deployments/${p.name}`, p.plan.patch, 'strategic');
        core/* info */.pq(`${p.name}: patched ${p.plan.changes.map((c) => `${c.container} → ${c.to}`).join(', ')} (generation ${patched.metadata.generation})`);
        return { p, generation: patched.metadata.generation ?? 0, status: 'started' };
    }));
    if (deploy.wait) {
        await Promise.all(rollouts
            .filter((r) => r.status === 'started')
            .map(async (r) => {
            r.outcome = await watchRollout({
                kube,
                namespace: target.namespace,
                name: r.p.name,
                ourGeneration: r.generation,
                timeoutMs: deploy.timeoutMs,
                failFastAfter: deploy.failFastAfter,
                clock: options.clock,
                explain: (pod, crashed) => explainPod(kube, target.namespace, pod, crashed),
            }, r.p.deployment);
            r.revision = r.outcome.revision;
            r.status = r.outcome.kind === 'completed' ? 'completed' : r.outcome.kind;
            if (r.outcome.kind !== 'completed') {
                r.reason = r.outcome.reason;
                core/* error */.z3(`${r.p.name}: ${r.status}: ${r.reason}`);
                await rollBack(kube, options, r);
            }
        }));
    }
    return rollouts.map((r) => ({
        target: 'eks',
        name: label(r.p.name),
        status: r.status,
        rolledBack: r.status === 'rolled-back',
        durationSeconds: Math.round((options.clock.now() - started) / 100) / 10,
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.revision ? { revision: r.revision } : {}),
        ...(r.p.revisionBefore ? { previousRevision: r.p.revisionBefore } : {}),
    }));
}
/** Restores the template of the revision that ran before (`kubectl rollout undo --to-revision`) and waits for it. */
async function rollBack(kube, options, r) {
    const { target, deploy } = options;
    if (!deploy.rollbackOnFailure || !r.p.revisionBefore)
        return;
    const selector = Object.entries(r.p.deployment.spec.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
    const sets = await kube.get(`/apis/apps/v1/namespaces/${target.namespace}/replicasets?labelSelector=${encodeURIComponent(selector)}`);
    const previous = sets.items?.find((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === r.p.revisionBefore);
    if (!previous?.spec?.template) {
        r.reason = `${r.reason ?? ''}; revision ${r.p.revisionBefore} has no ReplicaSet left to roll back to`;
        return;
    }
    const current = await kube.get(`/apis/apps/v1/namespaces/${target.namespace}/deployments/${r.p.name}`);
    core/* info */.pq(`${r.p.name}: rolling back to revision ${r.p.revisionBefore}`);
    const patched = await kube.patch(`/apis/apps/v1/namespaces/${target.namespace}/deployments/${r.p.name}`, rollbackPatch(previous.spec.template, `ecr-deploy: rollback to revision ${r.p.revisionBefore} (${options.runUrl})`, current.metadata.annotations !== undefined), 'json');
    const outcome = await watchRollout({
        kube,
        namespace: target.namespace,
        name: r.p.name,
        ourGeneration: patched.metadata.generation ?? 0,
        timeoutMs: deploy.timeoutMs,
        failFastAfter: 0,
        clock: options.clock,
        explain: async () => [],
    }, patched);
    if (outcome.kind === 'completed') {
        core/* info */.pq(`${r.p.name}: rolled back (now revision ${outcome.revision ?? '?'}, the template of revision ${r.p.revisionBefore}).`);
        r.reason = `${r.status === 'timed-out' ? 'timed out' : 'failed'}: ${r.reason ?? ''}\nrolled back to the template of revision ${r.p.revisionBefore}`;
        r.status = 'rolled-back';
    }
    else {
        r.reason = `${r.reason ?? ''}\nthe rollback to revision ${r.p.revisionBefore} did not complete either: ${outcome.reason}`;
    }
}


/***/ }),

/***/ 3564:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ imageRepository)
/* harmony export */ });
/** The repository part of an image reference (`host/path`, without tag or digest). */
function imageRepository(image) {
    const noDigest = image.split('@')[0] ?? image;
    const slash = noDigest.lastIndexOf('/');
    const colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.slice(0, colon) : noDigest;
}


/***/ })

};
