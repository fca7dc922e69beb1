export const id = 918;
export const ids = [918];
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


/***/ })

};
