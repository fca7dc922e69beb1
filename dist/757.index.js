export const id = 757;
export const ids = [757,201];
export const modules = {

/***/ 201:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   agentOptions: () => (/* binding */ agentOptions),
/* harmony export */   clientConfig: () => (/* binding */ clientConfig),
/* harmony export */   createEcrClient: () => (/* binding */ createEcrClient),
/* harmony export */   createEcsClient: () => (/* binding */ createEcsClient),
/* harmony export */   stepCredentialsProvider: () => (/* binding */ stepCredentialsProvider),
/* harmony export */   useStepCredentials: () => (/* binding */ useStepCredentials)
/* harmony export */ });
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1279);
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8249);




const USER_AGENT = ['ecr-deploy', '1'];
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
        customUserAgent: [[...USER_AGENT]],
        ...(stepCredentials ? { credentials: stepCredentials } : {}),
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
/** Waiting code is time-critical: the ECS client is loaded only when an ECS target is deployed. */
async function createEcsClient(options) {
    const { ECSClient } = await __webpack_require__.e(/* import() */ 212).then(__webpack_require__.t.bind(__webpack_require__, 212, 19));
    return new ECSClient(clientConfig(options));
}


/***/ }),

/***/ 3941:
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

/***/ 757:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deploy: () => (/* binding */ deploy),
  prepareDeploy: () => (/* binding */ prepareDeploy)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
// EXTERNAL MODULE: ./src/aws/clients.ts
var clients = __webpack_require__(201);
// EXTERNAL MODULE: ./src/deploy/clock.ts
var clock = __webpack_require__(3941);
// EXTERNAL MODULE: ./src/deploy/duration.ts
var duration = __webpack_require__(5039);
;// CONCATENATED MODULE: ./src/deploy/driver.ts

function message(error) {
    return error instanceof Error ? error.message : String(error);
}
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
    if (changing.length > 0 && target.beforeApply) {
        try {
            await target.beforeApply(changing);
        }
        catch (error) {
            refused = message(error);
            log.error(refused);
        }
    }
    const runUnit = async (item) => {
        const { unit } = item;
        const name = target.nameOf(unit);
        const startedAt = clock.now();
        if ('error' in item) {
            log.error(`${name}: ${item.error}`);
            return result(unit, undefined, { status: 'failed', reason: item.error }, startedAt);
        }
        if (target.unchanged(item.plan))
            return result(unit, undefined, { status: 'unchanged' }, startedAt);
        if (refused !== undefined)
            return result(unit, undefined, { status: 'failed', reason: refused }, startedAt);
        let handle;
        try {
            handle = await target.apply(unit, item.plan);
        }
        catch (error) {
            log.error(`${name}: ${message(error)}`);
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
        log.error(`${name}: ${verdict.kind}: ${verdict.reason}`);
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
                log.error(`${name}: the rollback could not start: ${message(error)}`);
                return result(unit, handle, { ...failure, reason: `${failure.reason}; the rollback could not start: ${message(error)}` }, startedAt);
            }
        }
        // The rollback has its own budget, and nothing of it ends early: it is the known-good revision.
        const rollbackVerdict = await safeWait(target, rollback, {
            deadline: clock.now() + deploy.timeoutMs,
            failFastAfter: 0,
        });
        const ending = rollbackEnding(failure, { to: target.rollbackTarget(rollback), verdict: rollbackVerdict });
        if (ending.status === 'rolled-back')
            log.info(`${name}: rolled back to ${target.rollbackTarget(rollback)}.`);
        else
            log.error(`${name}: ${ending.reason ?? ''}`);
        return result(unit, handle, ending, startedAt);
    };
    return Promise.all(items.map(runUnit));
    async function safeWait(t, handle, budget) {
        try {
            return await t.wait(handle, budget);
        }
        catch (error) {
            // A wait that broke off has seen no outcome: the state is unknown, not failed.
            return {
                kind: 'unverified',
                reason: `the wait stopped after ${(0,duration/* formatDuration */.a)(clock.now() - (budget.deadline - deploy.timeoutMs))}: ${message(error)}`,
            };
        }
    }
}

;// CONCATENATED MODULE: ./src/deploy/log.ts

const actionsLog = {
    info: (message) => core/* info */.pq(message),
    warning: (message) => core/* warning */.$e(message),
    error: (message) => core/* error */.z3(message),
};

;// CONCATENATED MODULE: ./src/deploy/run.ts
// Wiring: the chosen target's code and clients are loaded only for that target, prepared once (read only,
// before the image exists), then driven by the one driver.





function runUrl(env) {
    return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}
/**
 * Reads the target (cluster, services or Deployments, access, task definition files) and checks the
 * container selection against the repository. Nothing is changed; errors name the input to fix.
 */
async function prepareDeploy(inputs, env, repositoryUri) {
    const { target } = inputs;
    const driver = { deploy: inputs.deploy, clock: clock/* systemClock */.m, log: actionsLog };
    const common = { region: inputs.region, clock: clock/* systemClock */.m, log: actionsLog, repositoryUri };
    if (target.kind === 'ecs') {
        const [{ prepareEcsTarget }, ecs] = await Promise.all([
            Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(815), __webpack_require__.e(666)]).then(__webpack_require__.bind(__webpack_require__, 9666)),
            (0,clients.createEcsClient)({ region: inputs.region, env }),
        ]);
        const port = await prepareEcsTarget({
            ...common,
            ecs,
            target,
            preDeployTimeoutMs: inputs.deploy.timeoutMs,
        });
        return {
            title: `Deploy to ECS: ${target.services.join(', ')} in ${target.cluster}`,
            deploy: (image) => runTarget(port, image, driver),
        };
    }
    const [{ prepareEksTarget, connectToCluster, stsCaller }, { EKSClient }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(524), __webpack_require__.e(695), __webpack_require__.e(970)]).then(__webpack_require__.bind(__webpack_require__, 4970)),
        __webpack_require__.e(/* import() */ 524).then(__webpack_require__.t.bind(__webpack_require__, 4524, 19)),
    ]);
    const eks = new EKSClient((0,clients.clientConfig)({ region: inputs.region, env }));
    const { kube, server } = await connectToCluster({
        eks,
        target,
        region: inputs.region,
        env,
        clock: clock/* systemClock */.m,
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
        title: `Deploy to EKS: ${target.deployments.join(', ')} in ${target.cluster}/${target.namespace}`,
        deploy: (image) => runTarget(port, image, driver),
    };
}
/** Deploys in its own log group; every unit ends with a result (the driver never throws). */
async function deploy(prepared, image) {
    core/* startGroup */.Oh(prepared.title);
    try {
        return await prepared.deploy(image);
    }
    finally {
        core/* endGroup */.N4();
    }
}


/***/ })

};
