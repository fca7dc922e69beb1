export const id = 750;
export const ids = [750];
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

/***/ 2750:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployToEcs: () => (/* binding */ deployToEcs),
  preflightEcs: () => (/* binding */ preflightEcs)
});

// UNUSED EXPORTS: UnsupportedDeploymentError

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./src/aws/errors.ts
var aws_errors = __webpack_require__(9378);
// EXTERNAL MODULE: ./src/contract.ts
var contract = __webpack_require__(3665);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/image/reference.ts
var reference = __webpack_require__(3564);
;// CONCATENATED MODULE: ./src/ecs/task-definition.ts



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
function record(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
}
/** Line and column of a character offset, 1-based. */
function position(text, offset) {
    const before = text.slice(0, offset).split('\n');
    return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
/** The first syntax error the YAML parser (a superset of JSON) finds, as "line L, column C". */
function yamlErrorPosition(text) {
    const doc = (0,dist/* parseDocument */.Tp)(text, { prettyErrors: false });
    const [first] = doc.errors;
    if (!first)
        return undefined;
    return { where: ` at ${position(text, first.pos[0])}`, message: first.message.split('\n')[0] ?? '' };
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
            const where = at ? ` at ${position(text, Number(at[1]))}` : (yamlErrorPosition(text)?.where ?? '');
            throw new TaskDefinitionFileError(file, `invalid JSON${where}: ${message.replace(/ in JSON at position.*$/, '')}`);
        }
    }
    const error = yamlErrorPosition(text);
    if (error)
        throw new TaskDefinitionFileError(file, `invalid YAML${error.where}: ${error.message}`);
    return (0,dist/* parseDocument */.Tp)(text).toJS();
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
    if (!doc)
        throw new TaskDefinitionFileError(file, 'is not an object (a task definition is a JSON/YAML mapping).');
    const wrapped = record(doc.taskDefinition);
    const rawTags = doc.tags;
    const body = stripDescribeFields(wrapped ?? doc);
    delete body.tags;
    if (!Array.isArray(body.containerDefinitions) || body.containerDefinitions.length === 0) {
        throw new TaskDefinitionFileError(file, 'has no containerDefinitions.');
    }
    body.containerDefinitions.forEach((c, i) => {
        if (!record(c) || typeof c.name !== 'string') {
            throw new TaskDefinitionFileError(file, `containerDefinitions[${i}] has no name.`);
        }
    });
    if (typeof body.family !== 'string' || body.family === '') {
        throw new TaskDefinitionFileError(file, 'has no family.');
    }
    const tags = [];
    if (rawTags !== undefined) {
        if (!Array.isArray(rawTags))
            throw new TaskDefinitionFileError(file, 'tags must be a list of {key, value}.');
        for (const t of rawTags) {
            const tag = record(t);
            if (typeof tag?.key !== 'string')
                throw new TaskDefinitionFileError(file, 'tags must be a list of {key, value}.');
            tags.push({ key: tag.key, value: typeof tag.value === 'string' ? tag.value : '' });
        }
    }
    return { taskDefinition: body, tags };
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
class RenderError extends Error {
    constructor(message) {
        super(message);
        this.name = 'RenderError';
    }
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
    return (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify(canonical(taskDefinition)))
        .digest('hex')
        .slice(0, 32);
}
/**
 * Pure: puts the image into the selected containers (default: every container whose image is in our
 * repository) and sets `environment` on them. Unknown container names fail, listing the names that exist.
 */
function renderTaskDefinition(source, options) {
    const containers = (source.containerDefinitions ?? []).map((c) => ({ ...c }));
    const names = containers.map((c) => c.name ?? '');
    const family = source.family ?? '(no family)';
    for (const s of options.containers) {
        if (!names.includes(s.name)) {
            throw new RenderError(`Task definition ${family} has no container "${s.name}"; its containers are: ${names.join(', ')}. Fix the containers input.`);
        }
    }
    const selected = options.containers.length > 0
        ? new Map(options.containers.map((s) => [s.name, s.image ?? options.imageRef]))
        : new Map(containers
            .filter((c) => typeof c.image === 'string' && (0,reference/* imageRepository */.a)(c.image) === options.repositoryUri)
            .map((c) => [c.name ?? '', options.imageRef]));
    if (selected.size === 0) {
        const images = containers.map((c) => `${c.name} (${c.image ?? 'no image'})`).join(', ');
        throw new RenderError(`No container of task definition ${family} uses ${options.repositoryUri}: ${images}. Set containers to the container names that should run the new image.`);
    }
    const changes = [];
    for (const c of containers) {
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
    }
    const taskDefinition = { ...source, containerDefinitions: containers };
    return {
        taskDefinition,
        changes,
        rendered: [...selected.keys()],
        hash: taskDefinitionHash(taskDefinition),
    };
}
/** Pure: the tags to register with: the source's, with our render hash replaced. */
function tagsWithHash(tags, hash) {
    return [...tags.filter((t) => t.key !== RENDER_HASH_TAG), { key: RENDER_HASH_TAG, value: hash }];
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

;// CONCATENATED MODULE: ./src/ecs/service-api.ts


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
        const out = await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: chunk }));
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
        const list = await ecs.send(new dist_cjs/* ListTasksCommand */.MYg({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 }));
        const arns = list.taskArns ?? [];
        if (arns.length === 0)
            return [];
        const out = await ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: arns.slice(0, 100) }));
        return out.tasks ?? [];
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('ListTasks/DescribeTasks', error, {
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
        const out = await ecs.send(new dist_cjs/* ListServiceDeploymentsCommand */.jz8({ cluster, service, createdAt: { after: new Date(since) } }));
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
        if (['AccessDeniedException', 'UnknownOperationException', 'UnsupportedOperation'].includes((0,aws_errors/* errorName */.Is)(error) ?? '')) {
            return { answered: false };
        }
        throw (0,aws_errors/* describeAwsError */.Pp)('ListServiceDeployments', error, {
            permission: 'ecs:ListServiceDeployments',
            subject: `service ${service}`,
        });
    }
}

// EXTERNAL MODULE: ./src/deploy/duration.ts
var duration = __webpack_require__(5039);
;// CONCATENATED MODULE: ./src/ecs/rollout.ts
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

;// CONCATENATED MODULE: ./src/ecs/wait.ts





function trackRollout(init) {
    return {
        ...init,
        seenEvents: new Set(),
        seenStopped: new Set(),
        definitiveFailures: 0,
        failures: [],
        lastFailedTasks: 0,
        lastRunning: 0,
        lastProgress: '',
        lastState: 'no answer yet',
        ecsRollbackEvidence: undefined,
        outcome: undefined,
    };
}
function printNewEvents(rollout, service) {
    const fresh = (service.events ?? [])
        .filter((e) => e.id && !rollout.seenEvents.has(e.id) && (e.createdAt?.getTime() ?? 0) >= rollout.since)
        .reverse();
    for (const e of fresh) {
        rollout.seenEvents.add(e.id ?? '');
        core/* info */.pq(`${rollout.service}: ${e.createdAt?.toISOString() ?? ''} ${e.message ?? ''}`);
    }
}
async function collectStoppedTasks(ecs, cluster, rollout) {
    const tasks = await stoppedTasksOf(ecs, cluster, rollout.deploymentId);
    for (const task of tasks.map(toStoppedTask)) {
        if (rollout.seenStopped.has(task.taskArn) || task.taskDefinitionArn !== rollout.taskDefinitionArn)
            continue;
        rollout.seenStopped.add(task.taskArn);
        const verdict = classifyStoppedTask(task, rollout.essential);
        rollout.failures.push(verdict.summary);
        if (verdict.definitive)
            rollout.definitiveFailures += 1;
        core/* info */.pq(`${rollout.service}: stopped ${verdict.definitive ? '(definitive) ' : ''}${verdict.summary}`);
    }
}
async function observe(options, rollout, service) {
    if (!service) {
        rollout.outcome = {
            kind: 'failed',
            reason: `service ${rollout.service} is no longer in cluster ${options.cluster}`,
        };
        return;
    }
    printNewEvents(rollout, service);
    const snapshot = toServiceSnapshot(service);
    const ours = snapshot.deployments.find((d) => d.id === rollout.deploymentId);
    if (ours) {
        // New failed or vanished tasks: look at the stopped ones (few calls, only when something stopped).
        if (ours.failedTasks !== rollout.lastFailedTasks || ours.runningCount < rollout.lastRunning) {
            await collectStoppedTasks(options.ecs, options.cluster, rollout);
        }
        rollout.lastFailedTasks = ours.failedTasks;
        rollout.lastRunning = ours.runningCount;
        rollout.lastState = `${ours.runningCount}/${ours.desiredCount} running, ${ours.pendingCount} pending, ${ours.failedTasks} failed (${ours.id} ${ours.status} ${ours.rolloutState ?? 'no rollout state'})`;
        if (rollout.lastState !== rollout.lastProgress) {
            core/* info */.pq(`${rollout.service}: ${rollout.lastState}`);
            rollout.lastProgress = rollout.lastState;
        }
    }
    const primary = snapshot.deployments.find((d) => d.status === 'PRIMARY');
    if (!ours &&
        primary &&
        primary.taskDefinition === rollout.previousTaskDefinition &&
        !rollout.ecsRollbackEvidence) {
        // Ours is gone and the old revision is back: ask the service deployments API whether ECS rolled back;
        // without an answer, failed tasks of ours are the evidence.
        if (rollout.seenStopped.size === 0)
            await collectStoppedTasks(options.ecs, options.cluster, rollout);
        const api = await ecsRollbackSince(options.ecs, options.cluster, rollout.service, rollout.since);
        rollout.ecsRollbackEvidence = api.answered
            ? api.rollback
            : rollout.lastFailedTasks > 0 || rollout.failures.length > 0
                ? 'after failed tasks'
                : undefined;
    }
    const verdict = evaluateRollout(snapshot, {
        ecsRollbackEvidence: rollout.ecsRollbackEvidence,
        deploymentId: rollout.deploymentId,
        previousTaskDefinition: rollout.previousTaskDefinition,
        definitiveFailures: rollout.definitiveFailures,
        failFastAfter: options.failFastAfter,
        lastFailure: rollout.failures.at(-1),
    });
    if (verdict.kind === 'failed' && rollout.seenStopped.size === 0) {
        // Say why before reporting: the stopped tasks carry the reasons.
        await collectStoppedTasks(options.ecs, options.cluster, rollout);
    }
    if (verdict.kind !== 'in-progress')
        rollout.outcome = verdict;
}
// When each cluster was last asked: consecutive waits (the rollout's, then a rollback's) share the pace.
const lastAsked = new Map();
/**
 * Polls every service with a pending rollout (DescribeServices, 10 per call) until each has an outcome or
 * the budget runs out. Throttling slows the polling down within the deadline; other API errors are reported
 * and retried a few times, then fail the step — never swallowed.
 */
async function waitForRollouts(options) {
    const { clock } = options;
    const base = options.intervalMs ?? 2000;
    const deadline = clock.now() + options.timeoutMs;
    let interval = base;
    let errors = 0;
    let last = false;
    for (;;) {
        const pending = options.rollouts.filter((r) => !r.outcome);
        if (pending.length === 0)
            return;
        if (last) {
            for (const r of pending) {
                r.outcome = {
                    kind: 'timed-out',
                    reason: `not done after ${(0,duration/* formatDuration */.a)(options.timeoutMs)}; last state: ${r.lastState}${r.failures.length ? `; stopped tasks: ${r.failures.slice(-3).join(' | ')}` : ''}`,
                };
            }
            return;
        }
        // At most one DescribeServices per interval per cluster (a little over it, so network jitter never
        // puts two answers inside one interval).
        const since = clock.now() - (lastAsked.get(options.cluster) ?? -Infinity);
        if (since < base + 50)
            await clock.sleep(base + 50 - since);
        lastAsked.set(options.cluster, clock.now());
        try {
            const services = await describeServices(options.ecs, options.cluster, pending.map((r) => r.service));
            for (const r of pending)
                await observe(options, r, services.get(r.service));
            interval = base;
            errors = 0;
        }
        catch (error) {
            const name = error instanceof aws_errors/* AwsCallError */.iQ ? error.code : (0,aws_errors/* errorName */.Is)(error);
            const described = error instanceof aws_errors/* AwsCallError */.iQ
                ? error
                : (0,aws_errors/* describeAwsError */.Pp)('DescribeServices', error, {
                    permission: 'ecs:DescribeServices',
                    subject: `cluster ${options.cluster}`,
                });
            if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
                interval = Math.min(interval * 2, 16_000);
                core/* info */.pq(`ECS throttled the status calls; asking again in ${(0,duration/* formatDuration */.a)(interval)}.`);
            }
            else if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') {
                throw described;
            }
            else {
                errors += 1;
                if (errors >= 5)
                    throw described;
                core/* warning */.$e(`${described.message} (attempt ${errors} of 5; retrying)`);
            }
        }
        if (options.rollouts.every((r) => r.outcome))
            return; // decided: no sleep before reporting it
        // One more look at the deadline itself, so a rollout that finished in the last interval is not timed out.
        if (clock.now() >= deadline)
            last = true;
        else
            await clock.sleep(Math.min(interval, Math.max(0, deadline - clock.now())));
    }
}

;// CONCATENATED MODULE: ./src/ecs/pre-deploy.ts






class PreDeployFailedError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PreDeployFailedError';
    }
}
/** Runs the one-off task (migrations) and requires it to stop with exit code 0 before any service changes. */
async function runPreDeployTask(options) {
    const { ecs, cluster, service, clock } = options;
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
        throw (0,aws_errors/* describeAwsError */.Pp)('RunTask', error, {
            permission: 'ecs:RunTask and iam:PassRole',
            subject: 'the pre-deploy task',
        });
    }
    core/* info */.pq(`Pre-deploy task ${taskArn.split('/').at(-1)} started: ${JSON.stringify(options.command)} in ${options.container}`);
    const deadline = clock.now() + options.timeoutMs;
    let last = '';
    let interval = 2000;
    let errors = 0;
    while (clock.now() < deadline) {
        await clock.sleep(interval);
        let task;
        try {
            task = (await ecs.send(new dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks: [taskArn] }))).tasks?.[0];
            interval = 2000;
            errors = 0;
        }
        catch (error) {
            const described = (0,aws_errors/* describeAwsError */.Pp)('DescribeTasks', error, {
                permission: 'ecs:DescribeTasks',
                subject: 'the pre-deploy task',
            });
            if ((0,aws_errors/* errorName */.Is)(error) === 'ThrottlingException') {
                interval = Math.min(interval * 2, 16_000);
            }
            else if (++errors >= 5) {
                throw described;
            }
            else {
                core/* warning */.$e(`${described.message} (retrying)`);
            }
            continue;
        }
        if (!task)
            continue;
        if (task.lastStatus !== last) {
            last = task.lastStatus ?? '';
            core/* info */.pq(`Pre-deploy task: ${last}`);
        }
        if (task.lastStatus !== 'STOPPED')
            continue;
        const container = task.containers?.find((c) => c.name === options.container);
        const summary = classifyStoppedTask(toStoppedTask(task), new Set([options.container])).summary;
        if (container?.exitCode === 0) {
            core/* info */.pq(`Pre-deploy task finished with exit code 0 (${summary}).`);
            return;
        }
        throw new PreDeployFailedError(`The pre-deploy task did not succeed (${summary}). No service was updated.`);
    }
    try {
        await ecs.send(new dist_cjs/* StopTaskCommand */.PP1({ cluster, task: taskArn, reason: 'ecr-deploy: pre-deploy task timed out' }));
    }
    catch (error) {
        core/* warning */.$e(`Could not stop the pre-deploy task ${taskArn}: ${error.message}`);
    }
    throw new PreDeployFailedError(`The pre-deploy task did not stop within ${(0,duration/* formatDuration */.a)(options.timeoutMs)} (last status ${last || 'unknown'}); it was stopped. No service was updated.`);
}

;// CONCATENATED MODULE: ./src/ecs/deploy.ts










class UnsupportedDeploymentError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UnsupportedDeploymentError';
    }
}
// The SDK model's member lists: keys outside them would be dropped silently by the serializer.
const KNOWN_KEYS = {
    taskDefinition: [...dist_cjs/* RegisterTaskDefinitionRequest$ */.fSK[4]].filter((k) => k !== 'tags'),
    container: dist_cjs/* ContainerDefinition$ */.r2B[4],
};
function consoleUrl(region, cluster, service) {
    const clusterName = cluster.split('/').at(-1);
    return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${clusterName}/services/${service}/deployments?region=${region}`;
}
async function describeCurrentTaskDefinition(ecs, arn) {
    try {
        const out = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: arn, include: ['TAGS'] }));
        if (!out.taskDefinition)
            throw new Error(`DescribeTaskDefinition returned nothing for ${arn}`);
        return {
            taskDefinition: out.taskDefinition,
            tags: (out.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
        };
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('DescribeTaskDefinition', error, {
            permission: 'ecs:DescribeTaskDefinition',
            subject: arn,
        });
    }
}
async function prepareServices(options) {
    const { ecs, target } = options;
    let found;
    try {
        found = await describeServices(ecs, target.cluster, target.services);
    }
    catch (error) {
        if ((0,aws_errors/* errorName */.Is)(error) === 'ClusterNotFoundException') {
            throw new errors/* InputError */.d(contract/* Input */.pd.EcsCluster, `cluster "${target.cluster}" does not exist in ${options.region}. Check the name and the region.`);
        }
        throw (0,aws_errors/* describeAwsError */.Pp)('DescribeServices', error, {
            permission: 'ecs:DescribeServices',
            subject: `cluster ${target.cluster}`,
        });
    }
    const prepared = [];
    for (const name of target.services) {
        const service = found.get(name);
        if (!service || service.status === 'INACTIVE') {
            throw new errors/* InputError */.d(contract/* Input */.pd.EcsService, `service "${name}" does not exist in cluster ${target.cluster} (${options.region}). Check the name, the cluster and the region.`);
        }
        if (service.status !== 'ACTIVE') {
            throw new errors/* InputError */.d(contract/* Input */.pd.EcsService, `service "${name}" is ${service.status}, not ACTIVE.`);
        }
        const controller = service.deploymentController?.type ?? 'ECS';
        if (controller !== 'ECS') {
            throw new UnsupportedDeploymentError(`Service ${name} uses the ${controller} deployment controller; this action deploys ECS rolling updates only (CODE_DEPLOY and EXTERNAL are not supported yet). Nothing was registered.`);
        }
        const strategy = service.deploymentConfiguration?.strategy;
        if (strategy && strategy !== 'ROLLING') {
            throw new UnsupportedDeploymentError(`Service ${name} uses the ${strategy} deployment strategy; this action deploys rolling updates only (blue/green, linear and canary are not supported yet). Nothing was registered.`);
        }
        const currentArn = service.taskDefinition ?? '';
        const current = await describeCurrentTaskDefinition(ecs, currentArn);
        const file = target.taskDefinitionFiles.get(name);
        const source = file
            ? parseTaskDefinitionFile((0,external_node_fs_.readFileSync)(file, 'utf8'), file)
            : {
                taskDefinition: stripDescribeFields(current.taskDefinition),
                tags: current.tags,
            };
        const unknown = unknownKeys(source.taskDefinition, KNOWN_KEYS);
        if (unknown.length > 0 && options.warn) {
            core/* warning */.$e(`Task definition ${file ?? currentArn}: ECS's API model (in this action's AWS SDK) does not know ${unknown.join(', ')}; they would be dropped. Check their spelling.`);
        }
        let rendered;
        try {
            rendered = renderTaskDefinition(source.taskDefinition, {
                imageRef: options.image.imageRef,
                repositoryUri: options.image.repositoryUri,
                containers: target.containers,
                environment: target.environment,
            });
        }
        catch (error) {
            if (error instanceof RenderError) {
                throw new errors/* InputError */.d(contract/* Input */.pd.Containers, `service ${name}: ${error.message}`);
            }
            throw error;
        }
        const currentHash = current.tags.find((t) => t.key === RENDER_HASH_TAG)?.value;
        const currentBody = stripDescribeFields(current.taskDefinition);
        prepared.push({
            name,
            service,
            currentArn,
            current: currentBody,
            rendered,
            tags: tagsWithHash(source.tags, rendered.hash),
            unchanged: currentHash === rendered.hash && currentBody.family === rendered.taskDefinition.family,
            essential: new Set((rendered.taskDefinition.containerDefinitions ?? [])
                .filter((c) => c.essential !== false)
                .map((c) => c.name ?? '')),
        });
    }
    return prepared;
}
async function register(ecs, p) {
    try {
        const out = await ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl({
            ...p.rendered.taskDefinition,
            tags: p.tags,
        }));
        const arn = out.taskDefinition?.taskDefinitionArn ?? '';
        core/* info */.pq(`${p.name}: registered ${arn} (${p.rendered.changes.map((c) => `${c.container}: ${c.from} → ${c.to}`).join('; ') || 'same images'})`);
        return arn;
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('RegisterTaskDefinition', error, {
            permission: 'ecs:RegisterTaskDefinition, ecs:TagResource and iam:PassRole for its task and execution roles',
            subject: `task definition ${p.rendered.taskDefinition.family}`,
        });
    }
}
async function updateService(options, service, taskDefinition, force) {
    try {
        const out = await options.ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({
            cluster: options.target.cluster,
            service,
            taskDefinition,
            forceNewDeployment: force,
            ...(options.target.desiredCount !== undefined ? { desiredCount: options.target.desiredCount } : {}),
        }));
        const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY');
        if (!primary?.id)
            throw new Error(`UpdateService returned no PRIMARY deployment for ${service}`);
        return primary.id;
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('UpdateService', error, {
            permission: 'ecs:UpdateService',
            subject: `service ${service}`,
        });
    }
}
function statusOf(outcome) {
    if (!outcome)
        return 'started';
    if (outcome.kind === 'completed')
        return 'completed';
    if (outcome.kind === 'timed-out')
        return 'timed-out';
    return 'failed';
}
/**
 * Renders and registers each service's task definition, updates the services (in parallel), waits for
 * *our* deployments and rolls back failures. Every check that can fail runs before anything is registered.
 */
/**
 * Before the image is built: the cluster and services exist, their deployment controller and strategy are
 * supported, task definition files parse, and named containers exist. Nothing is changed.
 */
async function preflightEcs(options) {
    await prepareServices({
        ...options,
        warn: true,
        // The digest is not known yet: a stand-in checks the container selection against the repository.
        image: {
            imageRef: `${options.repositoryUri}@sha256:${'0'.repeat(64)}`,
            repositoryUri: options.repositoryUri,
        },
    });
}
async function deployToEcs(options) {
    const { ecs, target, deploy, clock } = options;
    const prepared = await prepareServices({
        ...options,
        image: { imageRef: options.imageRef, repositoryUri: options.repositoryUri },
        warn: false,
    });
    if (deploy.dryRun) {
        return prepared.map((p) => {
            const diff = diffTaskDefinitions(p.current, p.rendered.taskDefinition);
            core/* info */.pq(`${p.name}: dry run — ${p.unchanged && !target.forceNewDeployment ? 'unchanged, nothing would be registered' : `would register ${p.rendered.taskDefinition.family} and update the service`}`);
            for (const line of diff.length ? diff : ['(no difference to the running task definition)'])
                core/* info */.pq(`  ${line}`);
            return {
                target: 'ecs',
                name: `${target.cluster}/${p.name}`,
                status: 'dry-run',
                rolledBack: false,
                durationSeconds: 0,
                previousTaskDefinitionArn: p.currentArn,
                consoleUrl: consoleUrl(options.region, target.cluster, p.name),
            };
        });
    }
    const arns = new Map();
    const registerIfChanged = async (p) => {
        if (!arns.has(p.name))
            arns.set(p.name, p.unchanged ? p.currentArn : await register(ecs, p));
        return arns.get(p.name) ?? '';
    };
    const [first] = prepared;
    if (target.preDeployCommand && first) {
        await runPreDeployTask({
            ecs,
            cluster: target.cluster,
            service: first.service,
            taskDefinitionArn: await registerIfChanged(first),
            container: first.rendered.taskDefinition.containerDefinitions?.find((c) => first.rendered.rendered.includes(c.name ?? '') && c.image === options.imageRef)?.name ??
                first.rendered.rendered[0] ??
                '',
            command: target.preDeployCommand,
            timeoutMs: deploy.timeoutMs,
            clock,
        });
    }
    for (const p of prepared)
        await registerIfChanged(p);
    const results = [];
    const rollouts = [];
    const base = (p, arn) => ({
        target: 'ecs',
        name: `${target.cluster}/${p.name}`,
        taskDefinitionArn: arn,
        previousTaskDefinitionArn: p.currentArn,
        consoleUrl: consoleUrl(options.region, target.cluster, p.name),
    });
    // Every service is updated even when another's update fails; a failed update is a failed result.
    await Promise.all(prepared.map(async (p) => {
        const arn = arns.get(p.name) ?? '';
        if (p.unchanged && !target.forceNewDeployment) {
            core/* info */.pq(`${p.name}: ${arn} already has this image and settings; nothing to roll out.`);
            results.push({ ...base(p, arn), status: 'unchanged', rolledBack: false, durationSeconds: 0 });
            return;
        }
        const since = clock.now() - 1000;
        let deploymentId;
        try {
            deploymentId = await updateService(options, p.name, arn, target.forceNewDeployment);
        }
        catch (error) {
            core/* error */.z3(`${p.name}: ${error.message}`);
            results.push({
                ...base(p, arn),
                status: 'failed',
                rolledBack: false,
                durationSeconds: 0,
                reason: error.message,
            });
            return;
        }
        core/* info */.pq(`${p.name}: deployment ${deploymentId} started (${consoleUrl(options.region, target.cluster, p.name)})`);
        rollouts.push({
            prepared: p,
            taskDefinitionArn: arn,
            deploymentId,
            startedAt: clock.now(),
            tracked: trackRollout({
                service: p.name,
                deploymentId,
                taskDefinitionArn: arn,
                previousTaskDefinition: p.currentArn !== arn ? p.currentArn : undefined,
                essential: p.essential,
                since,
            }),
        });
    }));
    if (deploy.wait && rollouts.length > 0) {
        try {
            await waitForRollouts({
                ecs,
                cluster: target.cluster,
                rollouts: rollouts.map((r) => r.tracked),
                timeoutMs: deploy.timeoutMs,
                failFastAfter: deploy.failFastAfter,
                clock,
            });
        }
        catch (error) {
            // The wait itself failed (denied, or the API kept failing): what is still pending did not succeed.
            for (const r of rollouts) {
                r.tracked.outcome ??= { kind: 'failed', reason: `the wait failed: ${error.message}` };
            }
        }
        for (const r of rollouts) {
            r.status = statusOf(r.tracked.outcome);
            r.reason = r.tracked.outcome && 'reason' in r.tracked.outcome ? r.tracked.outcome.reason : undefined;
            if (r.status === 'completed')
                core/* info */.pq(`${r.prepared.name}: deployment ${r.deploymentId} completed.`);
            else
                core/* error */.z3(`${r.prepared.name}: deployment ${r.deploymentId} ${r.status}: ${r.reason ?? ''}`);
        }
        await rollBack(options, rollouts.filter((r) => r.status === 'failed' || r.status === 'timed-out'));
    }
    for (const r of rollouts) {
        results.push({
            ...base(r.prepared, r.taskDefinitionArn),
            status: r.status ?? 'started',
            rolledBack: r.status === 'rolled-back',
            durationSeconds: Math.round((clock.now() - r.startedAt) / 100) / 10,
            ...(r.reason ? { reason: r.reason } : {}),
            deploymentId: r.deploymentId,
        });
    }
    return target.services
        .map((s) => results.find((r) => r.name === `${target.cluster}/${s}`))
        .filter((r) => r !== undefined);
}
/**
 * Failed or timed-out rollouts go back to the task definition they ran before: ECS's own rollback
 * (circuit breaker) is waited for; otherwise, with rollback-on-failure, the service is updated back. The
 * rollback gets its own `timeout` budget.
 */
async function rollBack(options, failed) {
    const { deploy, ecs, target, clock } = options;
    const waiting = [];
    for (const r of failed) {
        const outcome = r.tracked.outcome;
        if (outcome?.kind === 'failed' && outcome.superseded)
            continue; // never undo someone else's newer deployment
        const ecsRollbackId = outcome?.kind === 'failed' ? outcome.ecsRollbackId : undefined;
        const previous = r.prepared.currentArn;
        let id = ecsRollbackId;
        if (!id) {
            if (!deploy.rollbackOnFailure || previous === r.taskDefinitionArn)
                continue;
            core/* info */.pq(`${r.prepared.name}: rolling back to ${previous}`);
            try {
                id = await updateService(options, r.prepared.name, previous, false);
            }
            catch (error) {
                r.reason = `${r.reason ?? ''}; the rollback could not start: ${error.message}`;
                continue;
            }
        }
        else {
            core/* info */.pq(`${r.prepared.name}: ECS is rolling back to ${previous} (deployment ${id}); waiting for it.`);
        }
        r.rollback = trackRollout({
            service: r.prepared.name,
            deploymentId: id,
            taskDefinitionArn: previous,
            previousTaskDefinition: undefined,
            essential: new Set(),
            since: clock.now() - 1000,
        });
        waiting.push(r);
    }
    if (waiting.length === 0)
        return;
    try {
        await waitForRollouts({
            ecs,
            cluster: target.cluster,
            rollouts: waiting.map((r) => r.rollback).filter((t) => t !== undefined),
            timeoutMs: deploy.timeoutMs,
            failFastAfter: 0,
            clock,
        });
    }
    catch (error) {
        for (const r of waiting) {
            if (r.rollback)
                r.rollback.outcome ??= { kind: 'failed', reason: `the wait failed: ${error.message}` };
        }
    }
    for (const r of waiting) {
        const outcome = r.rollback?.outcome;
        if (outcome?.kind === 'completed') {
            core/* info */.pq(`${r.prepared.name}: rolled back to ${r.prepared.currentArn}.`);
            r.reason = `${r.status === 'timed-out' ? 'timed out' : 'failed'}: ${r.reason ?? ''}; rolled back to ${r.prepared.currentArn}`;
            r.status = 'rolled-back';
        }
        else {
            r.reason = `${r.reason ?? ''}; the rollback to ${r.prepared.currentArn} did not complete either: ${outcome && 'reason' in outcome ? outcome.reason : 'no outcome'}`;
            core/* error */.z3(`${r.prepared.name}: ${r.reason}`);
        }
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
