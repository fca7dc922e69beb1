export const id = 11;
export const ids = [11,918];
export const modules = {

/***/ 5918:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ACTION_VERSION: () => (/* binding */ ACTION_VERSION),
/* harmony export */   agentOptions: () => (/* binding */ agentOptions),
/* harmony export */   clientConfig: () => (/* binding */ clientConfig),
/* harmony export */   createCloudWatchClient: () => (/* binding */ createCloudWatchClient),
/* harmony export */   createEcrClient: () => (/* binding */ createEcrClient),
/* harmony export */   createEcsClient: () => (/* binding */ createEcsClient),
/* harmony export */   createElbClient: () => (/* binding */ createElbClient),
/* harmony export */   createLogsClient: () => (/* binding */ createLogsClient),
/* harmony export */   createScalingClient: () => (/* binding */ createScalingClient),
/* harmony export */   stepCredentialsProvider: () => (/* binding */ stepCredentialsProvider),
/* harmony export */   useStepCredentials: () => (/* binding */ useStepCredentials),
/* harmony export */   userAgentPairs: () => (/* binding */ userAgentPairs)
/* harmony export */ });
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5697);
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7543);




/** This action's version (package.json's; a unit test keeps them equal). */
const ACTION_VERSION = '0.1.0';
/**
 * The user agent every AWS call carries, so CloudTrail's `userAgent` ties each event to the run:
 * `ecr-deploy/<version> gh-repo/<owner>/<name> gh-run/<run id> gh-attempt/<attempt>` (parts the runner does
 * not give are left out). Pairs as the SDK's `customUserAgent` takes them; it escapes what a user agent cannot hold.
 */
function userAgentPairs(env) {
    const token = (v) => (v && /^[\w.-]+(?:\/[\w.-]+)*$/.test(v) ? v : undefined);
    const repository = token(env.GITHUB_REPOSITORY);
    const run = token(env.GITHUB_RUN_ID);
    const attempt = token(env.GITHUB_RUN_ATTEMPT);
    return [
        ['ecr-deploy', ACTION_VERSION],
        ...(repository ? [[`gh-repo/${repository}`]] : []),
        ...(run ? [['gh-run', run]] : []),
        ...(attempt ? [['gh-attempt', attempt]] : []),
    ];
}
/** Agent options for every HTTP client of the action: Node 24 agents honour HTTPS_PROXY/NO_PROXY given `proxyEnv`. */
function agentOptions(env) {
    const proxied = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
    return { keepAlive: true, ...(proxied ? { proxyEnv: env } : {}) };
}
let stepCredentials;
/**
 * The credentials every client of this step uses from now on (role-to-assume's renewing session). Unset: the
 * SDK's default chain.
 */
function useStepCredentials(provider) {
    stepCredentials = provider;
}
/** The step's own credentials provider, when it has one (for signers outside SDK clients, e.g. the EKS token). */
function stepCredentialsProvider() {
    return stepCredentials;
}
/**
 * Shared client settings. Endpoints come from the SDK's standard configuration (AWS_ENDPOINT_URL_<SERVICE>,
 * profiles), credentials from the step's own provider (useStepCredentials) or else the SDK's default chain.
 * Retries are adaptive: throttling slows the client down instead of failing the step.
 */
function clientConfig({ region, env }) {
    const options = agentOptions(env);
    return {
        region,
        retryMode: 'adaptive',
        maxAttempts: 5,
        ...(stepCredentials ? { credentials: stepCredentials } : {}),
        customUserAgent: userAgentPairs(env),
        requestHandler: new _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_2__.NodeHttpHandler({
            httpsAgent: new (node_https__WEBPACK_IMPORTED_MODULE_0___default().Agent)(options),
            httpAgent: new (node_http__WEBPACK_IMPORTED_MODULE_1___default().Agent)(options),
            connectionTimeout: 10_000,
            requestTimeout: 60_000,
        }),
    };
}
function createEcrClient(options) {
    return new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__/* .ECRClient */ .S70(clientConfig(options));
}
/** Application Auto Scaling (the `auto-scaling` input, `desired-count` checks): loaded only when used. */
async function createScalingClient(options) {
    const { ApplicationAutoScalingClient } = await __webpack_require__.e(/* import() */ 181).then(__webpack_require__.t.bind(__webpack_require__, 3181, 19));
    return new ApplicationAutoScalingClient(clientConfig(options));
}
/** Waiting code is time-critical: the ECS client is loaded only when an ECS target is deployed. */
async function createEcsClient(options) {
    const { ECSClient } = await __webpack_require__.e(/* import() */ 218).then(__webpack_require__.t.bind(__webpack_require__, 218, 19));
    return new ECSClient(clientConfig(options));
}
/** Only previews with a listener talk to Elastic Load Balancing. */
async function createElbClient(options) {
    const { ElasticLoadBalancingV2Client } = await __webpack_require__.e(/* import() */ 408).then(__webpack_require__.t.bind(__webpack_require__, 2408, 19));
    return new ElasticLoadBalancingV2Client(clientConfig(options));
}
/** CloudWatch Logs, loaded only when a failed ECS task's log lines are read (one client per log region). */
async function createLogsClient(options) {
    const { CloudWatchLogsClient } = await __webpack_require__.e(/* import() */ 897).then(__webpack_require__.t.bind(__webpack_require__, 3897, 19));
    return new CloudWatchLogsClient(clientConfig(options));
}
/** CloudWatch, loaded only when alarms are watched. */
async function createCloudWatchClient(options) {
    const { CloudWatchClient } = await __webpack_require__.e(/* import() */ 575).then(__webpack_require__.t.bind(__webpack_require__, 7575, 19));
    return new CloudWatchClient(clientConfig(options));
}


/***/ }),

/***/ 2748:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* unused harmony export MAX_TIMER_MS */
/** The largest delay a Node timer holds; longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        let timer;
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        // Long sleeps go in steps no timer overflows on.
        const deadline = Date.now() + Math.max(0, ms);
        const arm = () => {
            const left = deadline - Date.now();
            if (left <= 0)
                return done();
            timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
        };
        signal?.addEventListener('abort', done, { once: true });
        arm();
    }),
};


/***/ }),

/***/ 4782:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ runTarget)
/* harmony export */ });
/* unused harmony export rollbackEnding */
/* harmony import */ var _cancel_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1908);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5708);
// The deploy lifecycle, once for every target: render → apply → wait → roll back → result, for each unit in
// parallel, with one error policy: whatever goes wrong with a unit becomes its result, with the reason.
// The driver logs what happens as progress lines (in the deploy's group); the one `::error` of a failed
// deploy is the step's, from its results (see runner.ts), so no failure is annotated twice.


function message(error) {
    return error instanceof Error ? error.message : String(error);
}
/** After the cancel, how long a target's wait may take to stop and say what it saw last. */
const WAIT_STOP_GRACE_MS = 1000;
/** Pure: the wording of a failure that was rolled back, or whose rollback did not complete. */
function rollbackEnding(failure, rollback) {
    const what = failure.status === 'timed-out' ? 'timed out' : 'failed';
    const { verdict } = rollback;
    if (verdict.kind === 'completed') {
        return {
            status: 'rolled-back',
            reason: `${what}: ${failure.reason ?? ''}; rolled back to ${rollback.to}`,
        };
    }
    const why = verdict.kind === 'unverified'
        ? `the rollback to ${rollback.to} could not be verified: ${verdict.reason}`
        : `the rollback to ${rollback.to} did not complete either: ${verdict.reason}`;
    return { status: failure.status, reason: `${failure.reason ?? ''}; ${why}` };
}
/**
 * Runs every unit of the target to its result. Never throws: an error applying, waiting or rolling back
 * one unit is that unit's result, and the others go on. Results come in the order of `target.units`.
 */
async function runTarget(target, image, options) {
    const { deploy, clock, log } = options;
    const items = target.units.map((unit) => {
        try {
            return { unit, plan: target.render(unit, image) };
        }
        catch (error) {
            return { unit, error: message(error) };
        }
    });
    const result = (unit, handle, ending, startedAt) => ({
        ...target.details(unit, handle, ending.status),
        name: target.nameOf(unit),
        status: ending.status,
        rolledBack: ending.status === 'rolled-back',
        durationSeconds: Math.round((clock.now() - startedAt) / 100) / 10,
        ...(ending.reason ? { reason: ending.reason } : {}),
    });
    if (deploy.dryRun) {
        return items.map((item) => {
            const name = target.nameOf(item.unit);
            if ('error' in item)
                return result(item.unit, undefined, { status: 'failed', reason: item.error }, 0);
            for (const line of target.preview(item.unit, item.plan))
                log.info(`${name}: ${line}`);
            return result(item.unit, undefined, { status: 'dry-run' }, clock.now());
        });
    }
    const changing = items.flatMap((i) => ('error' in i || target.unchanged(i.plan) ? [] : [i]));
    let refused;
    const { signal } = options;
    const cancelled = () => signal?.aborted === true;
    let cancelledAt;
    signal?.addEventListener('abort', () => (cancelledAt = clock.now()), { once: true });
    if (changing.length > 0 && target.beforeApply && !cancelled()) {
        try {
            await (0,_cancel_js__WEBPACK_IMPORTED_MODULE_0__/* .unlessAborted */ .Wh)(target.beforeApply(changing), signal, () => undefined);
        }
        catch (error) {
            refused = message(error);
            log.info(refused);
        }
    }
    const runUnit = async (item) => {
        const { unit } = item;
        const name = target.nameOf(unit);
        const startedAt = clock.now();
        if ('error' in item) {
            log.info(`${name}: ${item.error}`);
            return result(unit, undefined, { status: 'failed', reason: item.error }, startedAt);
        }
        if (target.unchanged(item.plan))
            return result(unit, undefined, { status: 'unchanged' }, startedAt);
        if (cancelled()) {
            return result(unit, undefined, {
                status: 'cancelled',
                reason: 'the step was cancelled before this was changed; nothing was deployed to it',
            }, startedAt);
        }
        if (refused !== undefined)
            return result(unit, undefined, { status: 'failed', reason: refused }, startedAt);
        let handle;
        try {
            handle = await target.apply(unit, item.plan);
        }
        catch (error) {
            log.info(`${name}: ${message(error)}`);
            return result(unit, undefined, { status: 'failed', reason: message(error) }, startedAt);
        }
        if (!deploy.wait)
            return result(unit, handle, { status: 'started' }, startedAt);
        const verdict = await safeWait(target, handle, {
            deadline: clock.now() + deploy.timeoutMs,
            failFastAfter: deploy.failFastAfter,
        });
        if (verdict.kind === 'completed')
            return result(unit, handle, { status: 'completed' }, startedAt);
        if (cancelled()) {
            const ending = await cancelEnding(name, handle, `our change is in flight: ${verdict.reason}`);
            return result(unit, handle, ending, startedAt);
        }
        log.info(`${name}: ${verdict.kind}: ${verdict.reason}`);
        // Only a definitive failure of our own revision, or a time-out, is rolled back.
        if (verdict.kind === 'unverified' || (verdict.kind === 'failed' && verdict.superseded)) {
            return result(unit, handle, { status: verdict.kind, reason: verdict.reason }, startedAt);
        }
        const failure = { status: verdict.kind, reason: verdict.reason };
        let rollback = target.platformRollback(handle);
        if (!rollback) {
            if (!deploy.rollbackOnFailure)
                return result(unit, handle, failure, startedAt);
            try {
                const started = await target.rollBack(handle);
                if ('skipped' in started) {
                    log.info(`${name}: not rolled back: ${started.skipped}`);
                    return result(unit, handle, { ...failure, reason: `${failure.reason}; not rolled back: ${started.skipped}` }, startedAt);
                }
                rollback = started.handle;
            }
            catch (error) {
                log.info(`${name}: the rollback could not start: ${message(error)}`);
                return result(unit, handle, { ...failure, reason: `${failure.reason}; the rollback could not start: ${message(error)}` }, startedAt);
            }
        }
        // The rollback has its own budget, and nothing of it ends early: it is the known-good revision.
        const rollbackVerdict = await safeWait(target, rollback, {
            deadline: clock.now() + deploy.timeoutMs,
            failFastAfter: 0,
        });
        if (cancelled() && rollbackVerdict.kind !== 'completed') {
            const reason = `${failure.reason}; the step was cancelled while rolling back to ${target.rollbackTarget(rollback)}: ${rollbackVerdict.reason}`;
            log.info(`${name}: ${reason}`);
            return result(unit, handle, { status: 'cancelled', reason }, startedAt);
        }
        const ending = rollbackEnding(failure, { to: target.rollbackTarget(rollback), verdict: rollbackVerdict });
        if (ending.status === 'rolled-back')
            log.info(`${name}: rolled back to ${target.rollbackTarget(rollback)}.`);
        else
            log.info(`${name}: ${ending.reason ?? ''}`);
        return result(unit, handle, ending, startedAt);
    };
    return Promise.all(items.map(runUnit));
    /**
     * A unit whose change is in flight when the step is cancelled: says where it stands and, with
     * rollback-on-cancel, starts the rollback, bounded so that it starts before the runner kills the step.
     */
    async function cancelEnding(name, handle, stands) {
        let reason = `the step was cancelled; ${stands}`;
        if (deploy.rollbackOnCancel) {
            const left = (cancelledAt ?? clock.now()) + _cancel_js__WEBPACK_IMPORTED_MODULE_0__/* .CANCEL_ROLLBACK_MS */ .nb - clock.now();
            const budget = new AbortController();
            const outOfTime = clock.sleep(Math.max(0, left), budget.signal).then(() => 'out-of-time');
            try {
                const started = await Promise.race([target.rollBack(handle), outOfTime]);
                if (started === 'out-of-time') {
                    reason += `; the rollback did not start within ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(_cancel_js__WEBPACK_IMPORTED_MODULE_0__/* .CANCEL_ROLLBACK_MS */ .nb)} of the cancel`;
                }
                else if ('skipped' in started) {
                    reason += `; not rolled back: ${started.skipped}`;
                }
                else {
                    reason += `; rollback to ${target.rollbackTarget(started.handle)} started (not waited for)`;
                }
            }
            catch (error) {
                reason += `; the rollback could not start: ${message(error)}`;
            }
            finally {
                budget.abort();
            }
        }
        log.info(`${name}: ${reason}`);
        return { status: 'cancelled', reason };
    }
    async function safeWait(t, handle, budget) {
        try {
            const waiting = t.wait(handle, signal ? { ...budget, signal } : budget);
            if (!signal)
                return await waiting;
            // The target's wait ends at the cancel with what it saw last; one that does not is not waited for
            // longer than WAIT_STOP_GRACE_MS (and the grace's timer goes as soon as the wait ends).
            const settled = new AbortController();
            void waiting.then(() => settled.abort(), () => settled.abort());
            const gaveUp = (0,_cancel_js__WEBPACK_IMPORTED_MODULE_0__/* .unlessAborted */ .Wh)(new Promise(() => undefined), signal, () => undefined).then(async () => {
                await clock.sleep(WAIT_STOP_GRACE_MS, settled.signal);
                return {
                    kind: 'unverified',
                    reason: 'the wait was stopped; the platform goes on with the rollout on its own',
                };
            });
            return await Promise.race([waiting, gaveUp]);
        }
        catch (error) {
            // A wait that broke off has seen no outcome: the state is unknown, not failed.
            return {
                kind: 'unverified',
                reason: `the wait stopped after ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(clock.now() - (budget.deadline - deploy.timeoutMs))}: ${message(error)}`,
            };
        }
    }
}


/***/ }),

/***/ 4752:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XE: () => (/* binding */ Heartbeat),
/* harmony export */   _D: () => (/* binding */ actionsLog)
/* harmony export */ });
/* unused harmony exports HEARTBEAT_MS, heartbeatLine */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3995);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5708);


const actionsLog = {
    info: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(message),
    warning: (message, properties) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(message, properties ?? {}),
    error: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(message),
};
/** How long a wait may print nothing before it says it is still waiting. */
const HEARTBEAT_MS = 30_000;
/** Pure: the line a quiet wait prints (`web: still waiting, 1 min 30 s elapsed: 1/2 running, …`). */
function heartbeatLine(name, elapsedMs, state) {
    return `${name}: still waiting, ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(elapsedMs)} elapsed: ${state || 'no state seen yet'}`;
}
/**
 * The log of one wait, which knows when it last printed: a wait calls `beat` whenever it looks, and a line
 * with the elapsed time and the current state is printed only when nothing was printed for HEARTBEAT_MS, so
 * a quiet log still shows the step is alive and a busy one gets no extra lines. Time is the wait's clock.
 */
class Heartbeat {
    log;
    clock;
    name;
    started;
    lastPrinted;
    constructor(options) {
        this.log = options.log;
        this.clock = options.clock;
        this.name = options.name;
        this.started = this.lastPrinted = options.clock.now();
    }
    info(message) {
        this.lastPrinted = this.clock.now();
        this.log.info(message);
    }
    warning(message, properties) {
        this.lastPrinted = this.clock.now();
        this.log.warning(message, properties);
    }
    error(message) {
        this.lastPrinted = this.clock.now();
        this.log.error(message);
    }
    /** When the next heartbeat is due (epoch ms on the clock), for a wait that sleeps until something happens. */
    get dueAt() {
        return this.lastPrinted + HEARTBEAT_MS;
    }
    /** Prints the heartbeat with `state` when nothing was printed for HEARTBEAT_MS; true when it did. */
    beat(state) {
        const now = this.clock.now();
        if (now < this.dueAt)
            return false;
        this.info(heartbeatLine(this.name, now - this.started, state));
        return true;
    }
}


/***/ }),

/***/ 6011:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   deploy: () => (/* binding */ deploy),
/* harmony export */   notDeployed: () => (/* binding */ notDeployed),
/* harmony export */   prepareDeploy: () => (/* binding */ prepareDeploy)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3995);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5918);
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2748);
/* harmony import */ var _driver_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4782);
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4752);
// Wiring: the chosen target's code and clients are loaded only for that target, prepared once (read only,
// before the image exists), then driven by the one driver.





function notDeployed(port) {
    return (status, reason) => port.units.map((unit) => ({
        ...port.details(unit, undefined, status),
        name: port.nameOf(unit),
        status,
        rolledBack: false,
        durationSeconds: 0,
        reason,
    }));
}
function runUrl(env) {
    return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}
/**
 * Reads the target (cluster, services or Deployments, access, task definition files) and checks the
 * container selection against the repository. Nothing is changed; errors name the input to fix.
 */
async function prepareDeploy(inputs, env, repositoryUri) {
    const { target } = inputs;
    const driver = { deploy: inputs.deploy, clock: _clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m, log: _log_js__WEBPACK_IMPORTED_MODULE_4__/* .actionsLog */ ._D };
    const common = { region: inputs.region, clock: _clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m, log: _log_js__WEBPACK_IMPORTED_MODULE_4__/* .actionsLog */ ._D, repositoryUri };
    if (target.kind === 'ecs') {
        const [{ prepareEcsTarget }, ecs] = await Promise.all([
            Promise.all(/* import() */[__webpack_require__.e(637), __webpack_require__.e(218), __webpack_require__.e(181), __webpack_require__.e(3)]).then(__webpack_require__.bind(__webpack_require__, 2003)),
            (0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_1__.createEcsClient)({ region: inputs.region, env }),
        ]);
        const port = await prepareEcsTarget({
            ...common,
            ecs,
            target,
            preDeployTimeoutMs: inputs.deploy.timeoutMs,
            env,
        });
        return {
            title: `Deploy to ECS: ${target.services.join(', ')} in ${target.cluster}`,
            deploy: (image, signal) => (0,_driver_js__WEBPACK_IMPORTED_MODULE_3__/* .runTarget */ .N)(port, image, { ...driver, signal }),
            notDeployed: notDeployed(port),
        };
    }
    const [{ prepareEksTarget, connectToCluster, stsCaller }, { EKSClient }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(458), __webpack_require__.e(933), __webpack_require__.e(77), __webpack_require__.e(845)]).then(__webpack_require__.bind(__webpack_require__, 7077)),
        __webpack_require__.e(/* import() */ 458).then(__webpack_require__.t.bind(__webpack_require__, 9458, 19)),
    ]);
    const eks = new EKSClient((0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_1__.clientConfig)({ region: inputs.region, env }));
    const { kube, server } = await connectToCluster({
        eks,
        target,
        region: inputs.region,
        env,
        clock: _clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m,
    });
    const port = await prepareEksTarget({
        ...common,
        target,
        env,
        runUrl: runUrl(env),
        callerArn: stsCaller({ region: inputs.region, env }),
        kube,
        server,
    });
    return {
        title: `Deploy to EKS: ${target.manifests ? `manifests ${target.manifests.entries.join(', ')}` : target.deployments.join(', ')} in ${target.cluster}/${target.namespace}`,
        deploy: (image, signal) => (0,_driver_js__WEBPACK_IMPORTED_MODULE_3__/* .runTarget */ .N)(port, image, { ...driver, signal }),
        notDeployed: notDeployed(port),
    };
}
/** Deploys in its own log group; every unit ends with a result (the driver never throws). */
async function deploy(prepared, image, signal) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .startGroup */ .Oh(prepared.title);
    try {
        return await prepared.deploy(image, signal);
    }
    finally {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .endGroup */ .N4();
    }
}


/***/ })

};
