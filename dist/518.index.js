export const id = 518;
export const ids = [518];
export const modules = {

/***/ 201:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DJ: () => (/* binding */ createEcsClient),
/* harmony export */   _E: () => (/* binding */ agentOptions),
/* harmony export */   yO: () => (/* binding */ clientConfig),
/* harmony export */   yv: () => (/* binding */ createEcrClient)
/* harmony export */ });
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1279);
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8249);




const USER_AGENT = ['ecr-deploy', '1'];
/**
 * Shared client settings. Endpoints come from the SDK's standard configuration (AWS_ENDPOINT_URL_<SERVICE>,
 * profiles), credentials from its default chain. Retries are adaptive: throttling slows the client down
 * instead of failing the step.
 */
/** Agent options for every HTTP client of the action: Node 24 agents honour HTTPS_PROXY/NO_PROXY given `proxyEnv`. */
function agentOptions(env) {
    const proxied = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
    return { keepAlive: true, ...(proxied ? { proxyEnv: env } : {}) };
}
function clientConfig({ region, env }) {
    const options = agentOptions(env);
    return {
        region,
        retryMode: 'adaptive',
        maxAttempts: 5,
        customUserAgent: [[...USER_AGENT]],
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

/***/ 2518:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  preflightDeploy: () => (/* binding */ preflightDeploy),
  runDeploy: () => (/* binding */ runDeploy)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
// EXTERNAL MODULE: ./src/aws/clients.ts
var clients = __webpack_require__(201);
// EXTERNAL MODULE: ./src/contract.ts
var contract = __webpack_require__(3665);
;// CONCATENATED MODULE: ./src/report/deploy-report.ts


/** Pure: `results` always; the scalar outputs when there is exactly one target. */
function deployOutputs(results) {
    const outputs = { [contract/* Output */.k7.Results]: JSON.stringify(results) };
    const [only, ...more] = results;
    if (only && more.length === 0) {
        if (only.status !== 'dry-run')
            outputs[contract/* Output */.k7.RolloutStatus] = only.status;
        outputs[contract/* Output */.k7.RolledBack] = String(only.rolledBack);
        if (only.taskDefinitionArn)
            outputs[contract/* Output */.k7.TaskDefinitionArn] = only.taskDefinitionArn;
        if (only.previousTaskDefinitionArn)
            outputs[contract/* Output */.k7.PreviousTaskDefinitionArn] = only.previousTaskDefinitionArn;
        if (only.deploymentId)
            outputs[contract/* Output */.k7.DeploymentId] = only.deploymentId;
        if (only.revision)
            outputs[contract/* Output */.k7.Revision] = only.revision;
        if (only.previousRevision)
            outputs[contract/* Output */.k7.PreviousRevision] = only.previousRevision;
    }
    return outputs;
}
const ICON = {
    completed: '✅ completed',
    unchanged: '⏸️ unchanged',
    started: '▶️ started (not waited for)',
    'dry-run': '📝 dry run',
    failed: '❌ failed',
    'timed-out': '⌛ timed out',
    'rolled-back': '↩️ rolled back',
};
/** Pure: one summary row per target, and the reasons of the ones that did not complete. */
function deploySummary(results) {
    const revision = (r) => r.taskDefinitionArn?.split('/').at(-1) ?? r.revision ?? '';
    const rows = results.map((r) => `| ${r.consoleUrl ? `[${r.name}](${r.consoleUrl})` : r.name} | ${revision(r)} | ${r.deploymentId ?? ''} | ${ICON[r.status]} | ${r.durationSeconds} s |`);
    const reasons = results.filter((r) => r.reason).map((r) => `- **${r.name}**: ${r.reason}`);
    return [
        '### Deploy',
        '',
        '| target | revision | deployment | result | duration |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
        ...reasons,
        '',
    ].join('\n');
}
async function writeDeployReport(results) {
    for (const [name, value] of Object.entries(deployOutputs(results)))
        core/* setOutput */.uH(name, value);
    try {
        await core/* summary */.z.addRaw(deploySummary(results)).write();
    }
    catch (error) {
        core/* warning */.$e(`Could not write the job summary: ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/deploy/clock.ts
const systemClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

;// CONCATENATED MODULE: ./src/deploy/types.ts
/** A rollout that ended in anything but success fails the step, after every target has been reported. */
class RolloutFailedError extends Error {
    results;
    constructor(message, results) {
        super(message);
        this.name = 'RolloutFailedError';
        this.results = results;
    }
}

;// CONCATENATED MODULE: ./src/deploy/run.ts





function runUrl(env) {
    return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}
const GOOD = new Set(['completed', 'unchanged', 'started', 'dry-run']);
/** Checks the target before the image is built, so a wrong service or file fails in seconds. */
async function preflightDeploy(inputs, env, repositoryUri) {
    const target = inputs.target;
    if (!target)
        return;
    if (target.kind === 'eks') {
        const [{ preflightEks }, { EKSClient }] = await Promise.all([
            Promise.all(/* import() */[__webpack_require__.e(524), __webpack_require__.e(695), __webpack_require__.e(992)]).then(__webpack_require__.bind(__webpack_require__, 6992)),
            __webpack_require__.e(/* import() */ 524).then(__webpack_require__.t.bind(__webpack_require__, 4524, 19)),
        ]);
        await preflightEks({
            repositoryUri,
            eks: new EKSClient((0,clients/* clientConfig */.yO)({ region: inputs.region, env })),
            target,
            deploy: inputs.deploy,
            region: inputs.region,
            env,
            clock: systemClock,
            runUrl: runUrl(env),
        });
        return;
    }
    const { preflightEcs } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(815), __webpack_require__.e(750)]).then(__webpack_require__.bind(__webpack_require__, 2750));
    await preflightEcs({
        repositoryUri,
        ecs: await (0,clients/* createEcsClient */.DJ)({ region: inputs.region, env }),
        target,
        deploy: inputs.deploy,
        region: inputs.region,
        clock: systemClock,
    });
}
/** Deploys the image to the chosen target, reports every result, then fails if any rollout did not complete. */
async function runDeploy(inputs, image, env) {
    const target = inputs.target;
    if (!target)
        return;
    const imageRef = `${image.repositoryUri}@${image.digest}`;
    let results;
    if (target.kind === 'ecs') {
        core/* startGroup */.Oh(`Deploy to ECS: ${target.services.join(', ')} in ${target.cluster}`);
        try {
            const { deployToEcs } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(815), __webpack_require__.e(750)]).then(__webpack_require__.bind(__webpack_require__, 2750));
            results = await deployToEcs({
                ecs: await (0,clients/* createEcsClient */.DJ)({ region: inputs.region, env }),
                target,
                deploy: inputs.deploy,
                imageRef,
                repositoryUri: image.repositoryUri,
                region: inputs.region,
                clock: systemClock,
            });
        }
        finally {
            core/* endGroup */.N4();
        }
    }
    else {
        core/* startGroup */.Oh(`Deploy to EKS: ${target.deployments.join(', ')} in ${target.cluster}/${target.namespace}`);
        try {
            const [{ deployToEks }, { EKSClient }] = await Promise.all([
                Promise.all(/* import() */[__webpack_require__.e(524), __webpack_require__.e(695), __webpack_require__.e(992)]).then(__webpack_require__.bind(__webpack_require__, 6992)),
                __webpack_require__.e(/* import() */ 524).then(__webpack_require__.t.bind(__webpack_require__, 4524, 19)),
            ]);
            results = await deployToEks({
                eks: new EKSClient((0,clients/* clientConfig */.yO)({ region: inputs.region, env })),
                target,
                deploy: inputs.deploy,
                imageRef,
                repositoryUri: image.repositoryUri,
                region: inputs.region,
                env,
                clock: systemClock,
                runUrl: runUrl(env),
            });
        }
        finally {
            core/* endGroup */.N4();
        }
    }
    await writeDeployReport(results);
    const bad = results.filter((r) => !GOOD.has(r.status));
    if (bad.length > 0) {
        throw new RolloutFailedError(bad.map((r) => `${r.name}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`).join('\n'), results);
    }
}


/***/ })

};
