export const id = 321;
export const ids = [321];
export const modules = {

/***/ 3343:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Is: () => (/* binding */ errorName),
/* harmony export */   Pp: () => (/* binding */ describeAwsError)
/* harmony export */ });
/* unused harmony export AwsCallError */
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
    if (name === 'CredentialsProviderError') {
        text =
            `${operation} for ${options.subject}: no AWS credentials were found (${message}). ` +
                'Run aws-actions/configure-aws-credentials (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) in a step before this one.';
    }
    else if (name && CREDENTIAL_ERRORS.has(name)) {
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

/***/ 1001:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JF: () => (/* binding */ describeFiring),
/* harmony export */   Q$: () => (/* binding */ firingAlarms),
/* harmony export */   Wq: () => (/* binding */ bake),
/* harmony export */   cJ: () => (/* binding */ parseAlarmWatch),
/* harmony export */   hh: () => (/* binding */ sdkAlarmReader)
/* harmony export */ });
/* unused harmony exports MAX_BAKE_MS, unknownAlarms */
/* harmony import */ var _contract_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4172);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1169);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3343);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5708);
// CloudWatch alarms around a rollout: the `alarms` and `bake-time` inputs (pure), which alarms fire (pure),
// and the bake — after the rollout completed, the alarms are watched for `bake-time` and one going to ALARM
// fails the rollout (which the driver then rolls back). Both targets use it.




/** The longest bake: a day (a job still has to finish). */
const MAX_BAKE_MS = 24 * 3_600_000;
/** Pure: the `alarms` lines and the `bake-time` duration; undefined when no alarm is named. */
function parseAlarmWatch(alarms, bakeTime, rollback) {
    const names = alarms
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
    for (const name of names) {
        if (name.length > 255 || /[\p{Cc}]/u.test(name)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Alarms, `"${name}" is not a CloudWatch alarm name (1-255 printable characters).`);
        }
    }
    if (new Set(names).size !== names.length)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Alarms, 'names an alarm twice.');
    let bakeTimeMs = 0;
    if (bakeTime.trim() !== '') {
        const ms = (0,_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .parseDurationMs */ .y)(bakeTime);
        if (ms === undefined) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.BakeTime, `invalid duration "${bakeTime}". Use number + unit: 30s, 5m, 1h.`);
        }
        if (ms > MAX_BAKE_MS)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.BakeTime, `"${bakeTime}" is longer than 24h. Give a shorter bake.`);
        bakeTimeMs = ms;
    }
    if (names.length === 0) {
        if (bakeTimeMs > 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.BakeTime, 'needs alarms to watch. Name them in the alarms input (one per line).');
        }
        return undefined;
    }
    return { names, bakeTimeMs, rollback };
}
/** Pure: the watched alarms in ALARM, in the order named. */
function firingAlarms(watched, statuses) {
    return watched.flatMap((name) => statuses.filter((s) => s.name === name && s.state === 'ALARM'));
}
/** Pure: watched alarm names CloudWatch does not know (a typo would otherwise never fire). */
function unknownAlarms(watched, statuses) {
    return watched.filter((name) => !statuses.some((s) => s.name === name));
}
function describeFiring(firing) {
    return firing.map((a) => `alarm ${a.name} is in ALARM (${a.reason})`).join('; ');
}
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
/**
 * After the rollout completed: reads the alarms every interval for the bake time. One in ALARM → `failed`
 * naming it and its reason (the driver rolls back). The alarms cannot be read (permission missing) → a
 * warning naming `cloudwatch:DescribeAlarms`, and the rollout stays `completed` (it did complete; nothing
 * says otherwise). Other read errors are retried at the next interval.
 */
async function bake(options) {
    const { reader, watch, clock, log, name } = options;
    const interval = options.intervalMs ?? 10_000;
    const end = clock.now() + watch.bakeTimeMs;
    log.info(`${name}: baking for ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a)(watch.bakeTimeMs)}, watching alarm(s) ${watch.names.join(', ')}.`);
    let warnedUnknown = false;
    let lastError;
    for (;;) {
        try {
            const statuses = await reader.describe(watch.names);
            lastError = undefined;
            const unknown = unknownAlarms(watch.names, statuses);
            if (unknown.length > 0 && !warnedUnknown) {
                warnedUnknown = true;
                log.warning(`${name}: CloudWatch has no alarm named ${unknown.join(', ')}; it cannot fire. Check the alarms input.`);
            }
            const firing = firingAlarms(watch.names, statuses);
            if (firing.length > 0) {
                return {
                    kind: 'failed',
                    reason: `during the ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a)(watch.bakeTimeMs)} bake, ${describeFiring(firing)}`,
                };
            }
        }
        catch (error) {
            if (DENIED.has((0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorName */ .Is)(error) ?? '')) {
                log.warning(`${name}: cannot watch the alarms during the bake: permission cloudwatch:DescribeAlarms is missing; the rollout completed and stays completed.`);
                return { kind: 'completed' };
            }
            const text = error instanceof Error ? error.message : String(error);
            if (lastError === undefined)
                log.info(`${name}: could not read the alarms (${text}); asking again.`);
            lastError = text;
        }
        const left = end - clock.now();
        if (left <= 0)
            break;
        await clock.sleep(Math.min(interval, left));
    }
    if (lastError !== undefined) {
        log.warning(`${name}: the alarms could not be read at the end of the bake (${lastError}); the rollout stays completed.`);
    }
    else {
        log.info(`${name}: bake of ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a)(watch.bakeTimeMs)} passed; no alarm fired.`);
    }
    return { kind: 'completed' };
}
/** CloudWatch through the SDK, one client (the deploy's region), loaded on first use. */
function sdkAlarmReader(region, env) {
    let client;
    return {
        async describe(names) {
            const { createCloudWatchClient } = await Promise.all(/* import() */[__webpack_require__.e(455), __webpack_require__.e(543), __webpack_require__.e(918)]).then(__webpack_require__.bind(__webpack_require__, 5918));
            client ??= createCloudWatchClient({ region, env });
            const { DescribeAlarmsCommand } = await Promise.all(/* import() */[__webpack_require__.e(455), __webpack_require__.e(575)]).then(__webpack_require__.t.bind(__webpack_require__, 7575, 19));
            const out = await (await client).send(new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
            return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => ({
                name: a.AlarmName ?? '',
                state: a.StateValue ?? '',
                reason: a.StateReason ?? '',
            }));
        },
    };
}


/***/ }),

/***/ 5708:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ formatDuration),
/* harmony export */   y: () => (/* binding */ parseDurationMs)
/* harmony export */ });
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** `30s`, `5m`, `1h30m`, `500ms` → milliseconds; undefined when it is not a duration. */
function parseDurationMs(value) {
    const text = value.trim();
    if (!/^(\d+(ms|s|m|h))+$/.test(text))
        return undefined;
    let total = 0;
    for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h)/g))
        total += Number(n) * (UNITS[unit ?? 's'] ?? 0);
    return total;
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    return `${m} min ${Math.round(s - m * 60)} s`;
}


/***/ }),

/***/ 7931:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ SUCCESSFUL),
/* harmony export */   Z: () => (/* binding */ RolloutFailedError)
/* harmony export */ });
/** The statuses that let the step succeed. */
const SUCCESSFUL = new Set([
    'completed',
    'unchanged',
    'started',
    'dry-run',
]);
/** A rollout that ended in anything but success fails the step, after every target has been reported. */
class RolloutFailedError extends Error {
    results;
    constructor(message, results) {
        super(message);
        this.name = 'RolloutFailedError';
        this.results = results;
    }
}


/***/ }),

/***/ 3678:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Az: () => (/* binding */ parseLogDriver),
/* harmony export */   JX: () => (/* binding */ logConfigurationInput),
/* harmony export */   RM: () => (/* binding */ parseCommand),
/* harmony export */   Ut: () => (/* binding */ parseLogOptions),
/* harmony export */   dC: () => (/* binding */ parseSecrets),
/* harmony export */   vC: () => (/* binding */ parseDockerLabels),
/* harmony export */   yz: () => (/* binding */ applyContainerRender)
/* harmony export */ });
/* unused harmony exports NO_CONTAINER_RENDER, LOG_DRIVERS, logConfigurationProblems */
/* harmony import */ var _contract_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4172);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1169);
// The render inputs beyond image and environment — secrets, docker labels, log configuration, command —
// parsed from the step's inputs and applied to the containers that get the new image (pure).


const NO_CONTAINER_RENDER = {
    secrets: [],
    dockerLabels: [],
    logConfiguration: undefined,
    command: undefined,
};
/** The log drivers RegisterTaskDefinition takes (API reference, LogConfiguration.logDriver). */
const LOG_DRIVERS = [
    'json-file',
    'syslog',
    'journald',
    'gelf',
    'fluentd',
    'awslogs',
    'splunk',
    'awsfirelens',
];
/** The awslogs driver's options (developer guide, "Using the awslogs log driver"). */
const AWSLOGS_OPTIONS = [
    'awslogs-group',
    'awslogs-region',
    'awslogs-stream-prefix',
    'awslogs-create-group',
    'awslogs-datetime-format',
    'awslogs-multiline-pattern',
    'awslogs-endpoint',
    'mode',
    'max-buffer-size',
];
// Secrets Manager: the secret's ARN, optionally followed by `:json-key:version-stage:version-id`.
const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(?::[^:\s]*:[^:\s]*:[^:\s]*)?$/;
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Several problems of one input become one error naming it, each problem on its own line. */
function fail(name, problems) {
    if (problems.length === 0)
        return;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(name, problems.length === 1 ? (problems[0] ?? '') : `\n- ${problems.join('\n- ')}`);
}
/** `KEY=VALUE` lines; blank lines skipped; a repeated key is a problem (which one would win is a guess). */
function keyValueLines(value, example) {
    const pairs = [];
    const problems = [];
    const seen = new Set();
    value
        .split('\n')
        .map((l) => l.trim())
        .forEach((line, i) => {
        if (line === '')
            return;
        const eq = line.indexOf('=');
        const key = eq > 0 ? line.slice(0, eq).trim() : '';
        if (key === '') {
            problems.push(`line ${i + 1} ("${line}") is not KEY=VALUE. Write one per line, e.g. ${example}.`);
            return;
        }
        if (seen.has(key)) {
            problems.push(`${key} is given twice; give each once.`);
            return;
        }
        seen.add(key);
        pairs.push({ name: key, value: line.slice(eq + 1).trim() });
    });
    return { pairs, problems };
}
/**
 * Pure: the `secrets` input, `NAME=arn` per line (a Secrets Manager secret or an SSM parameter ARN). A name
 * given twice, or also given in `environment`, is an error: a variable is either plain or secret.
 */
function parseSecrets(value, environment = []) {
    const { pairs, problems } = keyValueLines(value, 'DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db');
    const plain = new Set(environment.map((e) => e.name));
    for (const { name, value: arn } of pairs) {
        if (!VARIABLE_NAME.test(name)) {
            problems.push(`"${name}" is not a variable name (letters, digits and _, not starting with a digit).`);
        }
        if (!SECRETS_MANAGER_ARN.test(arn) && !SSM_PARAMETER_ARN.test(arn)) {
            problems.push(`${name}: "${arn}" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:stage:version]) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>).`);
        }
        if (plain.has(name)) {
            problems.push(`${name} is in both secrets and environment; a variable is either plain or secret. Remove it from one of them.`);
        }
    }
    fail(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Secrets, problems);
    return pairs.map(({ name, value: valueFrom }) => ({ name, valueFrom }));
}
/** Pure: the `docker-labels` input, `key=value` per line. */
function parseDockerLabels(value) {
    const { pairs, problems } = keyValueLines(value, 'com.example.team=payments');
    for (const { name } of pairs) {
        if (/[\s\p{C}]/u.test(name))
            problems.push(`the label "${name}" contains white space or control characters.`);
    }
    fail(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.DockerLabels, problems);
    return pairs;
}
/** Pure: the `log-configuration-log-driver` input (empty: the container's own driver stays). */
function parseLogDriver(value) {
    const logDriver = value.trim();
    if (logDriver === '')
        return undefined;
    if (!LOG_DRIVERS.includes(logDriver)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.LogConfigurationLogDriver, `"${logDriver}" is not a log driver ECS knows. Use one of ${LOG_DRIVERS.join(', ')}.`);
    }
    return logDriver;
}
/** Pure: the `log-configuration-options` input, `key=value` per line. */
function parseLogOptions(value) {
    const { pairs, problems } = keyValueLines(value, 'awslogs-group=/ecs/web');
    fail(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.LogConfigurationOptions, problems);
    return pairs;
}
/** Pure: the two log inputs together; nothing given → undefined (the container's log configuration stays). */
function logConfigurationInput(logDriver, options) {
    return logDriver === undefined && options.length === 0 ? undefined : { logDriver, options };
}
/**
 * Pure: the `command` input. A JSON array of strings (`["node", "server.js"]`), or else a line split like a
 * shell splits words — white space separates, '…' and "…" quote, \ escapes — with no expansion of any kind.
 */
function parseCommand(value) {
    const text = value.trim();
    if (text === '')
        return undefined;
    if (text.startsWith('[')) {
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Command, 'starts with [ but is not a JSON array of strings, e.g. ["node", "server.js"].');
        }
        if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Command, 'must be a non-empty JSON array of strings, e.g. ["node", "server.js"].');
        }
        return parsed;
    }
    const words = [];
    let word;
    let quote;
    const chars = [...text];
    for (let i = 0; i < chars.length; i++) {
        const ch = chars[i] ?? '';
        const next = chars[i + 1];
        if (quote === "'") {
            if (ch === "'")
                quote = undefined;
            else
                word += ch;
        }
        else if (ch === '\\' && next !== undefined && (quote === undefined || '"\\$`'.includes(next))) {
            word = (word ?? '') + next;
            i++;
        }
        else if (quote === '"') {
            if (ch === '"')
                quote = undefined;
            else
                word += ch;
        }
        else if (ch === '"' || ch === "'") {
            quote = ch;
            word ??= '';
        }
        else if (/\s/.test(ch)) {
            if (word !== undefined)
                words.push(word);
            word = undefined;
        }
        else {
            word = (word ?? '') + ch;
        }
    }
    if (quote) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Command, `has an unclosed ${quote} quote. Close it, or give a JSON array of strings.`);
    }
    if (word !== undefined)
        words.push(word);
    return words;
}
function recordOf(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
}
/** Pure: problems of a log configuration as it will be registered (awslogs: its options, its required ones). */
function logConfigurationProblems(logConfiguration) {
    if (logConfiguration.logDriver !== 'awslogs')
        return [];
    const { options } = logConfiguration;
    const problems = [];
    const unknown = Object.keys(options).filter((k) => !AWSLOGS_OPTIONS.includes(k));
    if (unknown.length > 0) {
        problems.push(`awslogs does not take ${unknown.join(', ')} (it takes ${AWSLOGS_OPTIONS.join(', ')}).`);
    }
    for (const required of ['awslogs-group', 'awslogs-region']) {
        if (!options[required])
            problems.push(`awslogs needs ${required}.`);
    }
    if (options.mode !== undefined && !['blocking', 'non-blocking'].includes(options.mode)) {
        problems.push(`awslogs mode "${options.mode}" is neither blocking nor non-blocking.`);
    }
    const create = options['awslogs-create-group'];
    if (create !== undefined && create !== 'true' && create !== 'false') {
        problems.push(`awslogs-create-group "${create}" is neither true nor false.`);
    }
    if (options['awslogs-datetime-format'] && options['awslogs-multiline-pattern']) {
        problems.push('awslogs takes awslogs-datetime-format or awslogs-multiline-pattern, not both.');
    }
    return problems;
}
/**
 * Pure: a rendered container with the render inputs applied, and the problems found, each with the input it
 * belongs to. Merges are explicit: a secret replaces the container's secret of the same name; labels merge
 * key by key; the log driver replaces the container's (its options then start empty unless the driver is the
 * same), the options merge into it; the command replaces the container's.
 */
function applyContainerRender(container, render, { owner, environment }) {
    const out = { ...container };
    const problems = [];
    const where = `container ${container.name ?? '?'} of ${owner}`;
    if (render.secrets.length > 0) {
        const secrets = Array.isArray(container.secrets) ? [...container.secrets] : [];
        for (const s of render.secrets) {
            const i = secrets.findIndex((e) => e.name === s.name);
            if (i >= 0)
                secrets[i] = { name: s.name, valueFrom: s.valueFrom };
            else
                secrets.push({ name: s.name, valueFrom: s.valueFrom });
        }
        out.secrets = secrets;
    }
    // ECS refuses a name both in secrets and environment; say which input brought it.
    const plain = new Set((Array.isArray(out.environment) ? out.environment : []).map((e) => e.name));
    for (const s of (Array.isArray(out.secrets) ? out.secrets : []).filter((x) => plain.has(x.name))) {
        const fromSecrets = render.secrets.some((r) => r.name === s.name);
        // A clash the file alone holds is ECS's to refuse; ours are the clashes an input brought.
        if (!fromSecrets && !environment.some((e) => e.name === s.name))
            continue;
        problems.push({
            input: fromSecrets ? _contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Secrets : _contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Environment,
            message: `${s.name} would be both a secret and a plain environment variable in ${where}; ECS refuses that. Remove it from ${fromSecrets ? 'the task definition’s environment (or from secrets)' : 'environment (it is a secret of the container)'}.`,
        });
    }
    if (render.dockerLabels.length > 0) {
        const labels = { ...(recordOf(container.dockerLabels) ?? {}) };
        for (const { name, value } of render.dockerLabels)
            labels[name] = value;
        out.dockerLabels = labels;
    }
    const log = render.logConfiguration;
    if (log) {
        const existing = recordOf(container.logConfiguration);
        const existingDriver = typeof existing?.logDriver === 'string' ? existing.logDriver : undefined;
        const logDriver = log.logDriver ?? existingDriver;
        if (logDriver === undefined) {
            problems.push({
                input: _contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.LogConfigurationOptions,
                message: `${where} has no log configuration to add options to. Set log-configuration-log-driver as well.`,
            });
        }
        else {
            const keep = logDriver === existingDriver ? (recordOf(existing?.options) ?? {}) : {};
            const options = {};
            for (const [k, v] of Object.entries(keep))
                options[k] = String(v);
            for (const { name, value } of log.options)
                options[name] = value;
            out.logConfiguration = {
                ...(logDriver === existingDriver ? existing : {}),
                logDriver,
                options,
            };
            for (const message of logConfigurationProblems({ logDriver, options })) {
                problems.push({ input: _contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.LogConfigurationOptions, message: `${where}: ${message}` });
            }
        }
    }
    if (render.command)
        out.command = [...render.command];
    return { container: out, problems };
}


/***/ }),

/***/ 5643:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ imageRepository),
/* harmony export */   i: () => (/* binding */ imageReferenceProblem)
/* harmony export */ });
/** The repository part of an image reference (`host/path`, without tag or digest). */
function imageRepository(image) {
    const noDigest = image.split('@')[0] ?? image;
    const slash = noDigest.lastIndexOf('/');
    const colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.slice(0, colon) : noDigest;
}
// The reference grammar of the distribution project (what docker, containerd and the kubelet parse):
// [domain[:port]/]path[:tag][@digest], path components lowercase, the whole name at most 255 characters.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const NAME_MAX = 255;
/** Pure: why `image` is not a pullable image reference, or undefined when it is one. */
function imageReferenceProblem(image) {
    if (image === '')
        return 'is empty';
    if (/\s/.test(image))
        return 'contains white space';
    let rest = image;
    const at = rest.indexOf('@');
    if (at >= 0) {
        if (!DIGEST.test(rest.slice(at + 1)))
            return 'has a digest that is not algorithm:hex (e.g. sha256:…)';
        rest = rest.slice(0, at);
    }
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > slash) {
        if (!TAG.test(rest.slice(colon + 1)))
            return `has an invalid tag "${rest.slice(colon + 1)}"`;
        rest = rest.slice(0, colon);
    }
    if (rest.length > NAME_MAX)
        return `has a name longer than ${NAME_MAX} characters`;
    const parts = rest.split('/');
    const first = parts[0] ?? '';
    // As docker decides: the first component is a registry host when it has a dot, a port or is localhost.
    if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
        if (!DOMAIN.test(first))
            return `has an invalid registry host "${first}"`;
        parts.shift();
    }
    for (const part of parts) {
        if (!PATH_COMPONENT.test(part)) {
            return `has an invalid repository path component "${part}" (lowercase letters, digits, and . _ - between them)`;
        }
    }
    return undefined;
}


/***/ }),

/***/ 7356:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A1: () => (/* binding */ isTagReference),
/* harmony export */   XN: () => (/* binding */ parseTagReference),
/* harmony export */   _S: () => (/* binding */ tagReferenceMismatch),
/* harmony export */   hh: () => (/* binding */ parseTagRules),
/* harmony export */   rP: () => (/* binding */ DEFAULT_TAG_RULES)
/* harmony export */ });
/* harmony import */ var _contract_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4172);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1169);
// The `tag-rules` input: which automatic tags a run gets, in docker/metadata-action's `flavor` manner.
// One `key=value` per line (`latest=auto|true|false`, `prefix=…`, `suffix=…`, `onlatest=true|false`, and
// each tag family on or off); on one line, `onlatest` belongs to that line's prefix/suffix, as in
// metadata-action. Pure, and free of SDK imports: the inputs are read before anything else is loaded.


const DEFAULT_TAG_RULES = {
    latest: 'auto',
    patch: true,
    minor: true,
    major: true,
    gitTag: true,
    branch: true,
    pr: true,
    prefix: '',
    suffix: '',
    prefixLatest: false,
    suffixLatest: false,
};
const FAMILIES = {
    patch: 'patch',
    minor: 'minor',
    major: 'major',
    'git-tag': 'gitTag',
    branch: 'branch',
    pr: 'pr',
};
const KEYS = ['latest', 'prefix', 'suffix', 'onlatest', 'sha', ...Object.keys(FAMILIES)];
const HELP = 'Use one key=value per line: latest=auto|true|false; prefix=<text> and suffix=<text> (optionally ,onlatest=true); patch, minor, major, git-tag, branch, pr = true|false.';
// A prefix starts a tag; a suffix may start with `.` or `-`. Both are tag characters only.
const PREFIX = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const SUFFIX = /^[A-Za-z0-9_.-]{1,64}$/;
function bool(line, key, value) {
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": ${key} is true or false, not "${value}".`);
}
/**
 * Pure: the rules, and every bad line as its own error (the inputs reader reports them all at once).
 * An empty input gives the defaults.
 */
function parseTagRules(value) {
    const rules = { ...DEFAULT_TAG_RULES };
    const errors = [];
    const seen = new Set();
    const lines = value
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    for (const line of lines) {
        let affix;
        for (const field of line.split(',').map((f) => f.trim())) {
            try {
                const eq = field.indexOf('=');
                const key = (eq >= 0 ? field.slice(0, eq) : field).trim().toLowerCase();
                const v = eq >= 0 ? field.slice(eq + 1).trim() : '';
                if (!KEYS.includes(key))
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": unknown key "${key}". ${HELP}`);
                if (eq < 0)
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": ${key} has no value. ${HELP}`);
                if (key !== 'onlatest') {
                    if (seen.has(key))
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": ${key} is given twice.`);
                    seen.add(key);
                }
                if (key === 'latest') {
                    if (v !== 'auto' && v !== 'true' && v !== 'false') {
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": latest is auto, true or false, not "${v}".`);
                    }
                    rules.latest = v;
                }
                else if (key === 'prefix' || key === 'suffix') {
                    affix = key;
                    if (v !== '' && !(key === 'prefix' ? PREFIX : SUFFIX).test(v)) {
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": a ${key} is at most 64 letters, digits, _ . and -${key === 'prefix' ? ', and does not start with . or -' : ''} (it becomes part of each tag).`);
                    }
                    rules[key] = v;
                }
                else if (key === 'onlatest') {
                    if (!affix) {
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": onlatest belongs on the line of a prefix= or suffix= (e.g. prefix=web-,onlatest=true).`);
                    }
                    rules[affix === 'prefix' ? 'prefixLatest' : 'suffixLatest'] = bool(line, key, v);
                }
                else if (key === 'sha') {
                    if (!bool(line, key, v)) {
                        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TagRules, `"${line}": the sha-<7> tag cannot be turned off: the image is pushed under it, the other tags are added to that manifest, and skip-existing finds the commit's image by it. Remove this line.`);
                    }
                }
                else {
                    rules[FAMILIES[key]] = bool(line, key, v);
                }
            }
            catch (error) {
                if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz))
                    throw error;
                errors.push(error);
            }
        }
    }
    return { rules, errors };
}
/** Pure: whether a `tags` entry is a reference (it names a repository) rather than a bare tag. */
function isTagReference(entry) {
    return /[/:@]/.test(entry);
}
/** Pure: the parts of a reference entry of `tags`; refused when it has no tag or has a digest. */
function parseTagReference(entry) {
    if (entry.includes('@')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Tags, `"${entry}" has a digest: a digest names an image, it is not a tag to set. Give <repository>:<tag>, or deploy an existing image with image: ${entry}.`);
    }
    const slash = entry.lastIndexOf('/');
    const colon = entry.lastIndexOf(':');
    if (colon <= slash) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Tags, `"${entry}" names a repository but no tag. Give a tag (e.g. 1.2.3) or a full reference <registry>/<repository>:<tag>.`);
    }
    const name = entry.slice(0, colon);
    const tag = entry.slice(colon + 1);
    const parts = name.split('/');
    const first = parts[0] ?? '';
    // As docker decides: the first component is a registry host when it has a dot, a port or is localhost.
    const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
    return {
        given: entry,
        host: hasHost ? first : undefined,
        repository: (hasHost ? parts.slice(1) : parts).join('/'),
        tag,
    };
}
/**
 * Pure: the `tags` entries given as references that are not this step's repository — an input error naming
 * both, or undefined when all match. `host` (from ECR's answer) is undefined while it is not yet known: then
 * only the repository is compared.
 */
function tagReferenceMismatch(references, step) {
    const wrong = references.filter((r) => r.repository !== step.repository ||
        (step.host !== undefined && r.host !== undefined && r.host !== step.host));
    if (wrong.length === 0)
        return undefined;
    const ours = step.host ? `${step.host}/${step.repository}` : `repository ${step.repository}`;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Tags, `${wrong.map((r) => `"${r.given}"`).join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not name this step's image (${ours}). Give the tag alone, or a full reference to ${ours}; tags are only set on the image this step builds or deploys.`);
}


/***/ }),

/***/ 2321:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./actions-core.ts
var actions_core = __webpack_require__(3995);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./errors.ts
var errors = __webpack_require__(1169);
;// CONCATENATED MODULE: ./github-context.ts


/**
 * The webhook payload at GITHUB_EVENT_PATH (`{}` when there is none, as for a run by hand). A file that is not
 * a JSON object is the runner's fault, not an input's: an EnvironmentError naming the file.
 */
function readEventPayload(env) {
    const file = env.GITHUB_EVENT_PATH;
    if (!file || !(0,external_node_fs_.existsSync)(file))
        return {};
    let parsed;
    try {
        parsed = JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch (error) {
        throw new errors/* EnvironmentError */.eG(`GITHUB_EVENT_PATH ${file} is not valid JSON: ${error.message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new errors/* EnvironmentError */.eG(`GITHUB_EVENT_PATH ${file} holds no JSON object`);
    }
    return parsed;
}
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review']);
function record(value) {
    return typeof value === 'object' && value !== null ? value : undefined;
}
function pullRequestNumber(ref, payload) {
    const pr = record(payload.pull_request);
    const n = pr?.number ?? payload.number;
    if (typeof n === 'number' && Number.isInteger(n) && n > 0)
        return n;
    const m = /^refs\/pull\/(\d+)\//.exec(ref);
    return m ? Number(m[1]) : undefined;
}
/** Pure: the runner's environment and the parsed event payload → GithubContext. */
function readGithubContext(env, payload) {
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const ref = env.GITHUB_REF ?? '';
    let sha = env.GITHUB_SHA ?? '';
    let prNumber;
    if (PULL_REQUEST_EVENTS.has(eventName)) {
        prNumber = pullRequestNumber(ref, payload);
        // GITHUB_SHA is the merge commit (pull_request) or the base branch tip (pull_request_target):
        // the image is of the PR's head.
        const head = record(record(payload.pull_request)?.head)?.sha;
        if (typeof head === 'string')
            sha = head;
    }
    if (!/^[0-9a-f]{40}$/.test(sha)) {
        throw new errors/* EnvironmentError */.eG(`GITHUB_SHA is ${sha ? `"${sha}", not a full commit id` : 'not set'}. Run the action in a GitHub Actions job (or set GITHUB_SHA to the 40-character commit id).`);
    }
    let release;
    const rel = record(payload.release);
    if (eventName === 'release' && rel && typeof rel.tag_name === 'string') {
        release = { tagName: rel.tag_name, prerelease: rel.prerelease === true };
    }
    return {
        eventName,
        ref,
        sha,
        pullRequestNumber: prNumber,
        release,
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        repository: env.GITHUB_REPOSITORY ?? '',
    };
}
/**
 * Pure: under `pull_request_target` the job runs with the base repository's secrets, so building the pull
 * request's code is only safe when that code is the base repository's own. Returns the two repositories when
 * they differ — or when the payload does not name both, since sameness cannot then be shown.
 */
function foreignPullRequestTarget(eventName, payload) {
    if (eventName !== 'pull_request_target')
        return undefined;
    const pr = record(payload.pull_request);
    const name = (side) => {
        const full = record(record(side)?.repo)?.full_name;
        return typeof full === 'string' && full !== '' ? full : undefined;
    };
    const head = name(pr?.head);
    const base = name(pr?.base);
    if (head !== undefined && base !== undefined && head.toLowerCase() === base.toLowerCase())
        return undefined;
    return { head, base };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./action-defaults.ts
/** Each input's default, as action.yml declares it. */
const ACTION_DEFAULTS = {
    "repository": "",
    "image": "",
    "registry": "",
    "aws-region": "",
    "create-repository": "false",
    "tag-mutability": "MUTABLE",
    "context": "",
    "dockerfile": "",
    "build-args": "",
    "target": "",
    "platforms": "",
    "labels": "",
    "tags": "",
    "tag-rules": "",
    "provenance": "false",
    "build-secrets": "",
    "allow-untrusted-build": "false",
    "cache": "",
    "skip-existing": "true",
    "builder": "auto",
    "ecs-cluster": "",
    "ecs-service": "",
    "task-definition": "",
    "containers": "",
    "environment": "",
    "secrets": "",
    "docker-labels": "",
    "log-configuration-log-driver": "",
    "log-configuration-options": "",
    "command": "",
    "force-new-deployment": "false",
    "desired-count": "",
    "auto-scaling": "",
    "pre-deploy-command": "",
    "wait": "true",
    "timeout": "15m",
    "fail-fast-after": "2",
    "rollback-on-failure": "true",
    "rollback-on-cancel": "false",
    "dry-run": "false",
    "eks-cluster": "",
    "namespace": "default",
    "deployment": "",
    "role-to-assume": "",
    "role-session-name": "",
    "role-duration": "1h",
    "preview": "false",
    "preview-url": "",
    "preview-listener": "",
    "preview-desired-count": "1",
    "allow-fork-previews": "false",
    "github-token": "${{ github.token }}",
    "manifests": "",
    "force-conflicts": "false",
    "prune": "false",
    "alarms": "",
    "bake-time": "",
};

// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./image/tag-rules.ts
var tag_rules = __webpack_require__(7356);
;// CONCATENATED MODULE: ./image/tags.ts



const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function isValidDockerTag(tag) {
    return TAG.test(tag);
}
/** A ref name made into a valid tag: other characters become `-`, at most `max` (128), no leading `.`/`-`. */
function sanitizeTag(name, max = 128) {
    const tag = name
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .replace(/-{2,}/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, max)
        .replace(/-+$/, '');
    return tag && isValidDockerTag(tag) ? tag : undefined;
}
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
function parseSemVer(name) {
    const m = SEMVER.exec(name);
    if (!m)
        return undefined;
    const [, major = '', minor = '', patch = '', prerelease, build] = m;
    return { major, minor, patch, prerelease, build };
}
/** The rules' prefix and suffix put on generated tags; ref names are shortened so the tag stays ≤ 128. */
class Affixes {
    rules;
    constructor(rules) {
        this.rules = rules;
    }
    /** A version, branch or git tag: prefix and suffix. */
    generated(name, source, floating) {
        return this.checked(`${this.rules.prefix}${name}${this.rules.suffix}`, source, floating);
    }
    /** `sha-…` and `pr-N` carry their own prefix (as in metadata-action): the suffix only. */
    ownPrefix(name, source, floating) {
        return this.checked(`${name}${this.rules.suffix}`, source, floating);
    }
    latest() {
        const { prefix, suffix, prefixLatest, suffixLatest } = this.rules;
        return this.checked(`${prefixLatest ? prefix : ''}latest${suffixLatest ? suffix : ''}`, 'latest', true);
    }
    /** A ref name, sanitised and shortened to leave room for the prefix and suffix. */
    refName(ref, source, floating) {
        const base = sanitizeTag(ref, 128 - this.rules.prefix.length - this.rules.suffix.length);
        return base ? this.generated(base, source, floating) : undefined;
    }
    checked(name, source, floating) {
        if (!isValidDockerTag(name)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.TagRules, `the tag "${name}" (${name.length} characters) is not a valid image tag: at most 128 letters, digits, _ . and -, not starting with . or -. Shorten prefix= or suffix=.`);
        }
        return { name, source, floating };
    }
}
/** Tags for a git tag (tag push or release), without `latest`. */
function gitTagTags(name, markedPrerelease, rules, affix) {
    const v = parseSemVer(name);
    if (!v) {
        const tag = rules.gitTag ? affix.refName(name, 'git-tag', false) : undefined;
        return tag ? [tag] : [];
    }
    const tags = [];
    // `+` is not allowed in a tag; build metadata is kept after `_` so it stays distinct from a pre-release.
    const full = `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.build ? `_${v.build}` : ''}`;
    if (rules.patch)
        tags.push(affix.generated(full, 'version', false));
    if (v.prerelease || markedPrerelease)
        return tags;
    if (rules.minor)
        tags.push(affix.generated(`${v.major}.${v.minor}`, 'version-floating', true));
    // 0.x makes no compatibility promise across minors, so there is no `0` tag.
    if (rules.major && v.major !== '0')
        tags.push(affix.generated(v.major, 'version-floating', true));
    return tags;
}
/** The git tag this run is for, and whether it is a release version (semver, not a pre-release). */
function gitTagOf(ctx) {
    const name = ctx.release
        ? ctx.release.tagName
        : ctx.ref.startsWith('refs/tags/')
            ? ctx.ref.slice('refs/tags/'.length)
            : undefined;
    if (name === undefined)
        return undefined;
    const prerelease = ctx.release?.prerelease ?? false;
    const v = parseSemVer(name);
    return { name, prerelease, release: v !== undefined && !v.prerelease && !prerelease };
}
function automaticTags(ctx, rules) {
    const affix = new Affixes(rules);
    const tags = [];
    const gitTag = gitTagOf(ctx);
    if (ctx.pullRequestNumber !== undefined) {
        if (rules.pr)
            tags.push(affix.ownPrefix(`pr-${ctx.pullRequestNumber}`, 'pull-request', true));
    }
    else if (gitTag) {
        tags.push(...gitTagTags(gitTag.name, gitTag.prerelease, rules, affix));
    }
    else if (ctx.ref.startsWith('refs/heads/') && rules.branch) {
        const tag = affix.refName(ctx.ref.slice('refs/heads/'.length), 'branch', true);
        if (tag)
            tags.push(tag);
    }
    // As metadata-action's latest=auto: on a release version only (a non-semver git tag gets none here).
    const latest = rules.latest === 'true' ||
        (rules.latest === 'auto' && ctx.pullRequestNumber === undefined && gitTag?.release === true);
    if (latest)
        tags.push(affix.latest());
    return tags;
}
// Most specific first: the primary tag is the first explicit tag, else the highest-ranked automatic one.
const PRIORITY = [
    'explicit',
    'version',
    'git-tag',
    'pull-request',
    'branch',
    'commit',
    'version-floating',
    'latest',
];
/**
 * Pure: the tags an image built for this run carries, as the `tag-rules` input shapes them. A generated tag
 * that would not be a valid tag is an input error, raised before anything is built.
 */
function planTags(ctx, explicit, rules = tag_rules/* DEFAULT_TAG_RULES */.rP) {
    const commit = new Affixes(rules).ownPrefix(`sha-${ctx.sha.slice(0, 7)}`, 'commit', false);
    const commitTag = commit.name;
    const candidates = [
        ...explicit.map((name) => ({ name, source: 'explicit', floating: false })),
        ...automaticTags(ctx, rules),
        commit,
    ];
    const seen = new Set();
    const unique = candidates.filter((t) => (seen.has(t.name) ? false : (seen.add(t.name), true)));
    const rank = (t) => PRIORITY.indexOf(t.source);
    const primary = unique.reduce((best, t) => (rank(t) < rank(best) ? t : best));
    const tags = [primary, ...unique.filter((t) => t !== primary)];
    return { tags, primary: primary.name, commitTag };
}

;// CONCATENATED MODULE: ./workspace-path.ts
// Paths the workflow names (Dockerfile, build context) must stay inside the checked-out workspace, symlinks
// resolved: a fork's `Dockerfile -> /proc/self/environ` would otherwise have the builder read, and quote back
// in its parse error, the job's environment with its secrets.


/** Pure: whether `child` is `parent` or lies below it (both absolute and normalised). */
function isWithin(child, parent) {
    const relative = external_node_path_default().relative(parent, child);
    return (relative === '' ||
        (!relative.startsWith(`..${(external_node_path_default()).sep}`) && relative !== '..' && !external_node_path_default().isAbsolute(relative)));
}
/** Where `target` really is (every symlink resolved), and whether that is inside the workspace's real path. */
function locateInWorkspace(target, workspace) {
    let real;
    try {
        real = external_node_fs_.realpathSync.native(target);
    }
    catch {
        return { kind: 'missing' };
    }
    let root;
    try {
        root = external_node_fs_.realpathSync.native(workspace);
    }
    catch {
        root = external_node_path_default().resolve(workspace);
    }
    return { kind: isWithin(real, root) ? 'inside' : 'outside', real };
}

// EXTERNAL MODULE: ./image/reference.ts
var reference = __webpack_require__(5643);
;// CONCATENATED MODULE: ./image/secret-masking.ts
// Build-secret values are masked the moment the inputs are read, whatever their length.

/**
 * The runner masks any non-empty `add-mask` value, however short (actions/runner's add-mask command skips
 * only empty or whitespace-only values), and each of its lines. Masking a short value hides every occurrence
 * of those characters in the log, which is the price of not showing the secret.
 */
const SHORT_SECRET_LENGTH = 4;
/** Pure: what to mask for one value: the value, trimmed, and each non-blank line of it, trimmed. */
function maskableParts(value) {
    const parts = [value.trim(), ...value.split(/\r?\n|\r/).map((line) => line.trim())];
    return [...new Set(parts.filter((part) => part !== ''))];
}
/** The value a build secret carries (read now for `env:` and `file:`). */
function secretValue(secret, env) {
    const { source } = secret;
    if (source.kind === 'value')
        return source.value;
    if (source.kind === 'env')
        return env[source.name] ?? '';
    return (0,external_node_fs_.readFileSync)(source.path, 'utf8');
}
/**
 * Masks every build secret's value and lines with `mask` (core.setSecret); returns the ids of secrets with a
 * part shorter than SHORT_SECRET_LENGTH, which are masked too but are worth a warning.
 */
function maskBuildSecrets(secrets, env, mask) {
    const short = [];
    for (const secret of secrets) {
        const parts = maskableParts(secretValue(secret, env));
        for (const part of parts)
            mask(part);
        if (parts.some((part) => part.length < SHORT_SECRET_LENGTH))
            short.push(secret.id);
    }
    return short;
}

// EXTERNAL MODULE: ./deploy/duration.ts
var duration = __webpack_require__(5708);
;// CONCATENATED MODULE: ./aws/role-inputs.ts
// The `role-to-assume`, `role-session-name` and `role-duration` inputs (pure).



/** STS's limits: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const MIN_DURATION_S = 900;
const MAX_DURATION_S = 43_200;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** `ecr-deploy-<repository name>-<run id>-<attempt>`, with every character STS refuses made `-`, cut to 64. */
function defaultSessionName(env) {
    const repo = (env.GITHUB_REPOSITORY ?? '').split('/').pop() || 'run';
    const name = `ecr-deploy-${repo}-${env.GITHUB_RUN_ID ?? '0'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
    return name.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}
/** Undefined without `role-to-assume` (the job's own credentials are used). Throws an InputError. */
function parseAssumeRole(values, env) {
    const roleArn = values.roleToAssume.trim();
    if (!roleArn) {
        if (values.roleSessionName.trim()) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.RoleSessionName, 'only applies with role-to-assume. Set role-to-assume, or remove it.');
        }
        return undefined;
    }
    if (!ROLE_ARN.test(roleArn)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.RoleToAssume, `"${roleArn}" is not an IAM role ARN. Use arn:aws:iam::<12-digit account id>:role/<name>.`);
    }
    const sessionName = values.roleSessionName.trim() || defaultSessionName(env);
    if (!SESSION_NAME.test(sessionName)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.RoleSessionName, `"${sessionName}" is not a valid session name: use 2 to 64 letters, digits or +=,.@_- (no spaces).`);
    }
    const ms = (0,duration/* parseDurationMs */.y)(values.roleDuration);
    if (ms === undefined || ms % 1000 !== 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.RoleDuration, `"${values.roleDuration}" is not a duration. Use number + unit: 15m, 1h, 1h30m.`);
    }
    const durationSeconds = ms / 1000;
    if (durationSeconds < MIN_DURATION_S || durationSeconds > MAX_DURATION_S) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.RoleDuration, `"${values.roleDuration}" is outside what STS allows (15m to 12h, and at most the role's maximum session duration). Sessions are renewed before they end, so 1h serves any wait.`);
    }
    if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.RoleToAssume, 'needs the job\'s GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. Add "permissions: id-token: write" to the job (workflows triggered from forks get no token).');
    }
    return { roleArn, sessionName, durationSeconds };
}

;// CONCATENATED MODULE: ./ecs/scaling-settings.ts
// The `auto-scaling` input: `min=2`, `max=10`, `cpu=60`, `memory=70`, `requests-per-target=500` (with
// `load-balancer=app/<name>/<id>`), one per line or comma-separated. Pure, and free of SDK imports: the
// inputs are read before any target code is loaded.


const KEYS = ['min', 'max', 'cpu', 'memory', 'requests-per-target', 'load-balancer'];
// ALB ARN (…:loadbalancer/app/<name>/<id>) or its `app/<name>/<id>` part, as ResourceLabel needs it.
const LOAD_BALANCER = /^(?:arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/)?(app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16})$/;
const HELP = 'Use one key=value per line: min=2, max=10, and target values for cpu=60 (%), memory=70 (%), requests-per-target=500 (with load-balancer=app/<name>/<id>).';
function integer(line, key, value) {
    if (!/^\d+$/.test(value) || Number(value) > 100_000) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${line}": ${key} must be a whole number of tasks (0 to 100000).`);
    }
    return Number(value);
}
function percent(line, key, value) {
    const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!(n > 0 && n <= 100)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${line}": ${key} is a target utilisation in percent, more than 0 and at most 100.`);
    }
    return n;
}
/** Pure: the settings, or undefined when the input is empty. Errors name the input and the line. */
function parseAutoScaling(value) {
    const lines = value
        .split(/[\n,]/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0)
        return undefined;
    const seen = new Map();
    for (const line of lines) {
        const eq = line.indexOf('=');
        const key = (eq >= 0 ? line.slice(0, eq) : line).trim().toLowerCase();
        const v = eq >= 0 ? line.slice(eq + 1).trim() : '';
        if (!KEYS.includes(key)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${line}": unknown key "${key}". ${HELP}`);
        }
        if (eq < 0 || v === '')
            throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${line}": no value. ${HELP}`);
        if (seen.has(key))
            throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${line}": ${key} is given twice.`);
        seen.set(key, v);
    }
    const lineOf = (key) => `${key}=${seen.get(key) ?? ''}`;
    for (const key of ['min', 'max']) {
        if (!seen.has(key)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `${key}= is missing: give both min= and max= (the task counts auto scaling keeps the service between).`);
        }
    }
    const min = integer(lineOf('min'), 'min', seen.get('min') ?? '');
    const max = integer(lineOf('max'), 'max', seen.get('max') ?? '');
    if (max < 1)
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${lineOf('max')}": max must be at least 1.`);
    if (min > max) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${lineOf('min')}": min is more than max (${max}).`);
    }
    const policies = [];
    for (const [key, v] of seen) {
        if (key === 'cpu' || key === 'memory')
            policies.push({ metric: key, target: percent(lineOf(key), key, v) });
        if (key === 'requests-per-target') {
            const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
            if (!(n > 0)) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${lineOf(key)}": requests-per-target is a number of requests per target per minute, more than 0.`);
            }
            policies.push({ metric: key, target: n });
        }
    }
    let loadBalancer;
    if (seen.has('load-balancer')) {
        const m = LOAD_BALANCER.exec(seen.get('load-balancer') ?? '');
        if (!m) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${lineOf('load-balancer')}": give the Application Load Balancer as app/<name>/<id> or its ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>).`);
        }
        loadBalancer = m[1];
        if (!seen.has('requests-per-target')) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${lineOf('load-balancer')}": load-balancer is only used by requests-per-target=; add it or remove this line.`);
        }
    }
    else if (seen.has('requests-per-target')) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${lineOf('requests-per-target')}": needs load-balancer=app/<name>/<id> (the ALB in front of the service's target group) to build the metric's ResourceLabel.`);
    }
    return { min, max, policies, loadBalancer, suspendScaleIn: true };
}
/**
 * Pure: the settings as an EKS deploy can use them (a HorizontalPodAutoscaler per Deployment), or an input
 * error: `requests-per-target` has no Resource-metric equivalent, an HPA's minReplicas is at least 1 and its
 * averageUtilization a whole percent.
 */
function eksAutoScaling(settings) {
    if (!settings)
        return undefined;
    if (settings.policies.some((p) => p.metric === 'requests-per-target') || settings.loadBalancer) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, 'requests-per-target (and load-balancer) apply to ECS only: a HorizontalPodAutoscaler has no Resource metric for requests. Use cpu= and memory= on EKS, or keep an HPA with a custom or external metric in your manifests.');
    }
    if (settings.min < 1) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"min=${settings.min}": a HorizontalPodAutoscaler keeps at least 1 replica; give min=1 or more.`);
    }
    for (const p of settings.policies) {
        if (!Number.isInteger(p.target)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, `"${p.metric}=${p.target}": an HPA's target utilisation is a whole percent; give ${p.metric}=${Math.round(p.target)}.`);
        }
    }
    if (settings.policies.length === 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, 'names no metric: give cpu= and/or memory= (without one the HPA would default to CPU 80 %).');
    }
    return { ...settings, suspendScaleIn: false };
}

// EXTERNAL MODULE: ./ecs/render-container.ts
var render_container = __webpack_require__(3678);
// EXTERNAL MODULE: ./deploy/bake.ts
var bake = __webpack_require__(1001);
// EXTERNAL MODULE: ./preview/names.ts
var names = __webpack_require__(5803);
;// CONCATENATED MODULE: ./inputs.ts


















/** The runner's mapping: `build-args` → `INPUT_BUILD-ARGS` (spaces become `_`, hyphens stay). */
function inputVariable(name) {
    return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
/** Pure: edit distance (insertions, deletions, substitutions) between two short names. */
function distance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length] ?? 0;
}
/**
 * Pure: the `with:` keys of the step (its `INPUT_*` variables) that are no input of this action, each with the
 * closest real input when one is near (`file` → `dockerfile`, `repo` → `repository`).
 */
function unknownInputs(env) {
    const known = Object.values(contract/* Input */.pd);
    const variables = new Map(known.map((name) => [inputVariable(name), name]));
    return Object.keys(env)
        .filter((key) => key.startsWith('INPUT_') && !variables.has(key))
        .sort()
        .map((key) => {
        const given = key.slice('INPUT_'.length).toLowerCase();
        const ranked = known
            .map((name) => ({
            name,
            score: name.includes(given) || given.includes(name) ? 0 : distance(given, name),
        }))
            .sort((x, y) => x.score - y.score);
        const best = ranked[0];
        return { given, closest: best && best.score <= Math.max(2, given.length / 3) ? best.name : undefined };
    });
}
/** The input as given, trimmed; unset or empty: its default from action.yml (what the runner passes). */
function raw(env, name) {
    return (env[inputVariable(name)] ?? '').trim() || ACTION_DEFAULTS[name];
}
/** Collects input errors, so that every bad input is reported at once. */
class InputChecks {
    errors = [];
    /** What `read` returns; on an InputError, records it and returns nothing (readInputs then throws). */
    take(read) {
        try {
            return read();
        }
        catch (error) {
            if (!(error instanceof errors/* InputError */.dz))
                throw error;
            if (!this.errors.some((e) => e.message === error.message))
                this.errors.push(error);
            return undefined;
        }
    }
}
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
/** YAML 1.2 core-schema booleans, as the runner documents them; anything else is an error, not `false`. */
function parseBoolean(name, value) {
    if (TRUE.has(value))
        return true;
    if (FALSE.has(value))
        return false;
    throw new errors/* InputError */.dz(name, `"${value}" is not a boolean. Use true or false.`);
}
/** Splits a list input on newlines (and commas where `commas`), trimming and dropping empty entries. */
function parseList(value, { commas }) {
    const parts = commas ? value.split(/[\n,]/) : value.split('\n');
    return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}
/** `NAME=VALUE` lines; the value may itself contain `=`. */
function parseKeyValues(name, value) {
    return parseList(value, { commas: false }).map((line, i) => {
        const eq = line.indexOf('=');
        if (eq <= 0) {
            throw new errors/* InputError */.dz(name, `line ${i + 1} ("${line}") is not NAME=VALUE. Write one NAME=VALUE per line, e.g. VERSION=1.2.3.`);
        }
        return { name: line.slice(0, eq).trim(), value: line.slice(eq + 1) };
    });
}
// ECR repository names: lowercase path components separated by `/`, 2-256 characters.
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
function parseRepository(value) {
    if (value === '') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Repository, 'is required. Set it to the ECR repository name, e.g. my-app (or set image to deploy an existing image).');
    }
    if (value.includes('.amazonaws.com') || value.includes(':') || value.includes('@')) {
        const name = value.replace(/^[^/]*\//, '').replace(/[:@].*$/, '');
        throw new errors/* InputError */.dz(contract/* Input */.pd.Repository, `"${value}" looks like an image reference. Give only the repository name (e.g. "${name}"); the registry comes from ECR, and the tags from "tags".`);
    }
    if (value.length < 2 || value.length > 256 || !REPOSITORY.test(value)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Repository, `"${value}" is not a valid ECR repository name. Use 2-256 lowercase letters, digits and . _ - separators, with / between path components (e.g. team/my-app).`);
    }
    return value;
}
// Partition-aware region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, eusc-de-east-1.
const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/;
function parseRegion(inputValue, env) {
    const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
    const value = inputValue || fromEnv;
    if (value === '') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AwsRegion, 'no region given. Set aws-region (e.g. eu-west-1), or AWS_REGION in the environment (aws-actions/configure-aws-credentials sets it).');
    }
    if (!REGION.test(value)) {
        const source = inputValue ? 'aws-region' : env.AWS_REGION?.trim() ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
        throw new errors/* InputError */.dz(contract/* Input */.pd.AwsRegion, `"${value}" (from ${source}) is not a region name. Use a region code such as eu-west-1, not an availability zone or a display name.`);
    }
    return value;
}
const REGISTRY_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/**
 * The registry's account id: a 12-digit id, or an ECR registry host (`123456789012.dkr.ecr.eu-west-1.amazonaws.com`,
 * what amazon-ecr-login outputs), whose region must be the step's: registries are regional.
 */
function parseRegistry(value, region) {
    if (value === '')
        return undefined;
    if (/^\d{12}$/.test(value))
        return value;
    const host = REGISTRY_HOST.exec(value.replace(/^https:\/\//, '').replace(/\/$/, ''));
    if (!host) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Registry, `"${value}" is not an AWS account id or an ECR registry host. Use the 12-digit account id that owns the repository (or its registry, 123456789012.dkr.ecr.eu-west-1.amazonaws.com), or leave it empty for your own account.`);
    }
    const [, account = '', hostRegion] = host;
    if (region && hostRegion !== region) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Registry, `${value} is in ${hostRegion}, but the step works in ${region}. ECR registries are regional: set aws-region to ${hostRegion}, or give the registry of ${region}.`);
    }
    return account;
}
function parseTagMutability(value) {
    const upper = value.toUpperCase();
    if (upper === 'MUTABLE' || upper === 'IMMUTABLE')
        return upper;
    throw new errors/* InputError */.dz(contract/* Input */.pd.TagMutability, `"${value}" is not MUTABLE or IMMUTABLE.`);
}
/** Pure: the tag names of `tags` (a full reference gives its tag), and the entries that are references. */
function readTags(value) {
    const entries = parseList(value, { commas: true });
    const references = entries.filter(tag_rules/* isTagReference */.A1).map(tag_rules/* parseTagReference */.XN);
    const tags = parseTags(entries.map((e) => ((0,tag_rules/* isTagReference */.A1)(e) ? e.slice(e.lastIndexOf(':') + 1) : e)).join('\n'));
    return { tags, references };
}
function parseTags(value) {
    const tags = parseList(value, { commas: true });
    for (const tag of tags) {
        if (!isValidDockerTag(tag)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Tags, `"${tag}" is not a valid image tag. A tag is 1-128 characters of letters, digits, _ . and -, and must not start with . or -.`);
        }
    }
    return [...new Set(tags)];
}
function parseBuilder(value) {
    if (value === 'auto' || value === 'docker' || value === 'buildah')
        return value;
    throw new errors/* InputError */.dz(contract/* Input */.pd.Builder, `"${value}" is not a builder. Use auto, docker or buildah.`);
}
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
function parsePlatforms(value) {
    const platforms = parseList(value, { commas: true });
    for (const platform of platforms) {
        if (!PLATFORM.test(platform)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Platforms, `"${platform}" is not a platform. Use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.`);
        }
    }
    return platforms;
}
function isDirectory(p) {
    return (0,external_node_fs_.existsSync)(p) && (0,external_node_fs_.statSync)(p).isDirectory();
}
function isFile(p) {
    return (0,external_node_fs_.existsSync)(p) && (0,external_node_fs_.statSync)(p).isFile();
}
/**
 * The build context and the Dockerfile, each of which must really be (symlinks resolved) inside the workspace:
 * a path or a committed symlink leading out of it is refused before anything reads the file, so no error can
 * quote what it holds (`/proc/self/environ` is the job's environment).
 */
function resolveBuildPaths(contextValue, dockerfileValue, cwd, workspace = cwd) {
    const context = external_node_path_default().resolve(cwd, contextValue || '.');
    const contextPlace = locateInWorkspace(context, workspace);
    if (contextPlace.kind === 'outside') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Context, `build context "${contextValue || '.'}" resolves to ${contextPlace.real}, outside the workspace ${workspace}. Give a folder of the checked-out repository (a symlink must point inside it too).`);
    }
    if (!isDirectory(context)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Context, `build context "${contextValue}" is not a directory (resolved to ${context}). Check out the repository first (actions/checkout) or fix the path.`);
    }
    const dockerfile = dockerfileValue ? external_node_path_default().resolve(cwd, dockerfileValue) : external_node_path_default().join(context, 'Dockerfile');
    const place = locateInWorkspace(dockerfile, workspace);
    if (place.kind === 'outside') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Dockerfile, `${dockerfileValue ? `"${dockerfileValue}"` : `the Dockerfile of the build context (${dockerfile})`} resolves to ${place.real}, outside the workspace ${workspace}; it is not read. Give a Dockerfile of the checked-out repository (a symlink must point inside it too).`);
    }
    if (place.kind === 'missing' || !isFile(place.real)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Dockerfile, dockerfileValue
            ? `"${dockerfileValue}" does not exist (resolved to ${dockerfile}). Give the Dockerfile's path relative to the workspace.`
            : `no Dockerfile in the build context ${context}. Set dockerfile to its path, or context to the folder that holds it.`);
    }
    return { context, dockerfile };
}
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** `host/path[:tag][@sha256:…]`; the host is required, so the image can be told apart from Docker Hub's. */
function parseImageReference(value) {
    const fail = (why) => {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Image, `"${value}" ${why}`);
    };
    let rest = value;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            fail('has a digest that is not sha256:<64 hex digits>.');
    }
    const slash = rest.indexOf('/');
    const host = slash > 0 ? rest.slice(0, slash) : '';
    if (!host || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
        fail('has no registry host. Give the full reference, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:1.2.3.');
    }
    let repoPath = rest.slice(slash + 1);
    let tag;
    const colon = repoPath.lastIndexOf(':');
    if (colon >= 0) {
        tag = repoPath.slice(colon + 1);
        repoPath = repoPath.slice(0, colon);
        if (!isValidDockerTag(tag))
            fail(`has an invalid tag "${tag}".`);
    }
    if (!REPOSITORY.test(repoPath))
        fail(`has an invalid repository path "${repoPath}".`);
    if (!tag && !digest)
        fail('names no tag or digest. Add :tag or @sha256:… so it is clear which image to deploy.');
    return { host, path: repoPath, tag, digest };
}
const SECRET_ID = /^[A-Za-z0-9_.-]{1,128}$/;
/** `id=VALUE`, `id=env:NAME` or `id=file:PATH` lines. Referenced variables and files must exist. */
function parseBuildSecrets(value, env, cwd) {
    const secrets = [];
    const lines = value.split('\n').filter((l) => l.trim() !== '');
    lines.forEach((line, i) => {
        const eq = line.indexOf('=');
        const id = eq > 0 ? line.slice(0, eq).trim() : '';
        if (!SECRET_ID.test(id)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.BuildSecrets, `line ${i + 1} does not start with a secret id. Write id=VALUE, id=env:NAME or id=file:PATH (the id is what RUN --mount=type=secret,id=… names).`);
        }
        if (secrets.some((s) => s.id === id)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.BuildSecrets, `secret id "${id}" is given twice.`);
        }
        const rest = line.slice(eq + 1);
        if (rest.startsWith('env:')) {
            const name = rest.slice(4).trim();
            if (!env[name]) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.BuildSecrets, `secret "${id}" reads the environment variable ${name}, which is not set. Set it in the step's env (e.g. ${name}: \${{ secrets.${name} }}).`);
            }
            secrets.push({ id, source: { kind: 'env', name } });
        }
        else if (rest.startsWith('file:')) {
            const file = external_node_path_default().resolve(cwd, rest.slice(5).trim());
            if (!isFile(file)) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.BuildSecrets, `secret "${id}" reads the file ${file}, which does not exist.`);
            }
            secrets.push({ id, source: { kind: 'file', path: file } });
        }
        else {
            if (rest === '')
                throw new errors/* InputError */.dz(contract/* Input */.pd.BuildSecrets, `secret "${id}" has an empty value.`);
            secrets.push({ id, source: { kind: 'value', value: rest } });
        }
    });
    return secrets;
}
function parseCache(value) {
    if (value === '')
        return undefined;
    if (value === 'registry' || value === 'gha')
        return value;
    throw new errors/* InputError */.dz(contract/* Input */.pd.Cache, `"${value}" is not a cache mode. Use registry (an ECR cache image) or gha (GitHub's cache), or leave it empty.`);
}
// Inputs that only mean something when the step builds.
const BUILD_ONLY = [
    contract/* Input */.pd.Repository,
    contract/* Input */.pd.Context,
    contract/* Input */.pd.Dockerfile,
    contract/* Input */.pd.BuildArgs,
    contract/* Input */.pd.Target,
    contract/* Input */.pd.Platforms,
    contract/* Input */.pd.Labels,
    contract/* Input */.pd.BuildSecrets,
    contract/* Input */.pd.Cache,
];
function readExistingImage(env, image) {
    const conflicting = BUILD_ONLY.filter((name) => raw(env, name) !== '');
    if (parseBoolean(contract/* Input */.pd.Provenance, raw(env, contract/* Input */.pd.Provenance)))
        conflicting.push(contract/* Input */.pd.Provenance);
    if (raw(env, contract/* Input */.pd.Builder) !== 'auto')
        conflicting.push(contract/* Input */.pd.Builder);
    if (parseBoolean(contract/* Input */.pd.CreateRepository, raw(env, contract/* Input */.pd.CreateRepository))) {
        conflicting.push(contract/* Input */.pd.CreateRepository);
    }
    if (conflicting.length > 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Image, `deploys an existing image, so nothing is built; remove ${conflicting.join(', ')} (they only apply to a build), or remove image to build.`);
    }
    return { kind: 'image', reference: parseImageReference(image) };
}
// A build stage name, as `FROM … AS <name>` accepts it (BuildKit's rule, case-insensitive).
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
function parseTarget(value) {
    if (value === '')
        return undefined;
    if (!STAGE_NAME.test(value)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Target, `"${value}" is not a build stage name. Give the name after AS in the Dockerfile's FROM line (a letter, then letters, digits, _ . and -).`);
    }
    return value;
}
/** Build argument and label names: what the builders take as one word of `--build-arg`/`--label NAME=VALUE`. */
function parseNamedValues(name, value) {
    const pairs = parseKeyValues(name, value);
    for (const { name: key } of pairs) {
        if (/[\s\p{C}]/u.test(key)) {
            throw new errors/* InputError */.dz(name, `the name "${key}" contains white space or control characters. Names are one word, e.g. org.example.team=payments.`);
        }
    }
    return pairs;
}
/** The event payload for the untrusted-build check; an unreadable one counts as empty (main reports it). */
/** The payload for the input checks; a broken payload file is reported once, by the step, not as an input. */
function readEventPayloadQuietly(env) {
    try {
        return readEventPayload(env);
    }
    catch {
        return {};
    }
}
/**
 * Pure over env and payload: under `pull_request_target` a build of another repository's pull request runs
 * its Dockerfile with this repository's secrets, so it needs `allow-untrusted-build: true`.
 */
function checkUntrustedBuild(env, payload, allowed) {
    const foreign = foreignPullRequestTarget(env.GITHUB_EVENT_NAME ?? '', payload);
    if (!foreign || allowed)
        return;
    const from = foreign.head ?? 'a repository the event payload does not name';
    const into = foreign.base ?? 'this repository';
    throw new errors/* InputError */.dz(contract/* Input */.pd.AllowUntrustedBuild, `this pull_request_target run is for a pull request from ${from} into ${into}. Building it would run that repository's Dockerfile with this workflow's build secrets, registry login and AWS credentials at hand, so the step does not build it. Build in a pull_request workflow (no secrets), deploy an image built elsewhere (image), or set allow-untrusted-build: true if the workflow only builds code a maintainer has approved (see the README's Security section).`);
}
function readBuild(env, cwd, c) {
    const workspace = env.GITHUB_WORKSPACE?.trim() || cwd;
    const paths = c.take(() => resolveBuildPaths(raw(env, contract/* Input */.pd.Context), raw(env, contract/* Input */.pd.Dockerfile), cwd, workspace));
    const allowUntrusted = c.take(() => parseBoolean(contract/* Input */.pd.AllowUntrustedBuild, raw(env, contract/* Input */.pd.AllowUntrustedBuild)));
    // An unreadable allow-untrusted-build is its own error; the refusal would only repeat the input's name.
    if (allowUntrusted !== undefined) {
        c.take(() => checkUntrustedBuild(env, readEventPayloadQuietly(env), allowUntrusted));
    }
    const secrets = c.take(() => parseBuildSecrets(env[inputVariable(contract/* Input */.pd.BuildSecrets)] ?? '', env, cwd));
    if (secrets) {
        const short = maskBuildSecrets(secrets, env, (value) => actions_core/* setSecret */.Pq(value));
        if (short.length > 0) {
            actions_core/* warning */.$e(`Build secret${short.length > 1 ? 's' : ''} ${short.join(', ')}: a value (or line) shorter than ${SHORT_SECRET_LENGTH} characters is masked, so every occurrence of it in the log shows as ***; so short a secret is also easy to guess.`);
        }
    }
    return {
        kind: 'build',
        repository: c.take(() => parseRepository(raw(env, contract/* Input */.pd.Repository))),
        context: paths?.context ?? '',
        dockerfile: paths?.dockerfile ?? '',
        buildArgs: c.take(() => parseNamedValues(contract/* Input */.pd.BuildArgs, raw(env, contract/* Input */.pd.BuildArgs))),
        target: c.take(() => parseTarget(raw(env, contract/* Input */.pd.Target))),
        platforms: c.take(() => parsePlatforms(raw(env, contract/* Input */.pd.Platforms))),
        labels: c.take(() => parseNamedValues(contract/* Input */.pd.Labels, raw(env, contract/* Input */.pd.Labels))),
        provenance: c.take(() => parseBoolean(contract/* Input */.pd.Provenance, raw(env, contract/* Input */.pd.Provenance))),
        builder: c.take(() => parseBuilder(raw(env, contract/* Input */.pd.Builder))),
        secrets,
        cache: c.take(() => parseCache(raw(env, contract/* Input */.pd.Cache))),
        skipExisting: c.take(() => parseBoolean(contract/* Input */.pd.SkipExisting, raw(env, contract/* Input */.pd.SkipExisting))),
    };
}
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Inputs that only an ECS deploy reads.
const ECS_ONLY = [
    contract/* Input */.pd.TaskDefinition,
    contract/* Input */.pd.Environment,
    contract/* Input */.pd.DesiredCount,
    contract/* Input */.pd.PreDeployCommand,
    contract/* Input */.pd.ForceNewDeployment,
];
/**
 * `manifests` (files, folders, globs; one per line) with `force-conflicts` and `prune`; undefined without
 * it. Entries that are not globs must exist.
 */
function readManifestsInputs(env, cwd) {
    const entries = parseList(raw(env, contract/* Input */.pd.Manifests), { commas: false });
    const forceConflicts = parseBoolean(contract/* Input */.pd.ForceConflicts, raw(env, contract/* Input */.pd.ForceConflicts));
    const prune = parseBoolean(contract/* Input */.pd.Prune, raw(env, contract/* Input */.pd.Prune));
    if (entries.length === 0) {
        const stray = [forceConflicts && contract/* Input */.pd.ForceConflicts, prune && contract/* Input */.pd.Prune].filter(Boolean);
        if (stray[0])
            throw new errors/* InputError */.dz(stray[0], 'only applies with manifests. Set manifests, or remove it.');
        return undefined;
    }
    for (const entry of entries) {
        if (!/[*?[{]/.test(entry) && !(0,external_node_fs_.existsSync)(external_node_path_default().resolve(cwd, entry))) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Manifests, `"${entry}" does not exist (relative to ${cwd}). Give files, folders or globs, one per line.`);
        }
    }
    return { entries, cwd, forceConflicts, prune };
}
function readEksTarget(env, cwd, c) {
    const cluster = raw(env, contract/* Input */.pd.EksCluster);
    const deployments = parseList(raw(env, contract/* Input */.pd.Deployment), { commas: false });
    const manifests = readManifestsInputs(env, cwd);
    if (!cluster && deployments.length === 0 && !manifests)
        return undefined;
    if (!cluster)
        throw new errors/* InputError */.dz(contract/* Input */.pd.EksCluster, `is required with ${manifests ? 'manifests' : 'deployment'}. Set it to the EKS cluster name.`);
    if (manifests && deployments.length > 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Deployment, 'and manifests are two ways to deploy: manifests applies the objects (and waits for their workloads), deployment patches the image of existing Deployments. Remove one.');
    }
    if (manifests && raw(env, contract/* Input */.pd.Containers) !== '') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Containers, 'does not apply with manifests: every container whose image is in the repository gets the new image. Remove containers.');
    }
    if (deployments.length === 0 && !manifests) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Deployment, 'is required with eks-cluster. Give the Deployment name (several: one per line), or set manifests to apply Kubernetes manifests.');
    }
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(cluster)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EksCluster, `"${cluster}" is not an EKS cluster name (letters, digits, - and _, up to 100).`);
    }
    for (const d of deployments) {
        if (!DNS_SUBDOMAIN.test(d)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Deployment, `"${d}" is not a Kubernetes object name (lowercase letters, digits, - and .).`);
        }
    }
    if (new Set(deployments).size !== deployments.length)
        throw new errors/* InputError */.dz(contract/* Input */.pd.Deployment, 'names a Deployment twice.');
    const namespace = raw(env, contract/* Input */.pd.Namespace);
    if (!DNS_LABEL.test(namespace)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Namespace, `"${namespace}" is not a namespace name (lowercase letters, digits and -, up to 63).`);
    }
    if (manifests && raw(env, contract/* Input */.pd.AutoScaling) !== '') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.AutoScaling, 'works with deployment, not with manifests yet: put a HorizontalPodAutoscaler in your manifests (the Deployment it scales is then applied without replicas).');
    }
    if (manifests && raw(env, contract/* Input */.pd.BakeTime) !== '') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.BakeTime, 'works with deployment, not with manifests yet: the manifests path has no bake. Deploy with deployment, or leave bake-time out.');
    }
    const ecsOnly = ECS_ONLY.filter((n) => raw(env, n) !== '' && !(n === contract/* Input */.pd.ForceNewDeployment && raw(env, n) === 'false'));
    if (ecsOnly.length > 0) {
        throw new errors/* InputError */.dz(ecsOnly[0] ?? contract/* Input */.pd.EksCluster, `applies to ECS deploys only; remove ${ecsOnly.join(', ')} for an EKS deploy.`);
    }
    return {
        kind: 'eks',
        cluster,
        namespace,
        deployments,
        containers: c.take(() => parseContainers(raw(env, contract/* Input */.pd.Containers))),
        ...(manifests ? { manifests } : {}),
        autoScaling: c.take(() => eksAutoScaling(parseAutoScaling(raw(env, contract/* Input */.pd.AutoScaling)))),
    };
}
function readTarget(env, cwd, c) {
    const ecsSet = raw(env, contract/* Input */.pd.EcsCluster) !== '' || raw(env, contract/* Input */.pd.EcsService) !== '';
    const eksSet = raw(env, contract/* Input */.pd.EksCluster) !== '' ||
        raw(env, contract/* Input */.pd.Deployment) !== '' ||
        raw(env, contract/* Input */.pd.Manifests) !== '';
    if (ecsSet && eksSet) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EksCluster, 'one step deploys to ECS or to EKS, not both: remove the ecs-* inputs or the eks-cluster/deployment inputs (use two steps).');
    }
    const target = eksSet ? readEksTarget(env, cwd, c) : readEcsTarget(env, cwd, c);
    const alarms = c.take(() => (0,bake/* parseAlarmWatch */.cJ)(raw(env, contract/* Input */.pd.Alarms), raw(env, contract/* Input */.pd.BakeTime), raw(env, contract/* Input */.pd.RollbackOnFailure).trim().toLowerCase() !== 'false'));
    if (!target) {
        if (alarms)
            throw new errors/* InputError */.dz(contract/* Input */.pd.Alarms, 'only applies to a deploy. Set ecs-cluster or eks-cluster.');
        return undefined;
    }
    return alarms ? { ...target, alarms } : target;
}
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ECS_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(cluster|service)\/[A-Za-z0-9_/-]+$/;
function parseEcsName(name, value, what) {
    if (ECS_NAME.test(value) || ECS_ARN.test(value))
        return value;
    throw new errors/* InputError */.dz(name, `"${value}" is not an ECS ${what} name or ARN (letters, digits, - and _, up to 255).`);
}
function parseContainers(value) {
    const seen = new Set();
    return parseList(value, { commas: false }).map((line) => {
        const eq = line.indexOf('=');
        const name = (eq >= 0 ? line.slice(0, eq) : line).trim();
        const image = eq >= 0 ? line.slice(eq + 1).trim() : undefined;
        if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Containers, `"${line}" does not start with a container name. Write name, or name=image.`);
        }
        if (image === '')
            throw new errors/* InputError */.dz(contract/* Input */.pd.Containers, `"${line}" has an empty image. Write name, or name=image.`);
        const problem = image === undefined ? undefined : (0,reference/* imageReferenceProblem */.i)(image);
        if (problem) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Containers, `the image of container "${name}" ${problem}. Write name=image with a full image reference, e.g. ${name}=123456789012.dkr.ecr.eu-west-1.amazonaws.com/sidecar:1.4 (or only the name, for this step's image).`);
        }
        if (seen.has(name))
            throw new errors/* InputError */.dz(contract/* Input */.pd.Containers, `container "${name}" is named twice.`);
        seen.add(name);
        return { name, image };
    });
}
function parseNonNegativeInteger(name, value, hint) {
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw new errors/* InputError */.dz(name, `"${value}" is not a whole number${/^\d+$/.test(value) ? ' this action can hold' : ''}. ${hint}`);
    }
    return Number(value);
}
/** ECS's desiredCount is an Integer (32-bit signed) in the API reference; more cannot be sent. */
const MAX_DESIRED_COUNT = 2_147_483_647;
function parseDesiredCount(value) {
    const hint = 'Give the number of tasks, or leave it empty to keep the current count (auto scaling owns it).';
    const count = parseNonNegativeInteger(contract/* Input */.pd.DesiredCount, value, hint);
    if (count > MAX_DESIRED_COUNT) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.DesiredCount, `"${value}" is more than ${MAX_DESIRED_COUNT}, the largest count ECS's UpdateService takes (a 32-bit integer; a service runs at most 5,000 tasks by default). ${hint}`);
    }
    return count;
}
/** The longest wait `timeout` may ask for: a job on a self-hosted runner may run for 5 days. */
const MAX_TIMEOUT_MS = 120 * 3_600_000;
function parseTimeout(value) {
    const ms = (0,duration/* parseDurationMs */.y)(value);
    if (ms === undefined || ms <= 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Timeout, `invalid duration "${value}". Use number + unit: 30s, 5m, 1h (or 1h30m).`);
    }
    if (ms > MAX_TIMEOUT_MS) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Timeout, `"${value}" is longer than ${(0,duration/* formatDuration */.a)(MAX_TIMEOUT_MS)} (120h), the longest a job may run even on a self-hosted runner. Give a shorter duration.`);
    }
    return ms;
}
/** RunTask's documented limit on `overrides`: 8,192 characters, the JSON formatting included. */
const MAX_RUN_TASK_OVERRIDES = 8192;
function parsePreDeployCommand(value) {
    if (value === '')
        return undefined;
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch {
        parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.PreDeployCommand, `must be a JSON array of strings, the container command to run, e.g. ["bin/migrate", "--yes"] (got ${JSON.stringify(value)}).`);
    }
    const command = parsed;
    // RunTask takes at most 8,192 characters of overrides, JSON included; the container's name adds to it.
    const overrides = JSON.stringify({ containerOverrides: [{ name: '', command }] }).length;
    if (overrides > MAX_RUN_TASK_OVERRIDES) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.PreDeployCommand, `is ${overrides.toLocaleString('en-US')} characters as RunTask's overrides, and ECS takes at most ${MAX_RUN_TASK_OVERRIDES.toLocaleString('en-US')}. Put the long part in a script in the image and run that.`);
    }
    return command;
}
/**
 * A task definition file larger than this is refused unread. ECS's limit is 64 KiB of task definition; the
 * file may be YAML or indented JSON, so the file itself may be larger than what is registered, but not 16×.
 */
const MAX_TASK_DEFINITION_FILE_BYTES = 1024 * 1024;
function readTaskDefinitionFiles(value, services, cwd) {
    const files = new Map();
    const lines = parseList(value, { commas: false });
    const resolveFile = (service, file) => {
        const full = external_node_path_default().resolve(cwd, file);
        if (!isFile(full)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.TaskDefinition, `${file} does not exist (resolved to ${full}). Give the task definition file's path relative to the workspace.`);
        }
        const bytes = (0,external_node_fs_.statSync)(full).size;
        if (bytes > MAX_TASK_DEFINITION_FILE_BYTES) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.TaskDefinition, `${file} is ${bytes.toLocaleString('en-US')} bytes; ECS registers a task definition of at most 65,536 bytes (64 KiB), so this file cannot be one (not read). Give the task definition file, and keep large values out of it (secrets, environmentFiles).`);
        }
        files.set(service, full);
    };
    const [first] = lines;
    if (lines.length === 1 && first !== undefined && !first.includes('=')) {
        const [only, ...more] = services;
        if (more.length > 0 || only === undefined) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.TaskDefinition, `one file for ${services.length} services is ambiguous. Write one service=path line per service that has a file; services without a line deploy their current task definition.`);
        }
        resolveFile(only, first);
        return files;
    }
    for (const line of lines) {
        const eq = line.indexOf('=');
        const service = eq > 0 ? line.slice(0, eq).trim() : '';
        if (!services.includes(service)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.TaskDefinition, `"${line}" must be service=path with a service from ecs-service (${services.join(', ')}).`);
        }
        resolveFile(service, line.slice(eq + 1).trim());
    }
    return files;
}
function optional(key, value) {
    return (value === undefined ? {} : { [key]: value });
}
function readContainerRender(env, environment, c) {
    const given = [
        contract/* Input */.pd.Secrets,
        contract/* Input */.pd.DockerLabels,
        contract/* Input */.pd.LogConfigurationLogDriver,
        contract/* Input */.pd.LogConfigurationOptions,
        contract/* Input */.pd.Command,
    ].some((n) => raw(env, n) !== '');
    if (!given)
        return undefined;
    const logDriver = c.take(() => (0,render_container/* parseLogDriver */.Az)(raw(env, contract/* Input */.pd.LogConfigurationLogDriver)));
    const logOptions = c.take(() => (0,render_container/* parseLogOptions */.Ut)(raw(env, contract/* Input */.pd.LogConfigurationOptions)));
    return {
        secrets: c.take(() => (0,render_container/* parseSecrets */.dC)(raw(env, contract/* Input */.pd.Secrets), environment)) ?? [],
        dockerLabels: c.take(() => (0,render_container/* parseDockerLabels */.vC)(raw(env, contract/* Input */.pd.DockerLabels))) ?? [],
        logConfiguration: (0,render_container/* logConfigurationInput */.JX)(logDriver, logOptions ?? []),
        command: c.take(() => (0,render_container/* parseCommand */.RM)(raw(env, contract/* Input */.pd.Command))),
    };
}
function readEcsTarget(env, cwd, c) {
    const clusterValue = raw(env, contract/* Input */.pd.EcsCluster);
    const services = parseList(raw(env, contract/* Input */.pd.EcsService), { commas: false });
    if (!clusterValue && services.length === 0) {
        const stray = [
            contract/* Input */.pd.TaskDefinition,
            contract/* Input */.pd.Containers,
            contract/* Input */.pd.Environment,
            contract/* Input */.pd.Secrets,
            contract/* Input */.pd.DockerLabels,
            contract/* Input */.pd.LogConfigurationLogDriver,
            contract/* Input */.pd.LogConfigurationOptions,
            contract/* Input */.pd.Command,
            contract/* Input */.pd.DesiredCount,
            contract/* Input */.pd.PreDeployCommand,
            contract/* Input */.pd.AutoScaling,
        ].filter((n) => raw(env, n) !== '');
        const [firstStray] = stray;
        if (firstStray) {
            throw new errors/* InputError */.dz(firstStray, `only applies to a deploy. Set ecs-cluster and ecs-service (or eks-cluster and deployment), or remove ${stray.join(', ')}.`);
        }
        return undefined;
    }
    if (!clusterValue)
        throw new errors/* InputError */.dz(contract/* Input */.pd.EcsCluster, 'is required with ecs-service. Set it to the cluster the services run in.');
    if (services.length === 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EcsService, 'is required with ecs-cluster. Give the service name (several: one per line).');
    }
    const cluster = parseEcsName(contract/* Input */.pd.EcsCluster, clusterValue, 'cluster');
    for (const s of services)
        parseEcsName(contract/* Input */.pd.EcsService, s, 'service');
    if (new Set(services).size !== services.length) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EcsService, 'names a service twice.');
    }
    const desired = raw(env, contract/* Input */.pd.DesiredCount);
    const environment = c.take(() => parseKeyValues(contract/* Input */.pd.Environment, raw(env, contract/* Input */.pd.Environment)));
    return {
        kind: 'ecs',
        cluster,
        services,
        taskDefinitionFiles: c.take(() => readTaskDefinitionFiles(raw(env, contract/* Input */.pd.TaskDefinition), services, cwd)),
        containers: c.take(() => parseContainers(raw(env, contract/* Input */.pd.Containers))),
        environment,
        ...optional('render', readContainerRender(env, environment ?? [], c)),
        forceNewDeployment: c.take(() => parseBoolean(contract/* Input */.pd.ForceNewDeployment, raw(env, contract/* Input */.pd.ForceNewDeployment))),
        desiredCount: desired ? c.take(() => parseDesiredCount(desired)) : undefined,
        preDeployCommand: c.take(() => parsePreDeployCommand(raw(env, contract/* Input */.pd.PreDeployCommand))),
        autoScaling: c.take(() => parseAutoScaling(raw(env, contract/* Input */.pd.AutoScaling))),
    };
}
/** Without `wait` nothing would restore a suspended scale-in: the rollout then runs with scaling as it is. */
function scalingFollowsWait(target, wait) {
    if (target?.kind !== 'ecs' || !target.autoScaling || wait)
        return target;
    return { ...target, autoScaling: { ...target.autoScaling, suspendScaleIn: false } };
}
function readDeployOptions(env, c) {
    return {
        wait: c.take(() => parseBoolean(contract/* Input */.pd.Wait, raw(env, contract/* Input */.pd.Wait))),
        timeoutMs: c.take(() => parseTimeout(raw(env, contract/* Input */.pd.Timeout))),
        failFastAfter: c.take(() => parseNonNegativeInteger(contract/* Input */.pd.FailFastAfter, raw(env, contract/* Input */.pd.FailFastAfter), 'Give how many definitive task failures end the wait early (0 never ends it early).')),
        rollbackOnFailure: c.take(() => parseBoolean(contract/* Input */.pd.RollbackOnFailure, raw(env, contract/* Input */.pd.RollbackOnFailure))),
        rollbackOnCancel: c.take(() => parseBoolean(contract/* Input */.pd.RollbackOnCancel, raw(env, contract/* Input */.pd.RollbackOnCancel))),
        dryRun: c.take(() => parseBoolean(contract/* Input */.pd.DryRun, raw(env, contract/* Input */.pd.DryRun))),
    };
}
const LISTENER_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/(app|net)\/[A-Za-z0-9-]+\/[0-9a-f]+\/[0-9a-f]+$/;
const PREVIEW_ONLY = [
    contract/* Input */.pd.PreviewUrl,
    contract/* Input */.pd.PreviewListener,
    contract/* Input */.pd.PreviewDesiredCount,
    contract/* Input */.pd.AllowForkPreviews,
];
/** Outside a runner the default `${{ github.token }}` arrives unevaluated: that is no token. */
function githubToken(value) {
    return value && !value.startsWith('${{') ? value : undefined;
}
/** `preview`: true, false, or `cleanup` (handled by the caller). */
function parsePreviewFlag(value) {
    try {
        return parseBoolean(contract/* Input */.pd.Preview, value);
    }
    catch {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Preview, `"${value}" is not a preview mode. Use true (pull_request events), false, or cleanup (a scheduled run that removes the previews of closed PRs).`);
    }
}
/** An EKS preview: the manifests applied into `<namespace>-pr-<N>`; the ECS-only inputs are refused. */
function readEksPreview(env, target, cleanup, c) {
    if (!target.manifests) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Preview, 'with an EKS target needs manifests: a preview namespace gets its own copy of the objects, which deployment (a patch of existing Deployments) cannot make.');
    }
    for (const [name, hint] of [
        [contract/* Input */.pd.PreviewListener, 'on EKS the Ingress hosts are rewritten from preview-url instead'],
        [contract/* Input */.pd.PreviewDesiredCount, 'on EKS the manifests say the replicas'],
    ]) {
        if (raw(env, name) !== ACTION_DEFAULTS[name])
            throw new errors/* InputError */.dz(name, `applies to ECS previews only (${hint}).`);
    }
    const urlTemplate = raw(env, contract/* Input */.pd.PreviewUrl) || undefined;
    if (urlTemplate) {
        c.take(() => {
            try {
                (0,names/* renderPreviewUrl */._w)(urlTemplate, 1);
            }
            catch (error) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.PreviewUrl, error.message);
            }
        });
    }
    return {
        urlTemplate,
        listenerArn: undefined,
        desiredCount: 0,
        allowForks: c.take(() => parseBoolean(contract/* Input */.pd.AllowForkPreviews, raw(env, contract/* Input */.pd.AllowForkPreviews))),
        githubToken: githubToken(raw(env, contract/* Input */.pd.GithubToken)),
        ...(cleanup ? { cleanup } : {}),
    };
}
function readPreview(env, target, c) {
    const mode = raw(env, contract/* Input */.pd.Preview);
    // `cleanup` (a schedule or workflow_dispatch run): tear down the previews whose PR is closed.
    const cleanup = mode === 'cleanup';
    if (!cleanup && !parsePreviewFlag(mode)) {
        const stray = PREVIEW_ONLY.filter((n) => raw(env, n) !== ACTION_DEFAULTS[n]);
        const [first] = stray;
        if (first)
            throw new errors/* InputError */.dz(first, `only applies with preview: true. Set preview: true, or remove ${stray.join(', ')}.`);
        return undefined;
    }
    if (target?.kind === 'eks')
        return readEksPreview(env, target, cleanup, c);
    if (!target) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Preview, 'needs ecs-cluster and ecs-service (the base service the preview copies), or eks-cluster and manifests (the objects a preview namespace gets).');
    }
    if (target.services.length !== 1) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EcsService, 'with preview: true, give exactly one base service.');
    }
    for (const [name, hint] of [
        [contract/* Input */.pd.DesiredCount, "use preview-desired-count for the preview's tasks"],
        [contract/* Input */.pd.PreDeployCommand, 'a pre-deploy task is not run for previews'],
    ]) {
        if (raw(env, name) !== '')
            throw new errors/* InputError */.dz(name, `does not apply with preview: true (${hint}).`);
    }
    const urlTemplate = raw(env, contract/* Input */.pd.PreviewUrl) || undefined;
    if (urlTemplate) {
        c.take(() => {
            try {
                (0,names/* renderPreviewUrl */._w)(urlTemplate, 1);
            }
            catch (error) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.PreviewUrl, error.message);
            }
        });
    }
    const listenerArn = raw(env, contract/* Input */.pd.PreviewListener) || undefined;
    if (listenerArn) {
        if (!LISTENER_ARN.test(listenerArn)) {
            c.take(() => {
                throw new errors/* InputError */.dz(contract/* Input */.pd.PreviewListener, `"${listenerArn}" is not an ELBv2 listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>).`);
            });
        }
        if (!urlTemplate) {
            c.take(() => {
                throw new errors/* InputError */.dz(contract/* Input */.pd.PreviewUrl, 'is required with preview-listener: its host is what the listener rule matches.');
            });
        }
    }
    return {
        urlTemplate,
        listenerArn,
        desiredCount: c.take(() => parseNonNegativeInteger(contract/* Input */.pd.PreviewDesiredCount, raw(env, contract/* Input */.pd.PreviewDesiredCount), 'Give the number of tasks the preview runs.')),
        allowForks: c.take(() => parseBoolean(contract/* Input */.pd.AllowForkPreviews, raw(env, contract/* Input */.pd.AllowForkPreviews))),
        githubToken: githubToken(raw(env, contract/* Input */.pd.GithubToken)),
        ...(cleanup ? { cleanup } : {}),
    };
}
/**
 * Reads and validates every input. Throws before any side effect: the InputError, or InputErrors listing
 * every bad input when there are several.
 */
function readInputs({ env, cwd }) {
    const image = raw(env, contract/* Input */.pd.Image);
    const c = new InputChecks();
    const region = c.take(() => parseRegion(raw(env, contract/* Input */.pd.AwsRegion), env));
    const given = c.take(() => readTags(raw(env, contract/* Input */.pd.Tags)));
    const inputs = {
        registry: c.take(() => parseRegistry(raw(env, contract/* Input */.pd.Registry), region)),
        region,
        createRepository: c.take(() => parseBoolean(contract/* Input */.pd.CreateRepository, raw(env, contract/* Input */.pd.CreateRepository))),
        tagMutability: c.take(() => parseTagMutability(raw(env, contract/* Input */.pd.TagMutability))),
        tags: given?.tags ?? [],
        tagReferences: given && given.references.length > 0 ? given.references : undefined,
        tagRules: c.take(() => {
            const value = raw(env, contract/* Input */.pd.TagRules);
            const { rules, errors } = (0,tag_rules/* parseTagRules */.hh)(value);
            // Every bad line is its own error (readInputs throws them all below).
            c.errors.push(...errors);
            return value === '' ? undefined : rules;
        }),
        source: image ? c.take(() => readExistingImage(env, image)) : readBuild(env, cwd, c),
        target: c.take(() => readTarget(env, cwd, c)),
        deploy: readDeployOptions(env, c),
        assumeRole: c.take(() => parseAssumeRole({
            roleToAssume: raw(env, contract/* Input */.pd.RoleToAssume),
            roleSessionName: raw(env, contract/* Input */.pd.RoleSessionName),
            roleDuration: raw(env, contract/* Input */.pd.RoleDuration),
        }, env)),
        preview: undefined,
    };
    const preview = c.take(() => readPreview(env, inputs.target, c));
    const repository = inputs.source?.kind === 'build' ? inputs.source.repository : inputs.source?.reference.path;
    if (inputs.tagReferences && repository) {
        // The registry host is only known from ECR's answer; the repository can be checked now.
        const error = (0,tag_rules/* tagReferenceMismatch */._S)(inputs.tagReferences, { host: undefined, repository });
        if (error)
            c.errors.push(error);
    }
    const [first, ...more] = c.errors;
    if (first)
        throw more.length > 0 ? new errors/* InputErrors */.G(c.errors) : first;
    return { ...inputs, preview, target: scalingFollowsWait(inputs.target, inputs.deploy.wait) };
}

// EXTERNAL MODULE: ./deploy/types.ts
var types = __webpack_require__(7931);
// EXTERNAL MODULE: ./cancel.ts
var cancel = __webpack_require__(1908);
;// CONCATENATED MODULE: ./main.ts






const NOT_CANCELLED = { signal: new AbortController().signal };
/**
 * The step, phase by phase. Everything that can be checked is checked before anything changes: the inputs
 * (before the AWS SDK is even loaded), the repository and the deploy target (read only); then the image is
 * published, deployed and waited for, and one report is written — also when the run is cancelled: then
 * builds are stopped, every target says where it stands, and the outputs say `cancelled`.
 */
async function main(step = NOT_CANCELLED) {
    const { signal } = step;
    const env = process.env;
    const startedAt = new Date();
    for (const { given, closest } of unknownInputs(env)) {
        actions_core/* warning */.$e(`"${given}" is not an input of this action and is ignored.${closest ? ` Did you mean "${closest}"?` : ''}`);
    }
    const inputs = readInputs({ env, cwd: process.cwd() });
    /** The CloudTrail pointer of the summary: this step's calls, from its start until now. */
    const audit = () => ({ region: inputs.region, startedAt, endedAt: new Date(), runId: env.GITHUB_RUN_ID });
    const payload = readEventPayload(env);
    const github = readGithubContext(env, payload);
    const plan = planTags(github, inputs.tags, inputs.tagRules);
    const [{ locateImage, publishImage }, { createEcrClient }, { writeReport }, { setUpStepCredentials }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(455), __webpack_require__.e(543), __webpack_require__.e(715)]).then(__webpack_require__.bind(__webpack_require__, 7715)),
        Promise.all(/* import() */[__webpack_require__.e(455), __webpack_require__.e(543), __webpack_require__.e(918)]).then(__webpack_require__.bind(__webpack_require__, 5918)),
        __webpack_require__.e(/* import() */ 514).then(__webpack_require__.bind(__webpack_require__, 9514)),
        Promise.all(/* import() */[__webpack_require__.e(455), __webpack_require__.e(543), __webpack_require__.e(670)]).then(__webpack_require__.bind(__webpack_require__, 2670)),
    ]);
    const credentials = await setUpStepCredentials({ inputs, env });
    // Previews: `closed` tears down (no image); other PR events deploy the preview instead of the base.
    const preview = inputs.preview
        ? await (await Promise.all(/* import() */[__webpack_require__.e(455), __webpack_require__.e(543), __webpack_require__.e(637), __webpack_require__.e(218), __webpack_require__.e(181), __webpack_require__.e(408), __webpack_require__.e(3), __webpack_require__.e(11), __webpack_require__.e(118)]).then(__webpack_require__.bind(__webpack_require__, 7118))).startPreview(inputs, github, payload, env)
        : undefined;
    if (preview?.kind === 'torn-down')
        return;
    const context = { inputs, github, plan, env, signal, ecr: createEcrClient({ region: inputs.region, env }) };
    const { dryRun } = inputs.deploy;
    let phase = 'looking up the image and the deploy target';
    let target;
    let image;
    let reported = false;
    const cancelled = (what) => {
        reported = true;
        const why = signal.reason instanceof Error ? signal.reason.message : 'the step was cancelled';
        return new cancel/* CancelledError */.cc(`${why[0]?.toUpperCase() ?? ''}${why.slice(1)} while ${phase}: ${what}`);
    };
    try {
        const location = await locateImage(context);
        const deployTarget = inputs.target;
        const run = deployTarget ? await Promise.all(/* import() */[__webpack_require__.e(455), __webpack_require__.e(543), __webpack_require__.e(11)]).then(__webpack_require__.bind(__webpack_require__, 6011)) : undefined;
        target =
            run && deployTarget
                ? await (preview?.kind === 'deploy'
                    ? preview.prepare(location.repositoryUri)
                    : run.prepareDeploy({ ...inputs, target: deployTarget }, env, location.repositoryUri))
                : undefined;
        if (signal.aborted)
            throw signal.reason;
        phase = location.kind === 'build' ? 'building and pushing the image' : 'tagging the image';
        // With a deploy, `latest`, `1`, the branch … move only once it is verified.
        const published = await publishImage(context, location, { holdFloatingTags: Boolean(target) && !dryRun });
        image = dryRun ? undefined : published.report;
        if (signal.aborted)
            throw signal.reason;
        if (!run || !target) {
            await writeReport({ image, results: undefined });
            return;
        }
        phase = 'deploying';
        const results = credentials.explain(await run.deploy(target, {
            imageRef: `${published.report.repositoryUri}@${published.report.digest}`,
            repositoryUri: published.report.repositoryUri,
        }, signal));
        const failed = results.filter((r) => !types/* SUCCESSFUL */.D.has(r.status));
        if (results.some((r) => r.status === 'cancelled')) {
            const error = cancelled('each target above says where it stands and what the platform does next.');
            if (published.held.length > 0) {
                actions_core/* warning */.$e(`Not moved to this image, because the deploy was cancelled: ${published.held.map((t) => t.name).join(', ')}.`);
            }
            await writeReport({ image, results, cancelled: error.message, audit: audit() });
            throw error;
        }
        let report = published.report;
        let tagError;
        if (published.held.length > 0) {
            if (failed.length === 0) {
                try {
                    report = await published.moveHeldTags();
                }
                catch (error) {
                    tagError = error instanceof Error ? error : new Error(String(error));
                }
            }
            else {
                actions_core/* warning */.$e(`Not moved to this image, because the deploy did not complete: ${published.held.map((t) => t.name).join(', ')}.`);
            }
        }
        await writeReport({
            image: dryRun ? undefined : report,
            results,
            ...(dryRun ? {} : { audit: audit() }),
            stepFails: tagError !== undefined,
        });
        if (failed.length > 0)
            throw new types/* RolloutFailedError */.Z(describeFailures(failed), results);
        if (tagError)
            throw new Error(`The deploy completed, but the tags could not be moved: ${tagError.message}`);
    }
    catch (error) {
        // Once the deploy has started, its results are the report (the driver never throws).
        if (!signal.aborted || reported || phase === 'deploying')
            throw error;
        // Cancelled before any target changed: nothing was deployed (a build was stopped, its folder removed).
        const stopped = cancelled(`nothing was deployed${phase.startsWith('building') ? '; the build was stopped and its folder removed' : ''}.`);
        await writeReport({
            image,
            results: target?.notDeployed('cancelled', 'the step was cancelled before the deploy started; nothing was changed'),
            cancelled: stopped.message,
        });
        throw stopped;
    }
}
function describeFailures(results) {
    return results.map((r) => `${r.name}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`).join('\n');
}


/***/ }),

/***/ 5803:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ee: () => (/* binding */ serviceNameOf),
/* harmony export */   JY: () => (/* binding */ previewNames),
/* harmony export */   _w: () => (/* binding */ renderPreviewUrl),
/* harmony export */   dl: () => (/* binding */ fitName),
/* harmony export */   nI: () => (/* binding */ familyOfArn)
/* harmony export */ });
/* unused harmony exports ECS_NAME_MAX, TARGET_GROUP_NAME_MAX, PreviewUrlError */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
// Pure: names and URLs of a PR's preview. Deterministic: the same base and PR number give the same names
// on every run, so re-runs and the teardown find what an earlier run made.

/** ECS service and task definition family names: 255 characters. */
const ECS_NAME_MAX = 255;
/** ELBv2 target group names: 32 characters, letters, digits and hyphens, no hyphen at either end. */
const TARGET_GROUP_NAME_MAX = 32;
function shortHash(text) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text).digest('hex').slice(0, 6);
}
/**
 * Pure: `<base><suffix>`, fitted into `max` characters. A base that does not fit is cut and a hash of the
 * whole base is put before the suffix, so two long bases that share their start still get different names.
 */
function fitName(base, suffix, max) {
    const whole = `${base}${suffix}`;
    if (whole.length <= max)
        return whole;
    const hash = shortHash(base);
    const room = max - suffix.length - hash.length - 1;
    if (room < 1)
        throw new Error(`"${suffix}" leaves no room for a name of at most ${max} characters`);
    return `${base.slice(0, room).replace(/[-_]+$/, '')}-${hash}${suffix}`;
}
/** Pure: the last segment of a service ARN, or the name as given. */
function serviceNameOf(ref) {
    return ref.split('/').at(-1) ?? ref;
}
/** Pure: the family of a task definition ARN (`…:task-definition/web:7` → `web`). */
function familyOfArn(arn) {
    return (arn.split('/').at(-1) ?? arn).replace(/:\d+$/, '');
}
/** Pure: every name of PR `pr`'s preview of `baseService` (name or ARN) running family `baseFamily`. */
function previewNames(baseService, baseFamily, pr) {
    const suffix = `-pr-${pr}`;
    const base = serviceNameOf(baseService);
    const tgBase = base.replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+/, '') || 'preview';
    return {
        pr,
        service: fitName(base, suffix, ECS_NAME_MAX),
        family: fitName(baseFamily, suffix, ECS_NAME_MAX),
        targetGroup: fitName(tgBase.replace(/-+$/, ''), suffix, TARGET_GROUP_NAME_MAX),
        tag: `pr-${pr}`,
    };
}
class PreviewUrlError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PreviewUrlError';
    }
}
/** Pure: the preview's URL (`{number}` replaced) and the host the listener rule matches. */
function renderPreviewUrl(template, pr) {
    const url = template.replaceAll('{number}', String(pr));
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new PreviewUrlError(`"${template}" is not a URL. Write e.g. https://pr-{number}.preview.example.com`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new PreviewUrlError(`"${template}" is not an http(s) URL.`);
    }
    if (/[{}]/.test(parsed.hostname) || /[{}]/.test(url)) {
        throw new PreviewUrlError(`"${template}" has a placeholder other than {number}.`);
    }
    // A host-header condition value: up to 128 characters (ELBv2 API reference, HostHeaderConditionConfig).
    if (parsed.hostname.length > 128) {
        throw new PreviewUrlError(`the host of "${url}" is longer than a listener rule allows (128 characters).`);
    }
    return { url, host: parsed.hostname };
}


/***/ })

};
