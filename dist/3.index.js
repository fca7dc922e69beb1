export const id = 3;
export const ids = [3,845];
export const modules = {

/***/ 7872:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ selectContainers),
/* harmony export */   g: () => (/* binding */ ContainerSelectionError)
/* harmony export */ });
/* harmony import */ var _image_reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5643);
// Which containers of a task definition or pod template get the new image: one rule for both targets.

/** A selection that cannot be applied to this task definition or Deployment; the message says how to fix it. */
class ContainerSelectionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ContainerSelectionError';
    }
}
/**
 * Pure: container name → the image it gets. Named containers must exist (the message lists those that do);
 * without names, at least one container must use the repository.
 */
function selectContainers(containers, options) {
    const names = containers.map((c) => c.name);
    for (const s of options.selection) {
        if (!names.includes(s.name)) {
            throw new ContainerSelectionError(`${options.owner.charAt(0).toUpperCase()}${options.owner.slice(1)} has no container "${s.name}"; its containers are: ${names.join(', ')}. Fix the containers input.`);
        }
    }
    const selected = new Map(options.selection.length > 0
        ? options.selection.map((s) => [s.name, s.image ?? options.imageRef])
        : containers
            .filter((c) => typeof c.image === 'string' && (0,_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .imageRepository */ .a)(c.image) === options.repositoryUri)
            .map((c) => [c.name, options.imageRef]));
    if (selected.size === 0) {
        throw new ContainerSelectionError(`No container of ${options.owner} uses ${options.repositoryUri}: ${containers.map((c) => `${c.name} (${c.image ?? 'no image'})`).join(', ')}. Set containers to the names that should run the new image.`);
    }
    return selected;
}


/***/ }),

/***/ 888:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R$: () => (/* binding */ retrying),
/* harmony export */   TX: () => (/* binding */ isNetworkError),
/* harmony export */   fe: () => (/* binding */ classifyError),
/* harmony export */   nO: () => (/* binding */ Backoff)
/* harmony export */ });
/* unused harmony export UnreadableError */
const THROTTLING = new Set([
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'ProvisionedThroughputExceededException',
]);
const SERVER_FAULTS = new Set([
    'ServerException',
    'InternalFailure',
    'InternalServerError',
    'InternalServerException',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
]);
const NETWORK = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'ENOTFOUND',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'ERR_STREAM_PREMATURE_CLOSE',
]);
function shape(error) {
    return typeof error === 'object' && error !== null ? error : {};
}
/** Pure: whether the request never got an answer from the server (refused, reset, no route, no DNS). */
function isNetworkError(error) {
    const code = shape(error).code;
    return code !== undefined && NETWORK.has(code);
}
/** Pure: whether an error of any client (AWS SDK, our Kubernetes client, the network) is worth a retry. */
function classifyError(error) {
    const e = shape(error);
    // AwsCallError keeps the SDK's error as its cause: judge that one.
    if (e.name === 'AwsCallError' && e.cause !== undefined)
        return classifyError(e.cause);
    const names = [e.name, e.code].filter((n) => typeof n === 'string');
    const status = typeof e.status === 'number' ? e.status : e.$metadata?.httpStatusCode;
    if (names.some((n) => THROTTLING.has(n)) || status === 429)
        return 'throttled';
    if (names.some((n) => NETWORK.has(n) || SERVER_FAULTS.has(n)))
        return 'transient';
    if (e.$fault === 'server' || (status !== undefined && (status >= 500 || status === 408)))
        return 'transient';
    if (/socket hang up|premature close|other side closed/i.test(e.message ?? ''))
        return 'transient';
    return 'permanent';
}
/** Doubling delays between tries, from `initialMs` up to `maxMs`; `reset()` after a success. */
class Backoff {
    initialMs;
    maxMs;
    current;
    constructor(options) {
        this.initialMs = options.initialMs;
        this.maxMs = options.maxMs;
        this.current = options.initialMs;
    }
    /** The delay to wait now; the next one is twice as long. */
    next() {
        const delay = this.current;
        this.current = Math.min(this.current * 2, this.maxMs);
        return delay;
    }
    reset() {
        this.current = this.initialMs;
    }
}
/** The state could not be read: a permanent error, or transient ones until the deadline. */
class UnreadableError extends Error {
    kind;
    constructor(what, error, kind) {
        super(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        this.name = 'UnreadableError';
        this.kind = kind;
    }
}
/**
 * Calls `fn` until it answers, waiting between tries on throttling and transient errors (1 s doubling to
 * 16 s); a permanent error, the deadline or an abort end it with an UnreadableError naming `what`.
 */
async function retrying(what, fn, options) {
    const backoff = options.backoff ?? new Backoff({ initialMs: 1000, maxMs: 16_000 });
    for (;;) {
        try {
            const value = await fn();
            backoff.reset();
            return value;
        }
        catch (error) {
            const kind = classifyError(error);
            const delay = backoff.next();
            const left = options.deadline - options.clock.now();
            if (kind === 'permanent' || left <= 0 || options.signal?.aborted) {
                throw new UnreadableError(what, error, kind);
            }
            options.onRetry?.(error, Math.min(delay, left));
            await options.clock.sleep(Math.min(delay, left), options.signal);
        }
    }
}


/***/ }),

/***/ 6561:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ standInImage)
/* harmony export */ });
/**
 * Before the build the digest is not known: a stand-in lets a target check its container selection against
 * the repository (rendering is pure, so the real render after the build sees the same selection).
 */
function standInImage(repositoryUri) {
    return { imageRef: `${repositoryUri}@sha256:${'0'.repeat(64)}`, repositoryUri };
}


/***/ }),

/***/ 8918:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ ServicePoller)
/* harmony export */ });
/* harmony import */ var _deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5708);
/* harmony import */ var _deploy_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(888);
/* harmony import */ var _service_api_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6224);



const MAX_DELAY_MS = 16_000;
/**
 * Every DescribeServices call of one cluster goes through here: whoever asks for a service gets the next
 * answer, and everyone asking for the same interval shares one call (10 services per request). A call starts
 * only `intervalMs` after the previous answer arrived, so the API never sees two within one interval; on
 * throttling and errors the pace slows down (doubling, up to 16 s) and recovers after an answer.
 */
class ServicePoller {
    options;
    interval;
    delay;
    waiting = new Map();
    running = false;
    lastAnswer = -Infinity;
    constructor(options) {
        this.options = options;
        this.interval = options.intervalMs ?? 2000;
        this.delay = this.interval;
    }
    /** The service as the next DescribeServices answer has it; undefined when ECS does not know it. */
    next(service) {
        return new Promise((resolve, reject) => {
            const list = this.waiting.get(service) ?? [];
            list.push({ resolve, reject });
            this.waiting.set(service, list);
            if (!this.running) {
                this.running = true;
                void this.loop();
            }
        });
    }
    /** Several services at once (the preparation's read), through the same pace. */
    async all(services) {
        const found = await Promise.all(services.map((s) => this.next(s)));
        const map = new Map();
        services.forEach((s, i) => {
            const service = found[i];
            if (service)
                map.set(s, service);
        });
        return map;
    }
    async loop() {
        const { clock } = this.options;
        while (this.waiting.size > 0) {
            // Even with no wait due, yield once: whoever asks in the same turn joins this call.
            await clock.sleep(Math.max(0, this.lastAnswer + this.delay - clock.now()));
            const batch = this.waiting;
            this.waiting = new Map();
            try {
                const found = await (0,_service_api_js__WEBPACK_IMPORTED_MODULE_2__/* .describeServices */ .Ge)(this.options.ecs, this.options.cluster, [...batch.keys()]);
                this.delay = this.interval;
                for (const [name, waiters] of batch)
                    for (const w of waiters)
                        w.resolve(found.get(name));
            }
            catch (error) {
                if ((0,_deploy_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .classifyError */ .fe)(error) !== 'permanent') {
                    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
                    if ((0,_deploy_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .classifyError */ .fe)(error) === 'throttled') {
                        this.options.log.info(`ECS throttled the status calls; asking again in ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(this.delay)}.`);
                    }
                }
                for (const waiters of batch.values())
                    for (const w of waiters)
                        w.reject(error);
            }
            finally {
                this.lastAnswer = clock.now();
            }
        }
        this.running = false;
    }
}


/***/ }),

/***/ 1803:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ classifyStoppedTask),
/* harmony export */   w: () => (/* binding */ evaluateRollout)
/* harmony export */ });
// Pure decisions of the ECS wait: is *our* deployment done, failed, or replaced — and which stopped tasks are
// definitive failures. Inputs are plain snapshots of DescribeServices/DescribeTasks answers.
function isOurs(d, ctx) {
    return d.id === ctx.deploymentId;
}
/**
 * Success is our deployment PRIMARY with rolloutState COMPLETED and all its tasks running; where rolloutState
 * is absent, ours as the only deployment with all tasks running. "Stable on the old task definition" is never
 * success: a FAILED rollout, an ECS rollback, a newer deployment by someone else, or ours gone inactive fails.
 */
function evaluateRollout(service, ctx) {
    if (service.status !== 'ACTIVE') {
        return {
            kind: 'failed',
            reason: `the service is ${service.status} (deleted or being deleted) during the rollout`,
        };
    }
    const ours = service.deployments.find((d) => isOurs(d, ctx));
    const primary = service.deployments.find((d) => d.status === 'PRIMARY');
    const newer = primary && !isOurs(primary, ctx) ? primary : undefined;
    const rollback = newer && ctx.previousTaskDefinition !== undefined && newer.taskDefinition === ctx.previousTaskDefinition
        ? newer
        : undefined;
    if (ours?.rolloutState === 'FAILED') {
        return {
            kind: 'failed',
            reason: `${ours.rolloutStateReason ?? 'ECS marked the deployment FAILED'}${ctx.lastFailure ? `; last stopped task: ${ctx.lastFailure}` : ''}`,
            ...(rollback ? { ecsRollbackId: rollback.id } : {}),
        };
    }
    if (newer) {
        // A newer PRIMARY on the previous task definition is ECS's rollback only when ECS failed ours first;
        // otherwise someone updated the service (perhaps back to the old revision) while we rolled out.
        // (Ours FAILED was handled above, so here ECS's rollback is known only from the evidence.)
        return ctx.ecsRollbackEvidence !== undefined && rollback
            ? {
                kind: 'failed',
                reason: `ECS rolled the service back to ${ctx.previousTaskDefinition} (deployment ${rollback.id})${ctx.ecsRollbackEvidence ? `: ${ctx.ecsRollbackEvidence}` : ''}${ctx.lastFailure ? `; last stopped task: ${ctx.lastFailure}` : ''}`,
                ecsRollbackId: rollback.id,
            }
            : {
                kind: 'failed',
                reason: `another deployment (${newer.id}, task definition ${newer.taskDefinition}) replaced ours while it rolled out: someone else updated the service`,
                superseded: true,
            };
    }
    if (!ours) {
        return {
            kind: 'failed',
            reason: `our deployment ${ctx.deploymentId} is no longer among the service's deployments`,
        };
    }
    if (ours.status !== 'PRIMARY') {
        return { kind: 'failed', reason: `our deployment ${ours.id} became ${ours.status}` };
    }
    if (ctx.failFastAfter > 0 && ctx.definitiveFailures >= ctx.failFastAfter) {
        return {
            kind: 'failed',
            reason: `${ctx.definitiveFailures} task(s) of the new revision failed for good${ctx.lastFailure ? ` (last: ${ctx.lastFailure})` : ''}`,
        };
    }
    const allRunning = ours.runningCount === ours.desiredCount && ours.pendingCount === 0;
    if (ours.rolloutState === 'COMPLETED' && allRunning)
        return { kind: 'completed' };
    if (ours.rolloutState === undefined && service.deployments.length === 1 && allRunning)
        return { kind: 'completed' };
    return { kind: 'in-progress' };
}
const DEFINITIVE_REASONS = [
    'CannotPullContainerError',
    'ResourceInitializationError',
    'CannotStartContainerError',
];
/**
 * A stopped task of our revision is a definitive failure when it could never have worked: the image cannot
 * be pulled, the task could not be set up, or an essential container exited non-zero. Health-check and
 * scaling stops are not (they may pass on a retry).
 */
function classifyStoppedTask(task, essential) {
    const reasons = [task.stoppedReason ?? '', ...task.containers.map((c) => c.reason ?? '')];
    const pullOrInit = reasons.some((r) => DEFINITIVE_REASONS.some((d) => r.includes(d)));
    const crashed = task.stopCode === 'EssentialContainerExited' &&
        task.containers.some((c) => essential.has(c.name) && c.exitCode !== undefined && c.exitCode !== 0);
    const id = task.taskArn.split('/').at(-1) ?? task.taskArn;
    // Each container's exit code, and its reason where it adds to the task's.
    const containers = task.containers
        .map((c) => ({ ...c, reason: c.reason === task.stoppedReason ? undefined : c.reason }))
        .filter((c) => c.exitCode !== undefined || c.reason)
        .map((c) => `${c.name}: ${c.exitCode !== undefined ? `exit ${c.exitCode}` : 'no exit code'}${c.reason ? ` (${c.reason})` : ''}`);
    const summary = `task ${id}: ${task.stopCode ?? 'stopped'}: ${task.stoppedReason ?? 'no reason given'}${containers.length ? `; ${containers.join('; ')}` : ''}`;
    return { definitive: pullOrInit || crashed, summary };
}


/***/ }),

/***/ 6224:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ge: () => (/* binding */ describeServices),
/* harmony export */   UV: () => (/* binding */ ecsRollbackSince),
/* harmony export */   Vn: () => (/* binding */ toServiceSnapshot),
/* harmony export */   _: () => (/* binding */ toStoppedTask),
/* harmony export */   bd: () => (/* binding */ stoppedTasksOf)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(218);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3343);


function toServiceSnapshot(service) {
    return {
        status: service.status ?? 'UNKNOWN',
        deployments: (service.deployments ?? []).map((d) => ({
            id: d.id ?? '',
            status: d.status ?? '',
            taskDefinition: d.taskDefinition ?? '',
            desiredCount: d.desiredCount ?? 0,
            runningCount: d.runningCount ?? 0,
            pendingCount: d.pendingCount ?? 0,
            failedTasks: d.failedTasks ?? 0,
            rolloutState: d.rolloutState,
            rolloutStateReason: d.rolloutStateReason,
            createdAt: d.createdAt?.getTime(),
        })),
    };
}
function toStoppedTask(task) {
    return {
        taskArn: task.taskArn ?? '',
        taskDefinitionArn: task.taskDefinitionArn ?? '',
        stopCode: task.stopCode,
        stoppedReason: task.stoppedReason,
        containers: (task.containers ?? []).map((c) => ({
            name: c.name ?? '',
            exitCode: c.exitCode,
            reason: c.reason,
        })),
    };
}
/** DescribeServices, at most 10 services per call (the API's limit); missing services are absent. */
async function describeServices(ecs, cluster, names) {
    const found = new Map();
    for (let i = 0; i < names.length; i += 10) {
        const chunk = names.slice(i, i + 10);
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .DescribeServicesCommand */ .H7c({ cluster, services: chunk }));
        for (const s of out.services ?? []) {
            const key = chunk.find((n) => n === s.serviceName || n === s.serviceArn);
            if (key)
                found.set(key, s);
        }
    }
    return found;
}
/** The stopped tasks a deployment started (ECS sets `startedBy` to the deployment id). */
async function stoppedTasksOf(ecs, cluster, deploymentId) {
    try {
        const list = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .ListTasksCommand */ .MYg({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 }));
        const arns = list.taskArns ?? [];
        if (arns.length === 0)
            return [];
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .DescribeTasksCommand */ .z8X({ cluster, tasks: arns.slice(0, 100) }));
        return out.tasks ?? [];
    }
    catch (error) {
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeAwsError */ .Pp)('ListTasks/DescribeTasks', error, {
            permission: 'ecs:ListTasks and ecs:DescribeTasks',
            subject: `the stopped tasks of ${deploymentId}`,
        });
    }
}
/**
 * Whether ECS rolled a deployment back on its own (circuit breaker), from the service deployments API: used
 * when our deployment has already left `deployments[]`. `answered: false` when the API cannot be asked.
 */
async function ecsRollbackSince(ecs, cluster, service, since) {
    try {
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .ListServiceDeploymentsCommand */ .jz8({ cluster, service, createdAt: { after: new Date(since) } }));
        const rolled = (out.serviceDeployments ?? []).find((d) => d.status?.startsWith('ROLLBACK_'));
        return rolled
            ? {
                answered: true,
                rollback: `${rolled.status}${rolled.statusReason ? ` (${rolled.statusReason})` : ''}`,
            }
            : { answered: true };
    }
    catch (error) {
        // Without ecs:ListServiceDeployments (or on an API without it) the wait falls back; other errors count.
        if (['AccessDeniedException', 'UnknownOperationException', 'UnsupportedOperation'].includes((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorName */ .Is)(error) ?? '')) {
            return { answered: false };
        }
        throw (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describeAwsError */ .Pp)('ListServiceDeployments', error, {
            permission: 'ecs:ListServiceDeployments',
            subject: `service ${service}`,
        });
    }
}


/***/ }),

/***/ 2003:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  FAILED_TASK_LOG_LINES: () => (/* binding */ FAILED_TASK_LOG_LINES),
  UnsupportedDeploymentError: () => (/* binding */ UnsupportedDeploymentError),
  consoleUrl: () => (/* binding */ consoleUrl),
  prepareEcsTarget: () => (/* binding */ prepareEcsTarget),
  sdkLogReader: () => (/* binding */ sdkLogReader),
  sharedFamilyWarnings: () => (/* binding */ sharedFamilyWarnings)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ../node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(218);
// EXTERNAL MODULE: ./aws/errors.ts
var errors = __webpack_require__(3343);
// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./errors.ts
var errors_0 = __webpack_require__(1169);
// EXTERNAL MODULE: ./deploy/containers.ts
var containers = __webpack_require__(7872);
// EXTERNAL MODULE: ./deploy/target.ts
var deploy_target = __webpack_require__(6561);
// EXTERNAL MODULE: ./ecs/poller.ts
var ecs_poller = __webpack_require__(8918);
// EXTERNAL MODULE: ./deploy/duration.ts
var duration = __webpack_require__(5708);
// EXTERNAL MODULE: ./deploy/retry.ts
var retry = __webpack_require__(888);
// EXTERNAL MODULE: ./ecs/rollout.ts
var rollout = __webpack_require__(1803);
// EXTERNAL MODULE: ./ecs/service-api.ts
var service_api = __webpack_require__(6224);
;// CONCATENATED MODULE: ./ecs/pre-deploy.ts






class PreDeployFailedError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PreDeployFailedError';
    }
}
/** Runs the one-off task (migrations) and requires it to stop with exit code 0 before any service changes. */
async function runPreDeployTask(options) {
    const { ecs, cluster, service, clock, log } = options;
    let taskArn;
    try {
        const out = await ecs.send(new dist_cjs/* RunTaskCommand */._eD({
            cluster,
            taskDefinition: options.taskDefinitionArn,
            count: 1,
            startedBy: 'ecr-deploy/pre-deploy',
            networkConfiguration: service.networkConfiguration,
            ...(service.capacityProviderStrategy?.length
                ? { capacityProviderStrategy: service.capacityProviderStrategy }
                : { launchType: service.launchType }),
            ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
            overrides: { containerOverrides: [{ name: options.container, command: [...options.command] }] },
        }));
        taskArn = out.tasks?.[0]?.taskArn;
        if (!taskArn) {
            const failure = out.failures?.[0];
            throw new PreDeployFailedError(`The pre-deploy task could not start: ${failure?.reason ?? 'no task'}${failure?.detail ? ` (${failure.detail})` : ''}. No service was updated.`);
        }
    }
    catch (error) {
        if (error instanceof PreDeployFailedError)
            throw error;
        throw (0,errors/* describeAwsError */.Pp)('RunTask', error, {
            permission: 'ecs:RunTask and iam:PassRole',
            subject: 'the pre-deploy task',
        });
    }
    log.info(`Pre-deploy task ${taskArn.split('/').at(-1)} started: ${JSON.stringify(options.command)} in ${options.container}`);
    const deadline = clock.now() + options.timeoutMs;
    let last = '';
    // Polled every 2 s; throttling and transient errors slow it down and are asked again until the deadline.
    const backoff = new retry/* Backoff */.nO({ initialMs: 4000, maxMs: 16_000 });
    let delay = 2000;
    while (clock.now() < deadline) {
        await clock.sleep(Math.min(delay, Math.max(0, deadline - clock.now())));
        let task;
        try {
            task = (await ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: [taskArn] }))).tasks?.[0];
            backoff.reset();
            delay = 2000;
        }
        catch (error) {
            const described = (0,errors/* describeAwsError */.Pp)('DescribeTasks', error, {
                permission: 'ecs:DescribeTasks',
                subject: 'the pre-deploy task',
            });
            if ((0,retry/* classifyError */.fe)(error) === 'permanent')
                throw described;
            delay = backoff.next();
            log.warning(`${described.message} (asking again in ${(0,duration/* formatDuration */.a)(delay)})`);
            continue;
        }
        if (!task)
            continue;
        if (task.lastStatus !== last) {
            last = task.lastStatus ?? '';
            log.info(`Pre-deploy task: ${last}`);
        }
        if (task.lastStatus !== 'STOPPED')
            continue;
        const container = task.containers?.find((c) => c.name === options.container);
        const summary = (0,rollout/* classifyStoppedTask */.d)((0,service_api/* toStoppedTask */._)(task), new Set([options.container])).summary;
        if (container?.exitCode === 0) {
            log.info(`Pre-deploy task finished with exit code 0 (${summary}).`);
            return;
        }
        throw new PreDeployFailedError(`The pre-deploy task did not succeed (${summary}). No service was updated.`);
    }
    try {
        await ecs.send(new dist_cjs/* StopTaskCommand */.PP1({ cluster, task: taskArn, reason: 'ecr-deploy: pre-deploy task timed out' }));
    }
    catch (error) {
        log.warning(`Could not stop the pre-deploy task ${taskArn}: ${error.message}`);
    }
    throw new PreDeployFailedError(`The pre-deploy task did not stop within ${(0,duration/* formatDuration */.a)(options.timeoutMs)} (last status ${last || 'unknown'}); it was stopped. No service was updated.`);
}

// EXTERNAL MODULE: ./ecs/task-definition.ts
var task_definition = __webpack_require__(1367);
// EXTERNAL MODULE: ./report/annotation.ts
var annotation = __webpack_require__(1062);
// EXTERNAL MODULE: ./ecs/wait.ts
var wait = __webpack_require__(2929);
// EXTERNAL MODULE: ./aws/clients.ts
var aws_clients = __webpack_require__(5918);
// EXTERNAL MODULE: ../node_modules/@aws-sdk/client-application-auto-scaling/dist-cjs/index.js
var client_application_auto_scaling_dist_cjs = __webpack_require__(3181);
;// CONCATENATED MODULE: ./ecs/scaling.ts
// Application Auto Scaling of the ECS services we deploy: the scalable target (min/max) and the target-tracking
// policies the `auto-scaling` input asks for, written only where they differ from what is registered; and
// dynamic scale-in suspended while our rollout runs, then put back as it was
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-suspend-resume-scaling.html).
// Application Auto Scaling turns scale-in off during an ECS deployment by itself; the explicit suspension also
// spans the gap between our rollout and its rollback, and is visible in DescribeScalableTargets.
// Decisions are pure functions; the I/O receives its client.




const ECS_DIMENSION = 'ecs:service:DesiredCount';
/** The policies the action owns are named after it; others on the same target are left alone. */
const POLICY_PREFIX = 'ecr-deploy-';
const METRIC_TYPES = {
    cpu: 'ECSServiceAverageCPUUtilization',
    memory: 'ECSServiceAverageMemoryUtilization',
    'requests-per-target': 'ALBRequestCountPerTarget',
};
const MANAGED_NAMES = Object.keys(METRIC_TYPES).map((m) => `${POLICY_PREFIX}${m}`);
const PERMISSIONS = {
    read: 'application-autoscaling:DescribeScalableTargets and application-autoscaling:DescribeScalingPolicies',
    register: 'application-autoscaling:RegisterScalableTarget (the first registration of an ECS service also needs iam:CreateServiceLinkedRole for AWSServiceRoleForApplicationAutoScaling_ECSService)',
    put: 'application-autoscaling:PutScalingPolicy and cloudwatch:PutMetricAlarm, cloudwatch:DescribeAlarms, cloudwatch:DeleteAlarms (target tracking manages its alarms)',
    delete: 'application-autoscaling:DeleteScalingPolicy and cloudwatch:DeleteAlarms',
};
const NOT_SUSPENDED = {
    DynamicScalingInSuspended: false,
    DynamicScalingOutSuspended: false,
    ScheduledScalingSuspended: false,
};
function resourceIdOf(cluster, service) {
    return `service/${cluster.split('/').at(-1) ?? cluster}/${service.split('/').at(-1) ?? service}`;
}
/**
 * Pure: `app/<lb>/<id>/targetgroup/<tg>/<id>` from the load balancer given and the service's one target
 * group. Throws an input error when the service has none or several.
 */
function resourceLabel(loadBalancer, service) {
    const groups = [
        ...new Set((service.loadBalancers ?? [])
            .map((lb) => /:(targetgroup\/[A-Za-z0-9-]+\/[0-9a-f]+)$/.exec(lb.targetGroupArn ?? '')?.[1])
            .filter((g) => g !== undefined)),
    ];
    if (groups.length !== 1) {
        throw new errors_0/* InputError */.dz(contract/* Input */.pd.AutoScaling, `requests-per-target: service ${service.serviceName ?? ''} has ${groups.length === 0 ? 'no target group' : `${groups.length} target groups (${groups.join(', ')})`}; ALBRequestCountPerTarget needs exactly one. Use cpu= or memory= instead.`);
    }
    return `${loadBalancer}/${groups[0]}`;
}
/** Pure: the policies the settings ask for, named `ecr-deploy-<metric>`. */
function wantedPolicies(settings, service) {
    return settings.policies.map(({ metric, target }) => ({
        name: `${POLICY_PREFIX}${metric}`,
        config: {
            TargetValue: target,
            PredefinedMetricSpecification: {
                PredefinedMetricType: METRIC_TYPES[metric],
                ...(metric === 'requests-per-target'
                    ? { ResourceLabel: resourceLabel(settings.loadBalancer ?? '', service) }
                    : {}),
            },
        },
    }));
}
/** Pure: whether the registered policy tracks something else than the wanted one (defaults count as unset). */
function policyDiffers(current, wanted) {
    if (!current || current.PolicyType !== 'TargetTrackingScaling')
        return true;
    const c = current.TargetTrackingScalingPolicyConfiguration;
    const w = wanted.config;
    return (c?.TargetValue !== w.TargetValue ||
        c?.PredefinedMetricSpecification?.PredefinedMetricType !==
            w.PredefinedMetricSpecification?.PredefinedMetricType ||
        (c?.PredefinedMetricSpecification?.ResourceLabel ?? '') !==
            (w.PredefinedMetricSpecification?.ResourceLabel ?? '') ||
        c?.CustomizedMetricSpecification !== undefined ||
        (c?.DisableScaleIn ?? false) !== false ||
        c?.ScaleInCooldown !== undefined ||
        c?.ScaleOutCooldown !== undefined);
}
function describePolicies(specs) {
    const label = {
        ECSServiceAverageCPUUtilization: 'cpu',
        ECSServiceAverageMemoryUtilization: 'memory',
        ALBRequestCountPerTarget: 'requests per target',
    };
    return specs
        .map((p) => {
        const type = p.config.PredefinedMetricSpecification?.PredefinedMetricType ?? '';
        const unit = type === 'ALBRequestCountPerTarget' ? '' : ' %';
        return `${label[type] ?? p.name} ${p.config.TargetValue}${unit}`;
    })
        .join(', ');
}
/**
 * Pure: what to change. Without settings nothing is written; the registered range (if any) still bounds
 * `desired-count`.
 */
function planScaling(settings, current, service) {
    const previous = current.target?.suspended ?? NOT_SUSPENDED;
    if (!settings) {
        const range = current.target ? { min: current.target.min, max: current.target.max } : undefined;
        return {
            resourceId: current.resourceId,
            register: undefined,
            put: [],
            remove: [],
            suspend: false,
            previous,
            range,
            summary: range ? `${range.min}–${range.max} tasks (registered outside this action)` : undefined,
        };
    }
    const wanted = wantedPolicies(settings, service);
    const register = !current.target || current.target.min !== settings.min || current.target.max !== settings.max
        ? { min: settings.min, max: settings.max }
        : undefined;
    const wantedNames = new Set(wanted.map((p) => p.name));
    const policies = describePolicies(wanted);
    return {
        resourceId: current.resourceId,
        register,
        put: wanted.filter((p) => policyDiffers(current.policies.get(p.name), p)),
        remove: [...current.policies.keys()].filter((n) => !wantedNames.has(n)).sort(),
        suspend: settings.suspendScaleIn && !previous.DynamicScalingInSuspended,
        previous,
        range: { min: settings.min, max: settings.max },
        summary: `${settings.min}–${settings.max} tasks${policies ? `, ${policies}` : ', no policies'}`,
    };
}
/** Pure: whether the plan writes scaling configuration (suspension aside). */
function configChanges(plan) {
    return plan !== undefined && (plan.register !== undefined || plan.put.length > 0 || plan.remove.length > 0);
}
/** Pure: `desired-count` against a registered range: clamped, as Application Auto Scaling would, with a warning. */
function clampDesiredCount(requested, range, service) {
    if (requested === undefined || !range)
        return { count: requested };
    const count = Math.min(range.max, Math.max(range.min, requested));
    const clamped = count !== requested ? `, clamped to ${count} (min ${range.min}, max ${range.max})` : '';
    return {
        count,
        warning: `${service}: desired-count ${requested} is set while Application Auto Scaling owns the count (${range.min}–${range.max} tasks)${clamped}; it will change it again as load changes. Leave desired-count empty for scaled services.`,
    };
}
/** Pure: the dry-run lines. */
function previewScaling(plan) {
    const lines = [];
    if (plan.register)
        lines.push(`auto scaling: would register ${plan.resourceId} with min ${plan.register.min}, max ${plan.register.max}`);
    for (const p of plan.put)
        lines.push(`auto scaling: would put policy ${p.name} (${describePolicies([p])})`);
    for (const name of plan.remove)
        lines.push(`auto scaling: would delete policy ${name}`);
    if (plan.suspend)
        lines.push('auto scaling: would suspend dynamic scale-in during the rollout');
    if (lines.length === 0 && plan.summary)
        lines.push(`auto scaling: unchanged (${plan.summary})`);
    return lines;
}
function accessDenied(error) {
    const name = (0,errors/* errorName */.Is)(error);
    return name === 'AccessDeniedException' || name === 'AccessDenied';
}
/**
 * Reads the scalable targets and our policies of these services (read only). AccessDenied is an error naming
 * the permissions when `required`; otherwise (desired-count only) a warning, and no range is known.
 */
async function readScaling(options) {
    const { client, cluster, services, log } = options;
    const ids = services.map((s) => resourceIdOf(cluster, s));
    const out = new Map();
    try {
        const targets = new Map();
        for (let i = 0; i < ids.length; i += 50) {
            let token;
            do {
                const page = (await client.send(new client_application_auto_scaling_dist_cjs/* DescribeScalableTargetsCommand */.sH({
                    ServiceNamespace: 'ecs',
                    ScalableDimension: ECS_DIMENSION,
                    ResourceIds: ids.slice(i, i + 50),
                    ...(token ? { NextToken: token } : {}),
                })));
                for (const t of page.ScalableTargets ?? []) {
                    targets.set(t.ResourceId ?? '', {
                        min: t.MinCapacity ?? 0,
                        max: t.MaxCapacity ?? 0,
                        suspended: {
                            DynamicScalingInSuspended: t.SuspendedState?.DynamicScalingInSuspended ?? false,
                            DynamicScalingOutSuspended: t.SuspendedState?.DynamicScalingOutSuspended ?? false,
                            ScheduledScalingSuspended: t.SuspendedState?.ScheduledScalingSuspended ?? false,
                        },
                    });
                }
                token = page.NextToken;
            } while (token);
        }
        for (const service of services) {
            const resourceId = resourceIdOf(cluster, service);
            const policies = new Map();
            if (targets.has(resourceId)) {
                const page = (await client.send(new client_application_auto_scaling_dist_cjs/* DescribeScalingPoliciesCommand */.yY({
                    ServiceNamespace: 'ecs',
                    ScalableDimension: ECS_DIMENSION,
                    ResourceId: resourceId,
                    PolicyNames: MANAGED_NAMES,
                })));
                for (const p of page.ScalingPolicies ?? [])
                    if (p.PolicyName)
                        policies.set(p.PolicyName, p);
            }
            out.set(service, { resourceId, target: targets.get(resourceId), policies });
        }
        return out;
    }
    catch (error) {
        if (!options.required && accessDenied(error)) {
            log.warning(`desired-count: could not read Application Auto Scaling (${(0,errors/* errorName */.Is)(error)}); the count is set without checking a scalable target. Allow ${PERMISSIONS.read} to have it checked.`);
            return undefined;
        }
        throw (0,errors/* describeAwsError */.Pp)('DescribeScalableTargets', error, {
            permission: PERMISSIONS.read,
            subject: `the services of cluster ${cluster} (auto-scaling input)`,
        });
    }
}
/** One service's scaling through a deploy: configure, suspend scale-in for a rollout, put it back. */
class ScalingSession {
    client;
    log;
    plan;
    suspended = false;
    constructor(options) {
        this.client = options.client;
        this.log = options.log;
        this.plan = options.plan;
    }
    async register(extra) {
        const { resourceId } = this.plan;
        try {
            await this.client.send(new client_application_auto_scaling_dist_cjs/* RegisterScalableTargetCommand */.Jr({
                ServiceNamespace: 'ecs',
                ResourceId: resourceId,
                ScalableDimension: ECS_DIMENSION,
                ...(extra.min !== undefined ? { MinCapacity: extra.min, MaxCapacity: extra.max } : {}),
                ...(extra.suspended ? { SuspendedState: { ...extra.suspended } } : {}),
            }));
        }
        catch (error) {
            throw (0,errors/* describeAwsError */.Pp)('RegisterScalableTarget', error, {
                permission: PERMISSIONS.register,
                subject: `scalable target ${resourceId}`,
            });
        }
    }
    /**
     * Writes what differs (range, policies) and, for a rollout, suspends dynamic scale-in in the same
     * registration. Whatever fails after the suspension puts it back before the error goes on.
     */
    async configure({ rollout }) {
        const { plan } = this;
        const suspend = rollout && plan.suspend;
        if (plan.register || suspend) {
            await this.register({
                ...(plan.register ?? {}),
                ...(suspend ? { suspended: { ...plan.previous, DynamicScalingInSuspended: true } } : {}),
            });
            if (suspend)
                this.suspended = true;
            if (plan.register) {
                this.log.info(`${plan.resourceId}: registered for auto scaling, ${plan.register.min}–${plan.register.max} tasks`);
            }
            if (suspend)
                this.log.info(`${plan.resourceId}: dynamic scale-in suspended for the rollout`);
        }
        try {
            for (const p of plan.put) {
                try {
                    await this.client.send(new client_application_auto_scaling_dist_cjs/* PutScalingPolicyCommand */.OJ({
                        PolicyName: p.name,
                        ServiceNamespace: 'ecs',
                        ResourceId: plan.resourceId,
                        ScalableDimension: ECS_DIMENSION,
                        PolicyType: 'TargetTrackingScaling',
                        TargetTrackingScalingPolicyConfiguration: p.config,
                    }));
                    this.log.info(`${plan.resourceId}: scaling policy ${p.name} set (${describePolicies([p])})`);
                }
                catch (error) {
                    throw (0,errors/* describeAwsError */.Pp)('PutScalingPolicy', error, {
                        permission: PERMISSIONS.put,
                        subject: `policy ${p.name} of ${plan.resourceId}`,
                    });
                }
            }
            for (const name of plan.remove) {
                try {
                    await this.client.send(new client_application_auto_scaling_dist_cjs/* DeleteScalingPolicyCommand */.y5({
                        PolicyName: name,
                        ServiceNamespace: 'ecs',
                        ResourceId: plan.resourceId,
                        ScalableDimension: ECS_DIMENSION,
                    }));
                    this.log.info(`${plan.resourceId}: scaling policy ${name} deleted (no longer in auto-scaling)`);
                }
                catch (error) {
                    if ((0,errors/* errorName */.Is)(error) === 'ObjectNotFoundException')
                        continue;
                    throw (0,errors/* describeAwsError */.Pp)('DeleteScalingPolicy', error, {
                        permission: PERMISSIONS.delete,
                        subject: `policy ${name} of ${plan.resourceId}`,
                    });
                }
            }
        }
        catch (error) {
            await this.restore();
            throw error;
        }
    }
    /** Suspends scale-in again for a rollback (ours, or ECS's own) that follows a restore. */
    async suspendAgain() {
        if (!this.plan.suspend || this.suspended)
            return;
        try {
            await this.register({ suspended: { ...this.plan.previous, DynamicScalingInSuspended: true } });
            this.suspended = true;
            this.log.info(`${this.plan.resourceId}: dynamic scale-in suspended for the rollback`);
        }
        catch (error) {
            // The rollback goes on regardless: scaling in during it is what AWS advises against, not a failure.
            this.log.warning(`${this.plan.resourceId}: could not suspend scale-in for the rollback: ${error.message}`);
        }
    }
    /** Puts the suspended state back as it was before the deploy. Never throws: a failure is a warning with the fix. */
    async restore() {
        if (!this.suspended)
            return;
        // The SDK retries on its own; these attempts cover an answer that fails after its retries once.
        let failure;
        for (let attempt = 0; attempt < 3; attempt++) {
            try {
                await this.register({ suspended: this.plan.previous });
                this.suspended = false;
                this.log.info(`${this.plan.resourceId}: dynamic scale-in restored`);
                return;
            }
            catch (error) {
                failure = error;
            }
        }
        {
            const error = failure;
            this.log.warning(`${this.plan.resourceId}: dynamic scale-in is still suspended: ${error.message} Resume it with: aws application-autoscaling register-scalable-target --service-namespace ecs --scalable-dimension ${ECS_DIMENSION} --resource-id ${this.plan.resourceId} --suspended-state DynamicScalingInSuspended=false`);
        }
    }
    get isSuspended() {
        return this.suspended;
    }
}

;// CONCATENATED MODULE: ./ecs/logs.ts

/**
 * Pure: where the awslogs driver writes each essential container's output for a task: stream
 * `<awslogs-stream-prefix>/<container>/<task id>` in `awslogs-group`, in `awslogs-region` (default: the
 * task's region). https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html
 */
function logLocations(containers, taskArn, defaultRegion) {
    const taskId = taskArn.split('/').at(-1) ?? taskArn;
    return containers
        .filter((c) => c.essential !== false)
        .map((c) => {
        const container = c.name ?? '';
        const config = c.logConfiguration;
        if (!config?.logDriver) {
            return { kind: 'none', container, why: 'its task definition has no logConfiguration (awslogs)' };
        }
        if (config.logDriver !== 'awslogs') {
            return { kind: 'none', container, why: `its logs go to the ${config.logDriver} driver, not awslogs` };
        }
        const o = config.options ?? {};
        const group = o['awslogs-group'];
        if (!group)
            return { kind: 'none', container, why: 'its awslogs options name no awslogs-group' };
        const prefix = o['awslogs-stream-prefix'];
        if (!prefix) {
            return {
                kind: 'none',
                container,
                why: 'its awslogs options have no awslogs-stream-prefix (the stream is named after the Docker container id)',
            };
        }
        return {
            kind: 'awslogs',
            container,
            region: o['awslogs-region'] ?? defaultRegion,
            group,
            stream: `${prefix}/${container}/${taskId}`,
        };
    });
}
/** The console's own escaping in log-group/log-events paths: URI-encoded twice, `%` written as `$`. */
function consoleEscape(value) {
    return encodeURIComponent(encodeURIComponent(value)).replace(/%/g, '$');
}
/** Pure: the CloudWatch console page of one log stream. */
function logStreamConsoleUrl(region, group, stream) {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${consoleEscape(group)}/log-events/${consoleEscape(stream)}`;
}
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
/**
 * Prints the last lines of each essential container's log of each failed task, and returns the console links
 * of the streams read. Never throws: a missing permission is one warning naming `logs:GetLogEvents`, other
 * errors one line each; the verdict is not touched.
 */
async function printTaskLogs(options) {
    const { reader, log, name } = options;
    const links = [];
    const said = new Set();
    for (const taskArn of options.taskArns) {
        const taskId = taskArn.split('/').at(-1) ?? taskArn;
        for (const where of logLocations(options.containers, taskArn, options.region)) {
            if (where.kind === 'none') {
                const text = `${name}: no CloudWatch Logs for container ${where.container}: ${where.why}.`;
                if (!said.has(text))
                    log.info(text);
                said.add(text);
                continue;
            }
            const url = logStreamConsoleUrl(where.region, where.group, where.stream);
            let events;
            try {
                events = await reader.lastEvents(where.region, where.group, where.stream, options.lines);
            }
            catch (error) {
                if (DENIED.has((0,errors/* errorName */.Is)(error) ?? '')) {
                    log.warning(`${name}: cannot read the logs of the failed tasks: permission logs:GetLogEvents is missing on ${where.group} (the verdict does not depend on it). Logs: ${url}`);
                    return links;
                }
                log.info(`${name}: could not read log stream ${where.group}/${where.stream}: ${error instanceof Error ? error.message : String(error)}`);
                continue;
            }
            links.push(url);
            const header = `${name}: task ${taskId}, container ${where.container}: last ${events.length} log line(s) of ${where.group}/${where.stream} (${url})`;
            log.info(header);
            for (const e of events)
                log.info(`  ${(e.message ?? '').replace(/\r?\n$/, '')}`);
        }
    }
    return links;
}

;// CONCATENATED MODULE: ./ecs/alarms.ts
/**
 * Pure: the deployment configuration UpdateService sends so the service watches `watch`'s alarms, the rest
 * of the service's configuration kept as it is; undefined when it already watches exactly these.
 */
function deploymentAlarmsFor(current, watch) {
    if (!watch)
        return undefined;
    const alarms = { alarmNames: [...watch.names], enable: true, rollback: watch.rollback };
    const now = current?.alarms;
    if (now?.enable === true &&
        now.rollback === alarms.rollback &&
        JSON.stringify([...(now.alarmNames ?? [])].sort()) === JSON.stringify([...alarms.alarmNames].sort())) {
        return undefined;
    }
    return { ...(current ?? {}), alarms };
}

// EXTERNAL MODULE: ./deploy/bake.ts
var bake = __webpack_require__(1001);
;// CONCATENATED MODULE: ./ecs/target.ts
// ECS services as a deploy target: what differs from EKS — task definitions, UpdateService, the deployment
// the update starts, ECS's own circuit-breaker rollback, the pre-deploy task.


















class UnsupportedDeploymentError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UnsupportedDeploymentError';
    }
}
/** Lines of each essential container's log printed for a failed task, and how many failed tasks get them. */
const FAILED_TASK_LOG_LINES = 30;
const FAILED_TASKS_WITH_LOGS = 2;
/** CloudWatch Logs through the SDK: one client per log region, created on first use. */
function sdkLogReader(env) {
    const clients = new Map();
    return {
        async lastEvents(region, group, stream, limit) {
            let client = clients.get(region);
            if (!client) {
                client = (0,aws_clients.createLogsClient)({ region, env });
                clients.set(region, client);
            }
            const { GetLogEventsCommand } = await __webpack_require__.e(/* import() */ 897).then(__webpack_require__.t.bind(__webpack_require__, 3897, 19));
            const out = await (await client).send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit, startFromHead: false }));
            return out.events ?? [];
        },
    };
}
// The SDK model's member lists: keys outside them would be dropped silently by the serializer.
const KNOWN_KEYS = {
    taskDefinition: [...dist_cjs/* RegisterTaskDefinitionRequest$ */.fSK[4]].filter((k) => k !== 'tags'),
    container: dist_cjs/* ContainerDefinition$ */.r2B[4],
};
/** `family:revision` of a task definition ARN. */
const revisionName = (arn) => arn.split('/').at(-1) ?? arn;
function consoleUrl(region, cluster, service) {
    const clusterName = cluster.split('/').at(-1);
    return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${clusterName}/services/${service}/deployments?region=${region}`;
}
async function describeTaskDefinition(ecs, arn) {
    try {
        const out = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: arn, include: ['TAGS'] }));
        if (!out.taskDefinition)
            throw new Error(`DescribeTaskDefinition returned nothing for ${arn}`);
        return {
            taskDefinition: (0,task_definition/* stripDescribeFields */.Tn)(out.taskDefinition),
            tags: (out.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
        };
    }
    catch (error) {
        throw (0,errors/* describeAwsError */.Pp)('DescribeTaskDefinition', error, {
            permission: 'ecs:DescribeTaskDefinition',
            subject: arn,
        });
    }
}
function checkSupported(name, service, options) {
    const { target, region } = options;
    if (!service || service.status === 'INACTIVE') {
        throw new errors_0/* InputError */.dz(contract/* Input */.pd.EcsService, `service "${name}" does not exist in cluster ${target.cluster} (${region}). Check the name, the cluster and the region.`);
    }
    if (service.status !== 'ACTIVE') {
        throw new errors_0/* InputError */.dz(contract/* Input */.pd.EcsService, `service "${name}" is ${service.status}, not ACTIVE.`);
    }
    const controller = service.deploymentController?.type ?? 'ECS';
    if (controller !== 'ECS') {
        throw new UnsupportedDeploymentError(`Service ${name} uses the ${controller} deployment controller; this action deploys ECS rolling updates only (CODE_DEPLOY and EXTERNAL are not supported yet). Nothing was registered.`);
    }
    const strategy = service.deploymentConfiguration?.strategy;
    if (strategy && strategy !== 'ROLLING') {
        throw new UnsupportedDeploymentError(`Service ${name} uses the ${strategy} deployment strategy; this action deploys rolling updates only (blue/green, linear and canary are not supported yet). Nothing was registered.`);
    }
    return service;
}
function render(unit, image, target, provenance = {}) {
    let rendered;
    try {
        rendered = (0,task_definition/* renderTaskDefinition */.P9)(unit.source.taskDefinition, {
            ...image,
            containers: target.containers,
            environment: target.environment,
            ...(target.render ? { render: target.render } : {}),
        });
    }
    catch (error) {
        if (error instanceof containers/* ContainerSelectionError */.g) {
            throw new errors_0/* InputError */.dz(contract/* Input */.pd.Containers, `service ${unit.name}: ${error.message}`);
        }
        throw error;
    }
    return {
        imageRef: image.imageRef,
        rendered,
        tags: (0,task_definition/* tagsWithHash */.mQ)(unit.source.tags, rendered.hash, provenance),
        sameRevision: unit.currentHash === rendered.hash && unit.current.family === rendered.taskDefinition.family,
        force: target.forceNewDeployment,
        scalingChanges: configChanges(unit.scaling),
    };
}
/**
 * Pure: services of one family share one new revision only when they render to the same content; when they
 * do not, each gets its own, and a person should know why (the first differences, against the first service).
 */
function sharedFamilyWarnings(units) {
    const byFamily = new Map();
    for (const u of units) {
        const family = u.rendered.taskDefinition.family ?? '';
        byFamily.set(family, [...(byFamily.get(family) ?? []), u]);
    }
    const warnings = [];
    for (const [family, members] of byFamily) {
        const [first, ...rest] = members;
        if (!first)
            continue;
        const differing = rest.filter((m) => m.rendered.hash !== first.rendered.hash);
        if (differing.length === 0)
            continue;
        const details = differing.map((m) => {
            const diff = (0,task_definition/* diffTaskDefinitions */.n2)(first.rendered.taskDefinition, m.rendered.taskDefinition);
            return `${m.name} differs from ${first.name} in ${diff.slice(0, 3).join('; ')}${diff.length > 3 ? ` (and ${diff.length - 3} more)` : ''}`;
        });
        warnings.push(`${members.map((m) => m.name).join(', ')} share the task definition family ${family} but render to different task definitions, so they get a revision each: ${details.join('; ')}. Give them the same task-definition file for one shared revision.`);
    }
    return warnings;
}
/**
 * Reads what is there — the cluster, each service (it must exist and use ECS rolling updates), its running
 * task definition, the file given for it — and checks the container selection against the repository.
 * Nothing is changed. The result is the target the driver deploys to once the image exists.
 */
async function prepareEcsTarget(options) {
    const { ecs, target, clock, log } = options;
    const poller = new ecs_poller/* ServicePoller */._({
        ecs,
        cluster: target.cluster,
        clock,
        log,
        ...(options.pollIntervalMs !== undefined ? { intervalMs: options.pollIntervalMs } : {}),
    });
    let found;
    try {
        found = await poller.all(target.services);
    }
    catch (error) {
        if ((0,errors/* errorName */.Is)(error) === 'ClusterNotFoundException') {
            throw new errors_0/* InputError */.dz(contract/* Input */.pd.EcsCluster, `cluster "${target.cluster}" does not exist in ${options.region}. Check the name and the region.`);
        }
        throw (0,errors/* describeAwsError */.Pp)('DescribeServices', error, {
            permission: 'ecs:DescribeServices',
            subject: `cluster ${target.cluster}`,
        });
    }
    const units = [];
    const rendered = [];
    for (const name of target.services) {
        const service = checkSupported(name, found.get(name), options);
        const currentArn = service.taskDefinition ?? '';
        const current = await describeTaskDefinition(ecs, currentArn);
        const file = target.taskDefinitionFiles.get(name);
        const text = file ? (0,external_node_fs_.readFileSync)(file, 'utf8') : undefined;
        const source = file && text !== undefined ? (0,task_definition/* parseTaskDefinitionFile */.Oz)(text, file) : current;
        const unknown = (0,task_definition/* unknownKeys */.vX)(source.taskDefinition, KNOWN_KEYS);
        if (unknown.length > 0) {
            // Annotated on the first unknown key's line, when it is in a file of the workspace.
            const cwd = process.cwd();
            const [first = ''] = unknown;
            const location = file && text !== undefined ? (0,task_definition/* keyLocation */.$I)(text, file, first) : undefined;
            log.warning(`Task definition ${file ?? currentArn}: ECS's API model (in this action's AWS SDK) does not know ${unknown.join(', ')}; they would be dropped. Check their spelling.`, (0,annotation/* annotationProperties */.$l)(location, (options.env ?? process.env).GITHUB_WORKSPACE ?? cwd, cwd));
        }
        const unit = {
            name,
            service,
            currentArn,
            current: current.taskDefinition,
            currentHash: current.tags.find((t) => t.key === task_definition/* RENDER_HASH_TAG */.FW)?.value,
            source,
        };
        rendered.push({ name, rendered: render(unit, (0,deploy_target/* standInImage */.P)(options.repositoryUri), target).rendered });
        units.push(unit);
    }
    for (const warning of sharedFamilyWarnings(rendered))
        log.warning(warning);
    const scaling = await prepareScaling(options, units);
    return createEcsPort({ ...options, ...(scaling ? { scaling: scaling.client } : {}) }, poller, scaling?.units ?? units);
}
/** Reads Application Auto Scaling when auto-scaling or desired-count is given; plans each unit's change. */
async function prepareScaling(options, units) {
    const { target, log } = options;
    if (!target.autoScaling && target.desiredCount === undefined)
        return undefined;
    const client = options.scaling ??
        (await (0,aws_clients.createScalingClient)({ region: options.region, env: options.env ?? process.env }));
    const current = await readScaling({
        client,
        cluster: target.cluster,
        services: units.map((u) => u.name),
        required: target.autoScaling !== undefined,
        log,
    });
    if (!current)
        return { client, units };
    return {
        client,
        units: units.map((unit) => {
            const found = current.get(unit.name) ?? {
                resourceId: resourceIdOf(target.cluster, unit.name),
                target: undefined,
                policies: new Map(),
            };
            const scaling = planScaling(target.autoScaling, found, unit.service);
            const desired = clampDesiredCount(target.desiredCount, scaling.range, unit.name);
            if (desired.warning)
                log.warning(desired.warning);
            return {
                ...unit,
                ...(scaling.summary ? { scaling } : {}),
                ...(desired.count !== undefined ? { desiredCount: desired.count } : {}),
            };
        }),
    };
}
function createEcsPort(options, poller, units) {
    const { ecs, target, clock, log, region } = options;
    const provenance = (0,task_definition/* provenanceOf */.Jj)(options.env ?? process.env);
    // Services rendered to the same task definition share one revision.
    const registrations = new Map();
    const revisionFor = (unit, plan) => {
        if (plan.sameRevision)
            return Promise.resolve(unit.currentArn);
        const key = (0,external_node_crypto_.createHash)('sha256')
            .update(JSON.stringify([plan.rendered.hash, plan.rendered.taskDefinition.family, plan.tags]))
            .digest('hex');
        let registered = registrations.get(key);
        if (!registered) {
            registered = register(unit, plan);
            registrations.set(key, registered);
        }
        return registered;
    };
    const register = async (unit, plan) => {
        try {
            const out = await ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl({
                ...plan.rendered.taskDefinition,
                tags: plan.tags,
            }));
            const arn = out.taskDefinition?.taskDefinitionArn ?? '';
            log.info(`${unit.name}: registered ${arn} (${plan.rendered.changes.map((c) => `${c.container}: ${c.from} → ${c.to}`).join('; ') || 'same images'})`);
            return arn;
        }
        catch (error) {
            throw (0,errors/* describeAwsError */.Pp)('RegisterTaskDefinition', error, {
                permission: 'ecs:RegisterTaskDefinition, ecs:TagResource and iam:PassRole for its task and execution roles',
                subject: `task definition ${plan.rendered.taskDefinition.family}`,
            });
        }
    };
    const updateService = async (unit, taskDefinition, force) => {
        const service = unit.name;
        const desiredCount = unit.desiredCount ?? target.desiredCount;
        const deploymentConfiguration = deploymentAlarmsFor(unit.service.deploymentConfiguration, target.alarms);
        try {
            const out = await ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({
                cluster: target.cluster,
                service,
                taskDefinition,
                forceNewDeployment: force,
                ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
                ...(desiredCount !== undefined ? { desiredCount } : {}),
            }));
            const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
            if (!primary?.id)
                throw new Error(`UpdateService returned no PRIMARY deployment for ${service}`);
            return primary.id;
        }
        catch (error) {
            throw (0,errors/* describeAwsError */.Pp)('UpdateService', error, {
                permission: 'ecs:UpdateService',
                subject: `service ${service}`,
            });
        }
    };
    const track = (unit, deploymentId, arn, previous, essential) => ({
        unit,
        taskDefinitionArn: arn,
        tracked: (0,wait/* trackRollout */.T)({
            service: unit.name,
            deploymentId,
            taskDefinitionArn: arn,
            previousTaskDefinition: previous,
            essential,
            // Events from just before the update belong to it (clocks differ by a little).
            since: clock.now() - 1000,
        }),
    });
    const breaker = (unit) => unit.service.deploymentConfiguration?.deploymentCircuitBreaker;
    let reader = options.logReader;
    const logReader = () => (reader ??= sdkLogReader(options.env ?? process.env));
    let alarms = options.alarmReader;
    const alarmReader = () => (alarms ??= (0,bake/* sdkAlarmReader */.hh)(region, options.env ?? process.env));
    /** A failure while alarms are watched: which of them fire, and why (best effort). */
    const alarmWords = async (name) => {
        if (!target.alarms)
            return undefined;
        try {
            const firing = (0,bake/* firingAlarms */.Q$)(target.alarms.names, await alarmReader().describe(target.alarms.names));
            return firing.length > 0 ? (0,bake/* describeFiring */.JF)(firing) : undefined;
        }
        catch (error) {
            log.warning(`${name}: cannot read the alarms (${error instanceof Error ? error.message : String(error)}); the permission is cloudwatch:DescribeAlarms.`);
            return undefined;
        }
    };
    /** Ours completed: completed only after a quiet bake. Ours failed: the firing alarms and the tasks' logs. */
    const explain = async (handle, verdict) => {
        const name = `${target.cluster}/${handle.unit.name}`;
        if (verdict.kind === 'completed') {
            const watch = target.alarms;
            if (!handle.containers || !watch?.bakeTimeMs)
                return verdict;
            return (0,bake/* bake */.Wq)({ reader: alarmReader(), watch, clock, log, name });
        }
        if (!handle.containers)
            return verdict;
        let explained = verdict;
        const fired = verdict.kind === 'failed' ? await alarmWords(name) : undefined;
        if (fired)
            explained = { ...explained, reason: `${explained.reason} (${fired})` };
        // Why the tasks failed, in their own words: the last lines of their logs (best effort).
        const failed = [...handle.tracked.seenStopped].slice(-FAILED_TASKS_WITH_LOGS);
        if (failed.length === 0)
            return explained;
        const links = await printTaskLogs({
            reader: logReader(),
            log,
            name,
            containers: handle.containers,
            taskArns: failed,
            region,
            lines: FAILED_TASK_LOG_LINES,
        });
        return links.length > 0
            ? { ...explained, reason: `${explained.reason}; logs: ${links.at(-1)}` }
            : explained;
    };
    return {
        units,
        nameOf: (unit) => `${target.cluster}/${unit.name}`,
        render: (unit, image) => render(unit, image, target, provenance),
        unchanged: (plan) => plan.sameRevision && !plan.force && !plan.scalingChanges,
        preview(unit, plan) {
            const diff = (0,task_definition/* diffTaskDefinitions */.n2)(unit.current, plan.rendered.taskDefinition);
            return [
                `dry run — ${plan.sameRevision && !plan.force ? 'unchanged, nothing would be registered' : `would register ${plan.rendered.taskDefinition.family} and update the service`}`,
                ...(diff.length ? diff : ['(no difference to the running task definition)']).map((l) => `  ${l}`),
                ...(unit.scaling ? previewScaling(unit.scaling) : []),
            ];
        },
        async beforeApply(items) {
            const command = target.preDeployCommand;
            // A unit whose scaling alone changes rolls nothing out: no pre-deploy task for it.
            const first = items.find((i) => !i.plan.sameRevision || i.plan.force);
            if (!command || !first)
                return;
            const taskDefinitionArn = await revisionFor(first.unit, first.plan);
            const { rendered, imageRef } = first.plan;
            await runPreDeployTask({
                ecs,
                cluster: target.cluster,
                service: first.unit.service,
                taskDefinitionArn,
                // The first container that runs the new image.
                container: rendered.taskDefinition.containerDefinitions?.find((c) => rendered.rendered.includes(c.name ?? '') && c.image === imageRef)?.name ??
                    rendered.rendered[0] ??
                    '',
                command,
                timeoutMs: options.preDeployTimeoutMs,
                clock,
                log,
            });
        },
        async apply(unit, plan) {
            const rollout = !plan.sameRevision || plan.force;
            const session = unit.scaling && options.scaling
                ? new ScalingSession({ client: options.scaling, log, plan: unit.scaling })
                : undefined;
            // Before the service changes: a scaling permission missing fails here, with nothing rolled out.
            await session?.configure({ rollout });
            if (unit.scaling?.summary)
                log.info(`${unit.name}: auto scaling ${unit.scaling.summary}`);
            if (!rollout) {
                return { ...track(unit, '', unit.currentArn, undefined, new Set()), scalingOnly: true };
            }
            let arn;
            let deploymentId;
            try {
                arn = await revisionFor(unit, plan);
                deploymentId = await updateService(unit, arn, plan.force);
            }
            catch (error) {
                await session?.restore();
                throw error;
            }
            log.info(`${unit.name}: ${revisionName(unit.currentArn)} → ${revisionName(arn)}`);
            log.info(`${unit.name}: deployment ${deploymentId} started (${consoleUrl(region, target.cluster, unit.name)})`);
            const essential = new Set((plan.rendered.taskDefinition.containerDefinitions ?? [])
                .filter((c) => c.essential !== false)
                .map((c) => c.name ?? ''));
            return {
                ...track(unit, deploymentId, arn, unit.currentArn !== arn ? unit.currentArn : undefined, essential),
                ...(session ? { session } : {}),
                containers: (plan.rendered.taskDefinition.containerDefinitions ?? []),
            };
        },
        async wait(handle, budget) {
            if (handle.scalingOnly)
                return { kind: 'completed' };
            if (handle.rollback)
                await handle.session?.suspendAgain();
            let verdict;
            try {
                verdict = await (0,wait/* waitForDeployment */.K)({
                    ecs,
                    cluster: target.cluster,
                    poller,
                    clock,
                    log,
                    onItsOwn: breaker(handle.unit)?.enable
                        ? `ECS goes on with deployment ${handle.tracked.deploymentId} on its own; its circuit breaker${breaker(handle.unit)?.rollback ? ' rolls it back' : ' marks it FAILED'} if tasks keep failing`
                        : `ECS goes on with deployment ${handle.tracked.deploymentId} on its own (no circuit breaker: it keeps replacing failed tasks)`,
                }, handle.tracked, budget);
                verdict = await explain(handle, verdict);
                return verdict;
            }
            finally {
                // Scale-in stays suspended only into ECS's own rollback, which the driver waits for next.
                const ecsRollsBack = !handle.rollback &&
                    (verdict?.kind === 'failed' || verdict?.kind === 'timed-out') &&
                    !(verdict.kind === 'failed' && verdict.superseded) &&
                    handle.tracked.ecsRollbackId !== undefined;
                if (!ecsRollsBack)
                    await handle.session?.restore();
            }
        },
        platformRollback(handle) {
            const id = handle.tracked.ecsRollbackId;
            if (!id)
                return undefined;
            log.info(`${handle.unit.name}: ECS is rolling back to ${handle.unit.currentArn} (deployment ${id}); waiting for it.`);
            return {
                ...track(handle.unit, id, handle.unit.currentArn, undefined, new Set()),
                ...(handle.session ? { session: handle.session } : {}),
                rollback: true,
            };
        },
        async rollBack(handle) {
            const previous = handle.unit.currentArn;
            if (previous === handle.taskDefinitionArn) {
                return { skipped: `the service ran ${previous} before as well` };
            }
            log.info(`${handle.unit.name}: rolling back to ${previous}`);
            await handle.session?.suspendAgain();
            let id;
            try {
                id = await updateService(handle.unit, previous, false);
            }
            catch (error) {
                await handle.session?.restore();
                throw error;
            }
            return {
                handle: {
                    ...track(handle.unit, id, previous, undefined, new Set()),
                    ...(handle.session ? { session: handle.session } : {}),
                    rollback: true,
                },
            };
        },
        rollbackTarget: (handle) => handle.taskDefinitionArn,
        details: (unit, handle, status) => ({
            target: 'ecs',
            consoleUrl: consoleUrl(region, target.cluster, unit.name),
            previousTaskDefinitionArn: unit.currentArn,
            ...(handle
                ? {
                    taskDefinitionArn: handle.taskDefinitionArn,
                    ...(handle.scalingOnly ? {} : { deploymentId: handle.tracked.deploymentId }),
                }
                : status === 'unchanged'
                    ? { taskDefinitionArn: unit.currentArn }
                    : {}),
            ...(unit.scaling?.summary ? { autoScaling: unit.scaling.summary } : {}),
        }),
    };
}


/***/ }),

/***/ 1367:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $I: () => (/* binding */ keyLocation),
/* harmony export */   FW: () => (/* binding */ RENDER_HASH_TAG),
/* harmony export */   Jj: () => (/* binding */ provenanceOf),
/* harmony export */   Oz: () => (/* binding */ parseTaskDefinitionFile),
/* harmony export */   P9: () => (/* binding */ renderTaskDefinition),
/* harmony export */   Tn: () => (/* binding */ stripDescribeFields),
/* harmony export */   mQ: () => (/* binding */ tagsWithHash),
/* harmony export */   n2: () => (/* binding */ diffTaskDefinitions),
/* harmony export */   vX: () => (/* binding */ unknownKeys)
/* harmony export */ });
/* unused harmony exports DESCRIBE_ONLY_FIELDS, TaskDefinitionFileError, describeJsonError, taskDefinitionHash, MAX_TASK_DEFINITION_BYTES, taskDefinitionBytes, checkTaskDefinitionSize, COMMIT_TAG, RUN_URL_TAG */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6637);
/* harmony import */ var _contract_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4172);
/* harmony import */ var _deploy_containers_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7872);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1169);
/* harmony import */ var _report_annotation_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1062);
/* harmony import */ var _render_container_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3678);







/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take. Nothing else is removed. */
const DESCRIBE_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'registeredBy',
    'deregisteredAt',
];
/** The tag that records what a revision was rendered from; equal hashes mean nothing to register. */
const RENDER_HASH_TAG = 'ecr-deploy:render-hash';
class TaskDefinitionFileError extends Error {
    constructor(file, problem) {
        super(`Task definition ${file}: ${problem}`);
        this.name = 'TaskDefinitionFileError';
    }
}
/** The error, annotated on the line of `text` at `offset` (the file's first line when unknown). */
function fileError(file, problem, text, offset) {
    const { line, column } = (0,_report_annotation_js__WEBPACK_IMPORTED_MODULE_5__/* .linePosition */ .s3)(text, offset ?? 0);
    return (0,_report_annotation_js__WEBPACK_IMPORTED_MODULE_5__/* .atLocation */ .PE)(new TaskDefinitionFileError(file, problem), {
        file,
        line,
        ...(offset === undefined ? {} : { column }),
        title: 'Task definition file',
    });
}
/**
 * Pure: the offset in `text` of the node at `keys` (JSON is YAML, so the YAML parser has every node's
 * place), or of its nearest parent that exists; undefined when the text does not parse.
 */
function offsetOf(text, keys) {
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(text, { prettyErrors: false });
    if (doc.errors.length > 0)
        return undefined;
    for (let n = keys.length; n > 0; n--) {
        const node = doc.getIn(keys.slice(0, n), true);
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .isNode */ .Ll)(node) && node.range)
            return node.range[0];
    }
    return (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .isNode */ .Ll)(doc.contents) ? doc.contents.range?.[0] : undefined;
}
function record(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
}
/** Line and column of a character offset, 1-based. */
function position(text, offset) {
    const { line, column } = (0,_report_annotation_js__WEBPACK_IMPORTED_MODULE_5__/* .linePosition */ .s3)(text, offset);
    return `line ${line}, column ${column}`;
}
/** The first syntax error the YAML parser (a superset of JSON) finds, as "line L, column C". */
function yamlErrorPosition(text) {
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(text, { prettyErrors: false });
    const [first] = doc.errors;
    if (!first)
        return undefined;
    return {
        where: ` at ${position(text, first.pos[0])}`,
        offset: first.pos[0],
        message: first.message.split('\n')[0] ?? '',
    };
}
/**
 * Pure: JSON.parse's message without the snippet of the text it may quote (`Unexpected token 'S', "{"a":
 * SECRETVALU"... is not valid JSON`): the file may hold secrets, and the position says where to look.
 */
function describeJsonError(message) {
    return message
        .replace(/ in JSON at position.*$/, '')
        .replace(/^Unexpected token .*, ".*"(?:\.\.\.)? is not valid JSON$/s, 'Unexpected character')
        .replace(/^(Unexpected (?:non-whitespace character|end of JSON input)).*$/s, '$1');
}
function parseText(text, file) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
            return JSON.parse(text);
        }
        catch (error) {
            const message = error.message;
            const at = /position (\d+)/.exec(message);
            const offset = at ? Number(at[1]) : yamlErrorPosition(text)?.offset;
            const where = offset === undefined ? '' : ` at ${position(text, offset)}`;
            throw fileError(file, `invalid JSON${where}: ${describeJsonError(message)}`, text, offset);
        }
    }
    const error = yamlErrorPosition(text);
    if (error)
        throw fileError(file, `invalid YAML${error.where}: ${error.message}`, text, error.offset);
    return (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(text).toJS();
}
/** Pure: a described task definition without the fields RegisterTaskDefinition does not take. */
function stripDescribeFields(described) {
    const dropped = DESCRIBE_ONLY_FIELDS;
    return Object.fromEntries(Object.entries(described).filter(([k, v]) => !dropped.includes(k) && v !== undefined));
}
/**
 * Pure: a task definition file's text (JSON or YAML; the output of `aws ecs describe-task-definition` with or
 * without its `taskDefinition` wrapper and `tags`) → what RegisterTaskDefinition takes. Only the fields
 * Describe adds are stripped; everything else stays as written, empty strings and zeros included.
 */
function parseTaskDefinitionFile(text, file) {
    const doc = record(parseText(text, file));
    // Each problem is annotated on the line of what it is about (the mapping itself for what is missing).
    const at = (problem, ...keys) => fileError(file, problem, text, offsetOf(text, keys));
    if (!doc)
        throw at('is not an object (a task definition is a JSON/YAML mapping).');
    const wrapped = record(doc.taskDefinition);
    const base = wrapped ? ['taskDefinition'] : [];
    const rawTags = doc.tags;
    const body = stripDescribeFields(wrapped ?? doc);
    delete body.tags;
    if (!Array.isArray(body.containerDefinitions) || body.containerDefinitions.length === 0) {
        throw at('has no containerDefinitions.', ...base, 'containerDefinitions');
    }
    body.containerDefinitions.forEach((c, i) => {
        if (!record(c) || typeof c.name !== 'string') {
            throw at(`containerDefinitions[${i}] has no name.`, ...base, 'containerDefinitions', i);
        }
    });
    if (typeof body.family !== 'string' || body.family === '') {
        throw at('has no family.', ...base, 'family');
    }
    const tags = [];
    if (rawTags !== undefined) {
        if (!Array.isArray(rawTags))
            throw at('tags must be a list of {key, value}.', 'tags');
        rawTags.forEach((t, i) => {
            const tag = record(t);
            if (typeof tag?.key !== 'string')
                throw at('tags must be a list of {key, value}.', 'tags', i);
            tags.push({ key: tag.key, value: typeof tag.value === 'string' ? tag.value : '' });
        });
    }
    return { taskDefinition: body, tags };
}
/**
 * Pure: where in a task definition file's text a key of `unknownKeys` is (`cpu`, `containerDefinitions[app].x`),
 * for the warning's annotation; undefined when it cannot be found.
 */
function keyLocation(text, file, key) {
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(text, { prettyErrors: false });
    if (doc.errors.length > 0)
        return undefined;
    // The output of describe-task-definition has it under `taskDefinition`.
    const base = doc.hasIn(['taskDefinition', 'containerDefinitions']) ? ['taskDefinition'] : [];
    const container = /^containerDefinitions\[(.*)\]\.([^.]+)$/.exec(key);
    let keys = [...base, key];
    if (container) {
        const list = doc.getIn([...base, 'containerDefinitions']);
        const items = (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .isNode */ .Ll)(list) ? list.toJSON() : list;
        const index = Array.isArray(items) ? items.findIndex((c) => record(c)?.name === container[1]) : -1;
        if (index < 0)
            return undefined;
        keys = [...base, 'containerDefinitions', index, container[2] ?? ''];
    }
    const offset = offsetOf(text, keys);
    if (offset === undefined)
        return undefined;
    return { file, ...(0,_report_annotation_js__WEBPACK_IMPORTED_MODULE_5__/* .linePosition */ .s3)(text, offset), title: 'Task definition file' };
}
/** Pure: keys the SDK model does not know (it would drop them silently). */
function unknownKeys(taskDefinition, known) {
    const unknown = Object.keys(taskDefinition).filter((k) => !known.taskDefinition.includes(k));
    for (const c of taskDefinition.containerDefinitions ?? []) {
        for (const k of Object.keys(c)) {
            if (!known.container.includes(k))
                unknown.push(`containerDefinitions[${c.name}].${k}`);
        }
    }
    return unknown;
}
function canonical(value) {
    if (Array.isArray(value))
        return value.map(canonical);
    const obj = record(value);
    if (!obj)
        return value;
    return Object.fromEntries(Object.keys(obj)
        .sort()
        .map((k) => [k, canonical(obj[k])]));
}
/** Pure: a stable hash of a task definition body (key order does not matter). */
function taskDefinitionHash(taskDefinition) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(JSON.stringify(canonical(taskDefinition)))
        .digest('hex')
        .slice(0, 32);
}
/**
 * The most ECS registers: RegisterTaskDefinition answers a larger one with ClientException "Actual length:
 * '…'. Max allowed length is '65536' bytes." (the developer guide's quota "Task definition size": 64 KiB).
 */
const MAX_TASK_DEFINITION_BYTES = 65_536;
/** Pure: the task definition's size as the request carries it (compact JSON, UTF-8). */
function taskDefinitionBytes(taskDefinition) {
    return Buffer.byteLength(JSON.stringify(taskDefinition), 'utf8');
}
/** Pure: refuses, before anything is registered, a task definition ECS would refuse for its size. */
function checkTaskDefinitionSize(taskDefinition) {
    const bytes = taskDefinitionBytes(taskDefinition);
    if (bytes <= MAX_TASK_DEFINITION_BYTES)
        return;
    const largest = (taskDefinition.containerDefinitions ?? [])
        .map((c) => ({ name: c.name ?? '?', bytes: Buffer.byteLength(JSON.stringify(c), 'utf8') }))
        .sort((a, b) => b.bytes - a.bytes)[0];
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.TaskDefinition, `the task definition ${taskDefinition.family ?? ''} would be ${bytes.toLocaleString('en-US')} bytes, and ECS registers at most ${MAX_TASK_DEFINITION_BYTES.toLocaleString('en-US')} (64 KiB)${largest ? `; the largest container is ${largest.name} (${largest.bytes.toLocaleString('en-US')} bytes)` : ''}. Make it smaller: move large values out of environment and the file (secrets from Secrets Manager or SSM, environmentFiles from S3).`);
}
/**
 * Pure: puts the image into the selected containers (default: every container whose image is in our
 * repository) and sets `environment` on them. Unknown container names fail (ContainerSelectionError),
 * listing the names that exist.
 */
function renderTaskDefinition(source, options) {
    const containers = (source.containerDefinitions ?? []).map((c) => ({ ...c }));
    const selected = (0,_deploy_containers_js__WEBPACK_IMPORTED_MODULE_3__/* .selectContainers */ .V)(containers.map((c) => ({ name: c.name ?? '', image: typeof c.image === 'string' ? c.image : undefined })), {
        owner: `task definition ${source.family ?? '(no family)'}`,
        imageRef: options.imageRef,
        repositoryUri: options.repositoryUri,
        selection: options.containers,
    });
    const changes = [];
    const problems = [];
    for (const [index, c] of containers.entries()) {
        const image = selected.get(c.name ?? '');
        if (image === undefined)
            continue;
        if (c.image !== image)
            changes.push({ container: c.name ?? '', from: String(c.image ?? ''), to: image });
        c.image = image;
        if (options.environment.length > 0) {
            const env = [...(c.environment ?? [])];
            for (const { name, value } of options.environment) {
                const i = env.findIndex((e) => e.name === name);
                if (i >= 0)
                    env[i] = { ...env[i], name, value };
                else
                    env.push({ name, value });
            }
            c.environment = env;
        }
        if (options.render) {
            const applied = (0,_render_container_js__WEBPACK_IMPORTED_MODULE_6__/* .applyContainerRender */ .yz)(c, options.render, {
                owner: `task definition ${source.family ?? '(no family)'}`,
                environment: options.environment,
            });
            containers[index] = applied.container;
            problems.push(...applied.problems.map((p) => new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz(p.input, p.message)));
        }
    }
    const [first, ...more] = problems;
    if (first)
        throw more.length > 0 ? new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .InputErrors */ .G(problems) : first;
    const taskDefinition = { ...source, containerDefinitions: containers };
    checkTaskDefinitionSize(taskDefinition);
    return {
        taskDefinition,
        changes,
        rendered: [...selected.keys()],
        hash: taskDefinitionHash(taskDefinition),
    };
}
const COMMIT_TAG = 'ecr-deploy:commit';
const RUN_URL_TAG = 'ecr-deploy:run-url';
/** Pure: the commit and run URL from the runner's variables (what a tag value may hold; else left out). */
function provenanceOf(env) {
    const commit = /^[0-9a-f]{7,64}$/i.test(env.GITHUB_SHA ?? '') ? env.GITHUB_SHA : undefined;
    const runUrl = env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
        : undefined;
    const tagValue = (v) => v && v.length <= 256 && /^[\w .:/=+\-@]*$/.test(v) ? v : undefined;
    const c = tagValue(commit);
    const r = tagValue(runUrl);
    return { ...(c ? { commit: c } : {}), ...(r ? { runUrl: r } : {}) };
}
/**
 * Pure: the tags to register with: the source's, with our render hash (and, when known, the commit and run
 * URL of this deploy) replaced.
 */
function tagsWithHash(tags, hash, provenance = {}) {
    const ours = new Set([RENDER_HASH_TAG, COMMIT_TAG, RUN_URL_TAG]);
    return [
        ...tags.filter((t) => !ours.has(t.key)),
        { key: RENDER_HASH_TAG, value: hash },
        ...(provenance.commit ? [{ key: COMMIT_TAG, value: provenance.commit }] : []),
        ...(provenance.runUrl ? [{ key: RUN_URL_TAG, value: provenance.runUrl }] : []),
    ];
}
/** Pure: a line-by-line description of what differs between two task definitions, for dry runs. */
function diffTaskDefinitions(before, after, prefix = '') {
    const a = record(before);
    const b = record(after);
    if (Array.isArray(before) && Array.isArray(after)) {
        const lines = [];
        const n = Math.max(before.length, after.length);
        for (let i = 0; i < n; i++) {
            const label = record(after[i])?.name ?? record(before[i])?.name ?? i;
            lines.push(...diffTaskDefinitions(before[i], after[i], `${prefix}[${String(label)}]`));
        }
        return lines;
    }
    if (a && b) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((k) => diffTaskDefinitions(a[k], b[k], prefix ? `${prefix}.${k}` : k));
    }
    if (JSON.stringify(before) === JSON.stringify(after))
        return [];
    if (before === undefined)
        return [`+ ${prefix}: ${JSON.stringify(after)}`];
    if (after === undefined)
        return [`- ${prefix}: ${JSON.stringify(before)}`];
    return [`~ ${prefix}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`];
}


/***/ }),

/***/ 2929:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ waitForDeployment),
/* harmony export */   T: () => (/* binding */ trackRollout)
/* harmony export */ });
/* harmony import */ var _deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5708);
/* harmony import */ var _deploy_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4752);
/* harmony import */ var _cancel_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1908);
/* harmony import */ var _deploy_retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(888);
/* harmony import */ var _rollout_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1803);
/* harmony import */ var _service_api_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6224);






function trackRollout(init) {
    return {
        ...init,
        seenEvents: new Set(),
        seenStopped: new Set(),
        definitiveFailures: 0,
        failures: [],
        lastFailedTasks: 0,
        lastRunning: 0,
        lastState: '',
        ecsRollbackEvidence: undefined,
        ecsRollbackId: undefined,
    };
}
function printNewEvents(ctx, rollout, service) {
    const fresh = (service.events ?? [])
        .filter((e) => e.id && !rollout.seenEvents.has(e.id) && (e.createdAt?.getTime() ?? 0) >= rollout.since)
        .reverse();
    for (const e of fresh) {
        rollout.seenEvents.add(e.id ?? '');
        ctx.log.info(`${rollout.service}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`);
    }
}
/** Reads the stopped tasks of our deployment; false when they could not be read this time. */
async function collectStoppedTasks(ctx, rollout) {
    let tasks;
    try {
        tasks = await (0,_service_api_js__WEBPACK_IMPORTED_MODULE_4__/* .stoppedTasksOf */ .bd)(ctx.ecs, ctx.cluster, rollout.deploymentId);
    }
    catch (error) {
        ctx.log.info(`${rollout.service}: ${error.message}; looking again at the next poll.`);
        return false;
    }
    for (const task of tasks.map(_service_api_js__WEBPACK_IMPORTED_MODULE_4__/* .toStoppedTask */ ._)) {
        if (rollout.seenStopped.has(task.taskArn) || task.taskDefinitionArn !== rollout.taskDefinitionArn)
            continue;
        rollout.seenStopped.add(task.taskArn);
        const verdict = (0,_rollout_js__WEBPACK_IMPORTED_MODULE_5__/* .classifyStoppedTask */ .d)(task, rollout.essential);
        rollout.failures.push(verdict.summary);
        if (verdict.definitive)
            rollout.definitiveFailures += 1;
        ctx.log.info(`${rollout.service}: stopped ${verdict.definitive ? '(definitive) ' : ''}${verdict.summary}`);
    }
    return true;
}
async function observe(ctx, rollout, service, failFastAfter) {
    if (!service) {
        return {
            kind: 'failed',
            reason: `service ${rollout.service} is no longer in cluster ${ctx.cluster}`,
            superseded: true,
        };
    }
    printNewEvents(ctx, rollout, service);
    const snapshot = (0,_service_api_js__WEBPACK_IMPORTED_MODULE_4__/* .toServiceSnapshot */ .Vn)(service);
    const ours = snapshot.deployments.find((d) => d.id === rollout.deploymentId);
    if (ours) {
        // New failed or vanished tasks: look at the stopped ones (few calls, only when something stopped). The
        // counts move on only once they were read, so a failed read is tried again at the next poll.
        const changed = ours.failedTasks !== rollout.lastFailedTasks || ours.runningCount < rollout.lastRunning;
        if (!changed || (await collectStoppedTasks(ctx, rollout))) {
            rollout.lastFailedTasks = ours.failedTasks;
            rollout.lastRunning = ours.runningCount;
        }
        const state = `${ours.runningCount}/${ours.desiredCount} running, ${ours.pendingCount} pending, ${ours.failedTasks} failed (${ours.id} ${ours.status} ${ours.rolloutState ?? 'no rollout state'})`;
        if (state !== rollout.lastState)
            ctx.log.info(`${rollout.service}: ${state}`);
        rollout.lastState = state;
    }
    const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
    if (!ours &&
        primary &&
        primary.taskDefinition === rollout.previousTaskDefinition &&
        !rollout.ecsRollbackEvidence) {
        // Ours is gone and the old revision is back: ask the service deployments API whether ECS rolled back;
        // without an answer, failed tasks of ours are the evidence. Unreadable now: decide at the next poll.
        if (rollout.seenStopped.size === 0 && !(await collectStoppedTasks(ctx, rollout))) {
            return { kind: 'in-progress' };
        }
        let api;
        try {
            api = await (0,_service_api_js__WEBPACK_IMPORTED_MODULE_4__/* .ecsRollbackSince */ .UV)(ctx.ecs, ctx.cluster, rollout.service, rollout.since);
        }
        catch (error) {
            ctx.log.info(`${rollout.service}: ${error.message}; looking again at the next poll.`);
            return { kind: 'in-progress' };
        }
        rollout.ecsRollbackEvidence = api.answered
            ? api.rollback
            : rollout.lastFailedTasks > 0 || rollout.failures.length > 0
                ? 'after failed tasks'
                : undefined;
    }
    const judge = () => (0,_rollout_js__WEBPACK_IMPORTED_MODULE_5__/* .evaluateRollout */ .w)(snapshot, {
        ecsRollbackEvidence: rollout.ecsRollbackEvidence,
        deploymentId: rollout.deploymentId,
        previousTaskDefinition: rollout.previousTaskDefinition,
        definitiveFailures: rollout.definitiveFailures,
        failFastAfter,
        lastFailure: rollout.failures.at(-1),
    });
    let verdict = judge();
    // Say why before reporting: the stopped tasks carry the reasons (best effort: the verdict stands).
    if (verdict.kind === 'failed' &&
        rollout.seenStopped.size === 0 &&
        (await collectStoppedTasks(ctx, rollout))) {
        verdict = judge();
    }
    if (verdict.kind !== 'failed')
        return verdict;
    rollout.ecsRollbackId = verdict.ecsRollbackId;
    return { kind: 'failed', reason: verdict.reason, ...(verdict.superseded ? { superseded: true } : {}) };
}
function lastSeen(rollout) {
    return `${rollout.lastState || 'no answer yet'}${rollout.failures.length ? `; stopped tasks: ${rollout.failures.slice(-3).join(' | ')}` : ''}`;
}
/**
 * Polls (through the cluster's shared poller) until our deployment has an outcome or the budget runs out.
 * An answer that does not come (throttling, 5xx, network) is asked again until the deadline; if the state
 * could not be read at the end, or a permanent error says it cannot be read at all, the verdict is
 * `unverified`, never `failed`.
 */
async function waitForDeployment(ctx, rollout, budget) {
    const { clock } = ctx;
    const started = clock.now();
    // Everything this wait prints goes through the heartbeat, which speaks up only when it was quiet.
    const heartbeat = new _deploy_log_js__WEBPACK_IMPORTED_MODULE_1__/* .Heartbeat */ .XE({ log: ctx.log, clock, name: rollout.service });
    ctx = { ...ctx, log: heartbeat };
    let unreadable;
    const unverified = (why) => ({
        kind: 'unverified',
        reason: `${why}; last seen: ${lastSeen(rollout)}; ${ctx.onItsOwn}`,
    });
    const { signal } = budget;
    const stopped = () => unverified('the wait was stopped (the step was cancelled)');
    for (;;) {
        if (signal?.aborted)
            return stopped();
        const last = clock.now() >= budget.deadline;
        let service;
        try {
            const answer = await (0,_cancel_js__WEBPACK_IMPORTED_MODULE_2__/* .unlessAborted */ .Wh)(ctx.poller.next(rollout.service), signal, () => 'stopped');
            if (answer === 'stopped')
                return stopped();
            service = answer;
        }
        catch (error) {
            const text = error.message;
            const kind = (0,_deploy_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .classifyError */ .fe)(error);
            if (kind === 'permanent')
                return unverified(`the service's state cannot be read (${text})`);
            if (!unreadable) {
                unreadable = { since: clock.now(), error: text };
                ctx.log.warning(`${rollout.service}: could not read the service (${text}); asking again.`);
            }
            unreadable.error = text;
            if (last) {
                return unverified(`the service's state could not be read for the last ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - unreadable.since)} of the ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(budget.deadline - started)} wait (${unreadable.error})`);
            }
            heartbeat.beat(`the service could not be read for ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - unreadable.since)} (${unreadable.error}); last seen: ${lastSeen(rollout)}`);
            continue;
        }
        if (unreadable) {
            ctx.log.info(`${rollout.service}: the service answers again (after ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - unreadable.since)}).`);
            unreadable = undefined;
        }
        const seen = await observe(ctx, rollout, service, budget.failFastAfter);
        if (seen.kind === 'completed') {
            ctx.log.info(`${rollout.service}: deployment ${rollout.deploymentId} completed.`);
            return seen;
        }
        if (seen.kind !== 'in-progress')
            return seen;
        if (last) {
            return {
                kind: 'timed-out',
                reason: `not done after ${(0,_deploy_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(budget.deadline - started)}; last state: ${lastSeen(rollout)}`,
            };
        }
        heartbeat.beat(lastSeen(rollout));
    }
}


/***/ })

};
