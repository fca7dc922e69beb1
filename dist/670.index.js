export const id = 670;
export const ids = [670,918];
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

/***/ 2670:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  setUpStepCredentials: () => (/* binding */ setUpStepCredentials)
});

// EXTERNAL MODULE: ./actions-core.ts
var actions_core = __webpack_require__(3995);
// EXTERNAL MODULE: ./deploy/clock.ts
var deploy_clock = __webpack_require__(2748);
// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./errors.ts
var errors = __webpack_require__(1169);
// EXTERNAL MODULE: ./aws/clients.ts
var clients = __webpack_require__(5918);
// EXTERNAL MODULE: ./aws/errors.ts
var aws_errors = __webpack_require__(3343);
;// CONCATENATED MODULE: ./aws/assume-role.ts
// role-to-assume: the job's GitHub OIDC token (audience sts.amazonaws.com) traded for a role session with
// AssumeRoleWithWebIdentity. Every secret is masked the moment it exists; none is logged or passed on argv.





const OIDC_AUDIENCE = 'sts.amazonaws.com';
const ISSUER_HOST = 'token.actions.githubusercontent.com';
/** Pure: the claims of a JWT's payload, unverified (for messages only: STS verifies the token). */
function tokenClaims(token) {
    try {
        const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
        if (typeof payload !== 'object' || payload === null)
            return {};
        const { sub, aud } = payload;
        return {
            ...(typeof sub === 'string' ? { sub } : {}),
            ...(typeof aud === 'string' ? { aud } : {}),
        };
    }
    catch {
        return {};
    }
}
/**
 * Pure: STS's refusal of the token, said with the trust condition it points at. AWS says no more than
 * "Not authorized" when the trust policy does not match, so the token's own subject and audience are named.
 */
function describeRefusal(role, error, claims) {
    const sts = `${error.name ?? 'Error'}: ${error.message ?? ''}`;
    const sub = claims.sub ?? '(unknown)';
    const aud = claims.aud ?? OIDC_AUDIENCE;
    if (/audience/i.test(error.message ?? '')) {
        return `STS refused this job's OIDC token for ${role} (${sts}). The token's audience is "${aud}": add it to the client IDs (audiences) of the account's IAM OIDC provider for ${ISSUER_HOST}, and to the role's trust condition "${ISSUER_HOST}:aud".`;
    }
    if (error.name === 'AccessDenied' || error.name === 'AccessDeniedException') {
        return `STS refused to let this job assume ${role} (${sts}). The role's trust policy must allow this token: its condition "${ISSUER_HOST}:sub" must match "${sub}" (e.g. StringLike "repo:<owner>/<repo>:*") and "${ISSUER_HOST}:aud" must be "${aud}", with the account's OIDC provider for ${ISSUER_HOST} as the principal.`;
    }
    if (/^(ExpiredToken|ExpiredTokenException)$/.test(error.name ?? '')) {
        return `STS found this job's OIDC token expired (${sts}). Check the runner's clock; the step asks for a new token each time.`;
    }
    if (/^(InvalidIdentityToken|InvalidIdentityTokenException|IDPRejectedClaim|IDPRejectedClaimException)$/.test(error.name ?? '')) {
        return `STS could not accept this job's OIDC token for ${role} (${sts}). Check that the account has an IAM OIDC provider for https://${ISSUER_HOST} and that the role trusts it.`;
    }
    if (error.name === 'ValidationError') {
        return `STS refused the request for ${role} (${sts}). Check role-duration against the role's maximum session duration, and role-session-name.`;
    }
    return `AssumeRoleWithWebIdentity for ${role} failed (${sts}).`;
}
const REFUSALS = new Set([
    'AccessDenied',
    'AccessDeniedException',
    'InvalidIdentityToken',
    'InvalidIdentityTokenException',
    'IDPRejectedClaim',
    'IDPRejectedClaimException',
    'ExpiredToken',
    'ExpiredTokenException',
    'ValidationError',
    'MalformedPolicyDocument',
    'MalformedPolicyDocumentException',
]);
/** One AssumeRoleWithWebIdentity with a fresh OIDC token. A refusal is an InputError naming role-to-assume. */
async function assumeRoleWithOidc(options) {
    const { role, region, env } = options;
    const token = await (options.idToken ?? ((aud) => actions_core/* getIDToken */.V9(aud)))(OIDC_AUDIENCE);
    actions_core/* setSecret */.Pq(token);
    const [{ STSClient, AssumeRoleWithWebIdentityCommand }, { NodeHttpHandler }, https, http] = await Promise.all([
        __webpack_require__.e(/* import() */ 933).then(__webpack_require__.t.bind(__webpack_require__, 6314, 19)),
        Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 5697, 19)),
        Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)),
        Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23)),
    ]);
    const agents = (0,clients.agentOptions)(env);
    // No credentials: the call is unsigned (the token is the credential), and the step's own provider is
    // what this call feeds.
    const sts = new STSClient({
        region,
        maxAttempts: 5,
        customUserAgent: [['ecr-deploy', '1']],
        requestHandler: new NodeHttpHandler({
            httpsAgent: new https.Agent(agents),
            httpAgent: new http.Agent(agents),
            connectionTimeout: 10_000,
            requestTimeout: 60_000,
        }),
    });
    try {
        const answer = await sts.send(new AssumeRoleWithWebIdentityCommand({
            RoleArn: role.roleArn,
            RoleSessionName: role.sessionName,
            WebIdentityToken: token,
            DurationSeconds: role.durationSeconds,
        }));
        const c = answer.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
            throw new Error(`AssumeRoleWithWebIdentity for ${role.roleArn} returned no credentials.`);
        }
        actions_core/* setSecret */.Pq(c.AccessKeyId);
        actions_core/* setSecret */.Pq(c.SecretAccessKey);
        actions_core/* setSecret */.Pq(c.SessionToken);
        return {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            ...(c.Expiration ? { expiration: c.Expiration } : {}),
        };
    }
    catch (error) {
        const name = (0,aws_errors/* errorName */.Is)(error);
        if (name && REFUSALS.has(name)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.RoleToAssume, describeRefusal(role.roleArn, { name, message: error.message }, tokenClaims(token)));
        }
        throw error;
    }
    finally {
        sts.destroy();
    }
}

// EXTERNAL MODULE: ./deploy/duration.ts
var duration = __webpack_require__(5708);
;// CONCATENATED MODULE: ./aws/credentials.ts

/** The SDK itself asks again when less than this is left; a long session is renewed then too. */
const MAX_MARGIN_MS = 5 * 60_000;
/** After a failed renewal, the next try waits this long (or less, as the end of the session nears). */
const RETRY_MS = 5_000;
/**
 * Pure: when a session obtained at `obtainedAt` and ending at `expiresAt` should be renewed: 5 minutes before
 * its end, or a quarter of its length before it for sessions shorter than 20 minutes (a 60 s session: 15 s).
 */
function renewAt(obtainedAt, expiresAt) {
    const lifetime = Math.max(0, expiresAt - obtainedAt);
    return expiresAt - Math.min(MAX_MARGIN_MS, lifetime / 4);
}
/**
 * A provider that returns the current session until it is due for renewal, then obtains the next one (one
 * renewal at a time, whichever client asks). A renewal that fails while the session still holds is retried
 * a few seconds later, the current session serving meanwhile; once it has ended, the failure is the caller's.
 */
function refreshingProvider(options) {
    const { clock, log } = options;
    let current;
    let inFlight;
    let nextTry = 0;
    let count = 0;
    const renew = () => {
        inFlight ??= (async () => {
            try {
                const obtainedAt = clock.now();
                const credentials = await options.obtain();
                const first = current === undefined;
                current = { credentials, obtainedAt };
                count += 1;
                if (!first) {
                    log.info(`Renewed the AWS session of ${options.describe}${credentials.expiration ? `; it lasts until ${credentials.expiration.toISOString()}` : ''}.`);
                }
                return credentials;
            }
            finally {
                inFlight = undefined;
            }
        })();
        return inFlight;
    };
    const provider = async () => {
        const now = clock.now();
        if (!current)
            return renew();
        const expiresAt = current.credentials.expiration?.getTime();
        if (expiresAt === undefined || now < renewAt(current.obtainedAt, expiresAt))
            return current.credentials;
        if (now >= expiresAt)
            return renew();
        if (now < nextTry && !inFlight)
            return current.credentials;
        const holding = current.credentials;
        try {
            return await renew();
        }
        catch (error) {
            const left = expiresAt - clock.now();
            if (left <= 0)
                throw error;
            nextTry = clock.now() + Math.min(RETRY_MS, left / 2);
            log.warning(`Could not renew the AWS session of ${options.describe} (${error instanceof Error ? error.message : String(error)}); the current one holds for ${(0,duration/* formatDuration */.a)(left)}, trying again.`);
            return holding;
        }
    };
    return {
        provider,
        expiration: () => current?.credentials.expiration,
        sessions: () => count,
    };
}
/** Pure: the expiry the environment states for ambient credentials (aws-actions/configure-aws-credentials sets it). */
function ambientExpiration(env) {
    const text = env.AWS_CREDENTIAL_EXPIRATION ?? env.AWS_SESSION_EXPIRATION;
    if (!text)
        return undefined;
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? undefined : d;
}
const minutesUp = (ms) => Math.max(1, Math.ceil(ms / 60_000));
/** STS's shortest session is 15 minutes. */
const sessionMinutes = (minutes) => Math.max(15, minutes);
/**
 * Pure: the warning for ambient credentials that end before the wait can: undefined when they outlast it or
 * their end is unknown. `deadline` is the earliest the wait may end (now + timeout).
 */
function shortCredentialsWarning(options) {
    const { expiration, now, deadline } = options;
    if (!expiration || expiration.getTime() >= deadline)
        return undefined;
    const left = expiration.getTime() - now;
    const session = sessionMinutes(minutesUp(deadline - options.stepStartedAt));
    return (`The AWS credentials expire at ${expiration.toISOString()} (${left > 0 ? `in ${(0,duration/* formatDuration */.a)(left)}` : 'already'}), before the wait can end (timeout ${(0,duration/* formatDuration */.a)(options.timeoutMs)}, until ${new Date(deadline).toISOString()} at the latest). ` +
        `A rollout still running then ends as unverified. Set role-to-assume (this step renews its own sessions), or get a session of at least ${session} minutes (role-duration-seconds: ${session * 60} with aws-actions/configure-aws-credentials).`);
}
const EXPIRED = /ExpiredToken(Exception)?\b|security token included in the request is expired/;
/** Pure: whether an unverified result's reason says the credentials expired. */
function expiredCredentialsReason(reason) {
    return reason !== undefined && EXPIRED.test(reason);
}
/**
 * Pure: what an unverified wait whose credentials expired needed: from the step's start to the end of the
 * wait's budget. `waitStartedAt` = when the deploy began (its result's duration before `now`).
 */
function expiredCredentialsAdvice(options) {
    const needed = minutesUp(options.waitStartedAt + options.timeoutMs - options.stepStartedAt);
    const session = sessionMinutes(needed);
    const when = options.expiration ? ` at ${options.expiration.toISOString()}` : '';
    if (options.assumedRole) {
        return `the session of ${options.assumedRole} ended${when} and could not be renewed; check that the role still trusts this job's token`;
    }
    return (`the AWS credentials expired${when}, before the wait could end: this step needed them for ${needed} minutes (its start to the end of the ${(0,duration/* formatDuration */.a)(options.timeoutMs)} wait). ` +
        `Set role-to-assume (this step renews its own sessions), or get a session of at least ${session} minutes (role-duration-seconds: ${session * 60} with aws-actions/configure-aws-credentials)`);
}

;// CONCATENATED MODULE: ./aws/step-credentials.ts
// The step's AWS credentials, set up once before anything else talks to AWS: with role-to-assume, a role
// session from the job's OIDC token, renewed for as long as the step runs and shared by every client; without
// it, the job's own credentials, with a warning when they end before the wait can.





/**
 * With role-to-assume, the first session is obtained here, so that a role that does not trust this job
 * fails the step before anything changes.
 */
async function setUpStepCredentials(options) {
    const { inputs, env } = options;
    const clock = options.clock ?? deploy_clock/* systemClock */.m;
    const stepStartedAt = clock.now();
    const role = inputs.assumeRole;
    let session;
    if (role) {
        session = refreshingProvider({
            obtain: () => assumeRoleWithOidc({
                role,
                region: inputs.region,
                env,
                ...(options.idToken ? { idToken: options.idToken } : {}),
            }),
            clock,
            log: { info: (m) => actions_core/* info */.pq(m), warning: (m) => actions_core/* warning */.$e(m) },
            describe: role.roleArn,
        });
        await session.provider();
        (0,clients.useStepCredentials)(session.provider);
        const until = session.expiration();
        actions_core/* info */.pq(`Assumed ${role.roleArn} as ${role.sessionName} with the job's OIDC token${until ? `; the session lasts until ${until.toISOString()} and is renewed before it ends` : ''}.`);
    }
    else if (inputs.target && inputs.deploy.wait && !inputs.deploy.dryRun) {
        const warning = shortCredentialsWarning({
            expiration: ambientExpiration(env),
            now: clock.now(),
            stepStartedAt,
            deadline: clock.now() + inputs.deploy.timeoutMs,
            timeoutMs: inputs.deploy.timeoutMs,
        });
        if (warning)
            actions_core/* warning */.$e(warning);
    }
    return {
        explain: (results) => results.map((r) => {
            if (r.status !== 'unverified' || !expiredCredentialsReason(r.reason))
                return r;
            const advice = expiredCredentialsAdvice({
                expiration: session ? session.expiration() : ambientExpiration(env),
                stepStartedAt,
                waitStartedAt: clock.now() - r.durationSeconds * 1000,
                timeoutMs: inputs.deploy.timeoutMs,
                assumedRole: role?.roleArn,
            });
            return { ...r, reason: `${r.reason ?? ''}; ${advice}` };
        }),
    };
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


/***/ })

};
