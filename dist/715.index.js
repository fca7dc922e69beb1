export const id = 715;
export const ids = [715,918];
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

/***/ 7715:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DRY_RUN_DIGEST: () => (/* binding */ DRY_RUN_DIGEST),
  locateImage: () => (/* binding */ locateImage),
  publishImage: () => (/* binding */ publishImage),
  splitHeldTags: () => (/* binding */ splitHeldTags)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./actions-core.ts
var actions_core = __webpack_require__(3995);
// EXTERNAL MODULE: ../node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(7543);
// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./errors.ts
var errors = __webpack_require__(1169);
;// CONCATENATED MODULE: ./registry/tag-mutability.ts
function wildcardMatches(filter, tag) {
    const pattern = filter.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${pattern.join('.*')}$`).test(tag);
}
/**
 * Whether ECR refuses to move this tag once it exists. With the `*_WITH_EXCLUSION` settings the exclusion
 * filters (wildcards) flip the repository's rule for the tags they match.
 */
function isTagImmutable(tag, mutability, filters) {
    const excluded = () => filters.some((f) => f.filter !== undefined && wildcardMatches(f.filter, tag));
    switch (mutability) {
        case 'IMMUTABLE':
            return true;
        case 'IMMUTABLE_WITH_EXCLUSION':
            return !excluded();
        case 'MUTABLE_WITH_EXCLUSION':
            return excluded();
        default:
            return false;
    }
}

;// CONCATENATED MODULE: ./image/tag-policy.ts

/**
 * Pure: which planned tags the repository lets us apply. In an immutable repository an automatic floating
 * tag (`latest`, `1`, `1.2`, branch, `pr-N`) would fail on its second use, so it is skipped with a notice —
 * unless an exclusion filter keeps it mutable. Explicit tags are never skipped.
 */
function decideTags(plan, rules) {
    const apply = [];
    const skipped = [];
    const immutable = [];
    for (const tag of plan.tags) {
        const fixed = isTagImmutable(tag.name, rules.tagMutability, rules.exclusionFilters);
        if (fixed && tag.floating && tag.source !== 'explicit') {
            skipped.push({
                tag: tag.name,
                reason: `the repository's tags are immutable (${rules.tagMutability}) and "${tag.name}" moves from image to image; add an exclusion filter for it to have it set`,
            });
            continue;
        }
        if (fixed)
            immutable.push(tag.name);
        apply.push(tag);
    }
    const primary = apply.some((t) => t.name === plan.primary)
        ? plan.primary
        : (apply[0]?.name ?? plan.commitTag);
    return { apply, primary, skipped, immutable };
}

// EXTERNAL MODULE: ./image/tag-rules.ts
var tag_rules = __webpack_require__(7356);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./child-env.ts
// What a child process (a builder, a push, a probe) sees of the step's environment: only what it needs to
// find its tools, its engine, its registry login and the network. The step's own environment holds the AWS
// credentials, every input (INPUT_*, build secrets among them) and the runner's tokens; none of it is a
// child's business unless a build secret names a variable explicitly.
/** Variables a builder or its helpers may need, by exact name. */
const NAMES = new Set([
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'TMPDIR',
    'TZ',
    'LANG',
    'LANGUAGE',
    // Where the registry login lives (Docker's config, buildah/podman's auth file).
    'DOCKER_CONFIG',
    'REGISTRY_AUTH_FILE',
    // Which engine, and how to reach it.
    'DOCKER_HOST',
    'DOCKER_CONTEXT',
    'DOCKER_TLS_VERIFY',
    'DOCKER_CERT_PATH',
    'DOCKER_API_VERSION',
    'DOCKER_BUILDKIT',
    'DOCKER_DEFAULT_PLATFORM',
    'BUILDKIT_PROGRESS',
    'XDG_RUNTIME_DIR',
    'XDG_CONFIG_HOME',
    'XDG_DATA_HOME',
    // Trust and the network.
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'NO_PROXY',
    'ALL_PROXY',
    'http_proxy',
    'https_proxy',
    'no_proxy',
    'all_proxy',
]);
/** Families of variables the builders define for themselves (buildx, buildah, containers/*, storage, locale). */
const PREFIXES = ['LC_', 'BUILDX_', 'BUILDAH_', 'CONTAINERS_', 'STORAGE_'];
function isChildVariable(name) {
    return NAMES.has(name) || PREFIXES.some((p) => name.startsWith(p));
}
/** Pure: the environment of a child process, from the step's. */
function childEnvironment(env, options = {}) {
    const pass = new Set(options.pass ?? []);
    const out = {};
    for (const [name, value] of Object.entries(env)) {
        if (value !== undefined && (isChildVariable(name) || pass.has(name)))
            out[name] = value;
    }
    return { ...out, ...options.set };
}

;// CONCATENATED MODULE: ./image/builder.ts





const TAIL = 64 * 1024;
/** After SIGTERM to a cancelled child's process group, how long before SIGKILL. */
const KILL_AFTER_MS = 2000;
/**
 * Starts a child in its own process group, so that a cancel stops it with everything it started (a build's
 * helpers, a shell's commands). Resolves with the exit code once the child has ended; 127 when it cannot
 * start (not installed).
 */
function runChild(command, args, options) {
    return new Promise((resolve) => {
        if (options.signal?.aborted)
            return resolve(130);
        const child = (0,external_node_child_process_.spawn)(command, [...args], {
            env: options.env,
            detached: true,
            stdio: ['ignore', options.onOutput ? 'pipe' : 'ignore', options.onOutput ? 'pipe' : 'ignore'],
        });
        let killTimer;
        const kill = (signal) => {
            try {
                if (child.pid)
                    process.kill(-child.pid, signal);
            }
            catch {
                // already gone
            }
        };
        const stop = () => {
            kill('SIGTERM');
            killTimer = setTimeout(() => kill('SIGKILL'), KILL_AFTER_MS);
        };
        options.signal?.addEventListener('abort', stop, { once: true });
        const { onOutput } = options;
        if (onOutput) {
            child.stdout?.on('data', (d) => onOutput(d, 'stdout'));
            child.stderr?.on('data', (d) => onOutput(d, 'stderr'));
        }
        let settled = false;
        const done = (code) => {
            if (settled)
                return;
            settled = true;
            options.signal?.removeEventListener('abort', stop);
            if (killTimer)
                clearTimeout(killTimer);
            // Whatever the child's own children still are, they go with it.
            if (options.signal?.aborted)
                kill('SIGKILL');
            resolve(code);
        };
        child.on('error', () => done(127));
        child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
    });
}
function createCommandRunner(options) {
    const { env, signal } = options;
    const stdout = options.stdout ?? process.stdout;
    const stderr = options.stderr ?? process.stderr;
    return {
        async run(command, runOptions = {}) {
            let output = '';
            actions_core/* info */.pq(`[command]${[command.command, ...command.args].join(' ')}`);
            const exitCode = await runChild(command.command, command.args, {
                env: childEnvironment(env, { set: runOptions.env, pass: runOptions.pass }),
                signal,
                onOutput: (data, stream) => {
                    (stream === 'stdout' ? stdout : stderr).write(data);
                    output = (output + data.toString('utf8')).slice(-TAIL);
                },
            });
            return { exitCode, output };
        },
        async probe(command, args) {
            return (await runChild(command, args, { env: childEnvironment(env), signal })) === 0;
        },
    };
}
/**
 * Picks the builder by probing: buildx where the plugin works, else the Docker engine's own builder, else
 * buildah. Inputs that only buildx can honour are errors with the others, before anything is built.
 */
async function chooseBuilder(choice, needs, runner) {
    let kind;
    if (choice === 'buildah') {
        if (!(await runner.probe('buildah', ['--version']))) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Builder, 'buildah was asked for but is not installed. Install buildah, or set builder: auto.');
        }
        kind = 'buildah';
    }
    else {
        // Probed together: each is a process start, and `docker info` waits for the engine.
        const [buildx, engine, buildah] = await Promise.all([
            runner.probe('docker', ['buildx', 'version']),
            runner.probe('docker', ['info']),
            choice === 'auto' ? runner.probe('buildah', ['--version']) : Promise.resolve(false),
        ]);
        kind = buildx ? 'buildx' : engine ? 'docker' : buildah ? 'buildah' : undefined;
    }
    if (!kind) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Builder, choice === 'docker'
            ? 'no Docker engine answers (docker info failed). Start Docker, or set builder: buildah.'
            : 'no image builder found: neither docker (buildx or a running engine) nor buildah works here. Install one of them.');
    }
    if (kind !== 'buildx') {
        if (needs.platforms.length > 0) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Platforms, `needs docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action before this step, or leave platforms empty.`);
        }
        if (needs.cache) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Cache, `a build cache needs docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action, or leave cache empty.`);
        }
        if (needs.provenance) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Provenance, `provenance attestations need docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action, or set provenance: false.`);
        }
    }
    if (kind === 'docker' && needs.secrets.length > 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.BuildSecrets, 'the legacy Docker builder (no buildx on this runner) cannot pass build secrets. Add docker/setup-buildx-action, or set builder: buildah.');
    }
    return kind;
}

;// CONCATENATED MODULE: ./image/build-command.ts
function common(spec) {
    const args = ['--file', spec.dockerfile, '--tag', spec.image];
    for (const a of spec.buildArgs)
        args.push('--build-arg', `${a.name}=${a.value}`);
    for (const l of spec.labels)
        args.push('--label', `${l.name}=${l.value}`);
    if (spec.target)
        args.push('--target', spec.target);
    return args;
}
/**
 * `--secret` arguments (the same syntax for buildx and buildah) and the environment that carries the
 * values: a value given inline travels in a variable of the builder's process only, never on argv or disk.
 */
function secretArgs(secrets) {
    const args = [];
    const env = {};
    secrets.forEach((secret, i) => {
        const { source } = secret;
        let from;
        if (source.kind === 'file')
            from = `src=${source.path}`;
        else if (source.kind === 'env')
            from = `env=${source.name}`;
        else {
            const name = `ECR_DEPLOY_SECRET_${i}`;
            env[name] = source.value;
            from = `env=${name}`;
        }
        args.push('--secret', `id=${secret.id},${from}`);
    });
    return { args, env };
}
/** buildx cache flags. ECR accepts a registry cache only as an image manifest with OCI media types. */
function cacheArgs(spec) {
    switch (spec.cache) {
        case 'registry':
            return [
                '--cache-from',
                `type=registry,ref=${spec.cacheRef}`,
                '--cache-to',
                `type=registry,ref=${spec.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`,
            ];
        case 'gha':
            return ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max'];
        default:
            return [];
    }
}
/**
 * Pure: the commands that build `spec.image` and push it. The registry password never appears here: Docker
 * reads it from DOCKER_CONFIG, buildah from the auth file.
 */
function buildCommands(kind, spec) {
    const secrets = secretArgs(spec.secrets);
    switch (kind) {
        case 'buildx':
            return [
                {
                    command: 'docker',
                    args: [
                        'buildx',
                        'build',
                        ...common(spec),
                        ...secrets.args,
                        ...cacheArgs(spec),
                        ...(spec.platforms.length > 0 ? ['--platform', spec.platforms.join(',')] : []),
                        `--provenance=${spec.provenance ? 'mode=min' : 'false'}`,
                        '--push',
                        '--metadata-file',
                        spec.metadataFile,
                        spec.context,
                    ],
                    env: secrets.env,
                },
            ];
        case 'docker':
            return [
                // Chosen because buildx is missing: say so, or a BuildKit-default CLI refuses or half-works.
                { command: 'docker', args: ['build', ...common(spec), spec.context], env: { DOCKER_BUILDKIT: '0' } },
                { command: 'docker', args: ['push', spec.image] },
            ];
        case 'buildah':
            return [
                // Docker format keeps HEALTHCHECK and SHELL, which the OCI image config has no field for.
                {
                    command: 'buildah',
                    args: ['bud', '--format', 'docker', ...common(spec), ...secrets.args, spec.context],
                    env: secrets.env,
                },
                {
                    command: 'buildah',
                    args: [
                        'push',
                        '--authfile',
                        spec.authFile,
                        '--digestfile',
                        spec.digestFile,
                        spec.image,
                        `docker://${spec.image}`,
                    ],
                },
            ];
    }
}
/** The label that links an image to the workflow run that built it. */
const RUN_URL_LABEL = 'dev.ecr-deploy.run-url';
/**
 * The standard OCI labels every image gets, and the run that built it. The run URL is a label only: it is no
 * part of the build-inputs hash, so a re-run of the same commit still reuses the image (which keeps the URL of
 * the run that built it).
 */
function ociLabels(oci) {
    return [
        { name: 'org.opencontainers.image.source', value: oci.source },
        { name: 'org.opencontainers.image.revision', value: oci.revision },
        { name: 'org.opencontainers.image.created', value: oci.created },
        ...(oci.runUrl ? [{ name: RUN_URL_LABEL, value: oci.runUrl }] : []),
    ];
}
/** Pure: `<server>/<owner/name>/actions/runs/<id>` from the runner's variables; undefined outside a run. */
function workflowRunUrl(env) {
    const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
    if (!repository || !runId)
        return undefined;
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    return `${server}/${repository}/actions/runs/${runId}`;
}
/** The action's labels, then the user's; a user label of the same name wins. */
function mergeLabels(ours, user) {
    const userNames = new Set(user.map((l) => l.name));
    return [...ours.filter((l) => !userNames.has(l.name)), ...user];
}
const DIGEST = /\bdigest: (sha256:[0-9a-f]{64})\b/;
/** `docker push` ends with `<tag>: digest: sha256:… size: N`: the manifest digest the registry accepted. */
function digestFromDockerPush(output) {
    const lines = output.split('\n').filter((l) => DIGEST.test(l));
    const last = lines.at(-1);
    return last ? DIGEST.exec(last)?.[1] : undefined;
}
/** buildx `--metadata-file`: `containerimage.digest` is the pushed manifest (or index) digest. */
function digestFromBuildxMetadata(json) {
    const meta = JSON.parse(json);
    const digest = meta['containerimage.digest'];
    return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./aws/errors.ts
var aws_errors = __webpack_require__(3343);
// EXTERNAL MODULE: ./cancel.ts
var cancel = __webpack_require__(1908);
;// CONCATENATED MODULE: ./registry/images.ts


function where(repo) {
    return { repositoryName: repo.name, registryId: repo.registryId };
}
/** The digest each existing tag points at; tags that do not exist are absent. One call for all tags. */
async function findTags(ecr, repo, tags) {
    const found = new Map();
    if (tags.length === 0)
        return found;
    let details = [];
    try {
        const out = await ecr.send(new dist_cjs/* DescribeImagesCommand */.ji5({ ...where(repo), imageIds: tags.map((imageTag) => ({ imageTag })) }));
        details = out.imageDetails ?? [];
    }
    catch (error) {
        // DescribeImages fails the whole call when one id is missing; ask tag by tag then.
        if ((0,aws_errors/* errorName */.Is)(error) !== 'ImageNotFoundException') {
            throw (0,aws_errors/* describeAwsError */.Pp)('DescribeImages', error, {
                permission: 'ecr:DescribeImages',
                subject: `repository ${repo.name}`,
            });
        }
        if (tags.length === 1)
            return found;
        for (const tag of tags) {
            for (const [t, d] of await findTags(ecr, repo, [tag]))
                found.set(t, d);
        }
        return found;
    }
    const wanted = new Set(tags);
    for (const detail of details) {
        for (const tag of detail.imageTags ?? []) {
            if (wanted.has(tag) && detail.imageDigest)
                found.set(tag, detail.imageDigest);
        }
    }
    return found;
}
async function describeImage(ecr, repo, digest) {
    try {
        const out = await ecr.send(new dist_cjs/* DescribeImagesCommand */.ji5({ ...where(repo), imageIds: [{ imageDigest: digest }] }));
        const detail = out.imageDetails?.[0];
        if (detail)
            return detail;
    }
    catch (error) {
        if ((0,aws_errors/* errorName */.Is)(error) !== 'ImageNotFoundException') {
            throw (0,aws_errors/* describeAwsError */.Pp)('DescribeImages', error, {
                permission: 'ecr:DescribeImages',
                subject: `image ${digest}`,
            });
        }
    }
    throw new Error(`ECR does not know image ${digest} in ${repo.uri}, although the push reported it.`);
}
async function getManifest(ecr, repo, digest) {
    let out;
    try {
        out = await ecr.send(new dist_cjs/* BatchGetImageCommand */.P8n({
            ...where(repo),
            imageIds: [{ imageDigest: digest }],
            // Ask for every form so ECR returns the manifest as pushed (an index stays an index).
            acceptedMediaTypes: [
                'application/vnd.docker.distribution.manifest.v2+json',
                'application/vnd.docker.distribution.manifest.list.v2+json',
                'application/vnd.oci.image.manifest.v1+json',
                'application/vnd.oci.image.index.v1+json',
            ],
        }));
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('BatchGetImage', error, {
            permission: 'ecr:BatchGetImage',
            subject: `image ${digest}`,
        });
    }
    const image = out.images?.[0];
    if (!image?.imageManifest) {
        const failure = out.failures?.[0];
        throw new Error(`BatchGetImage found no manifest for ${digest}: ${failure?.failureCode ?? ''} ${failure?.failureReason ?? ''}`);
    }
    return { body: image.imageManifest, mediaType: image.imageManifestMediaType };
}
/** Adds a tag to an existing manifest (no upload). ECR answers ImageAlreadyExists when it is already there. */
async function putTag(ecr, repo, manifest, digest, tag) {
    try {
        await ecr.send(new dist_cjs/* PutImageCommand */.SUU({
            ...where(repo),
            imageManifest: manifest.body,
            imageManifestMediaType: manifest.mediaType,
            imageDigest: digest,
            imageTag: tag,
        }));
        return 'added';
    }
    catch (error) {
        if ((0,aws_errors/* errorName */.Is)(error) === 'ImageAlreadyExistsException')
            return 'already-there';
        throw error;
    }
}

;// CONCATENATED MODULE: ./image/publish.ts









class BuildFailedError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BuildFailedError';
    }
}
/**
 * Before building: a tag ECR will not move must be new (or already on this commit's image, which the next
 * step would then rebuild and fail to push). Checked first so nothing is pushed under a tag we then refuse.
 */
async function checkImmutableTags(ecr, repo, decision, reusedDigest) {
    const taken = await findTags(ecr, repo, decision.immutable);
    for (const [tag, digest] of taken) {
        if (digest === reusedDigest)
            continue; // already on the image we are about to tag
        const explicit = decision.apply.find((t) => t.name === tag)?.source === 'explicit';
        throw new errors/* InputError */.dz(explicit ? contract/* Input */.pd.Tags : contract/* Input */.pd.Repository, `tag "${tag}" already exists in ${repo.uri} (${repo.tagMutability}) on ${digest}, and ECR will not move it to a new build. ` +
            (explicit
                ? 'Use a new tag, or deploy the existing image by digest.'
                : 'This commit was already built and pushed; deploy that image by digest, or make the repository MUTABLE.'));
    }
}
function tail(output, lines = 25) {
    return output.trimEnd().split('\n').slice(-lines).join('\n');
}
/** Builds and pushes once, under the commit tag; returns the manifest digest the registry reported. */
async function buildAndPush(options) {
    const { build, repo, runner } = options;
    const work = (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(options.tempParent, 'ecr-deploy-build-'));
    try {
        const spec = {
            context: build.context,
            dockerfile: build.dockerfile,
            buildArgs: build.buildArgs,
            target: build.target,
            platforms: build.platforms,
            labels: mergeLabels(options.extraLabels, build.labels),
            provenance: build.provenance,
            secrets: build.secrets,
            cache: build.cache,
            cacheRef: `${repo.uri}:buildcache`,
            image: `${repo.uri}:${options.commitTag}`,
            metadataFile: external_node_path_default().join(work, 'metadata.json'),
            digestFile: external_node_path_default().join(work, 'digest'),
            authFile: external_node_path_default().join(options.dockerConfig, 'config.json'),
        };
        let lastOutput = '';
        for (const command of buildCommands(options.builder, spec)) {
            // The command's own variables (inline build secrets, DOCKER_BUILDKIT=0 for the legacy builder), the
            // registry login and the variables a build secret names reach the child; the rest of the step's
            // environment (AWS credentials, inputs) does not.
            const { exitCode, output } = await runner.run(command, {
                env: { ...command.env, DOCKER_CONFIG: options.dockerConfig },
                pass: build.secrets.flatMap((s) => (s.source.kind === 'env' ? [s.source.name] : [])),
            });
            lastOutput = output;
            if (options.signal?.aborted) {
                throw new cancel/* CancelledError */.cc(`${command.command} ${command.args[0] ?? ''} was stopped: the step was cancelled.`);
            }
            if (exitCode !== 0) {
                const step = `${command.command} ${command.args.slice(0, command.command === 'docker' && command.args[0] === 'buildx' ? 2 : 1).join(' ')}`;
                throw new BuildFailedError(`${step} failed with exit code ${exitCode}. Its last lines:\n${tail(output)}`);
            }
        }
        let digest;
        if (options.builder === 'buildx')
            digest = digestFromBuildxMetadata((0,external_node_fs_.readFileSync)(spec.metadataFile, 'utf8'));
        else if (options.builder === 'buildah')
            digest = (0,external_node_fs_.readFileSync)(spec.digestFile, 'utf8').trim();
        else
            digest = digestFromDockerPush(lastOutput);
        if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
            throw new Error(`The push of ${spec.image} did not report a manifest digest.`);
        }
        return digest;
    }
    finally {
        (0,external_node_fs_.rmSync)(work, { recursive: true, force: true });
    }
}
/**
 * After the push: confirm with ECR that the commit tag points at the digest the push reported, then add
 * every other tag to that manifest with PutImage (no re-upload; an index stays an index).
 */
async function applyTags(ecr, repo, decision, pushed) {
    const { digest, commitTag } = pushed;
    const detail = await describeImage(ecr, repo, digest);
    if (commitTag && !detail.imageTags?.includes(commitTag)) {
        const actual = (await findTags(ecr, repo, [commitTag])).get(commitTag);
        throw new Error(`The push reported ${digest}, but ECR has ${repo.uri}:${commitTag} on ${actual ?? 'no image'}. Another job may have pushed the same tag at the same time; run the step again.`);
    }
    const manifest = await getManifest(ecr, repo, digest);
    const tags = [];
    for (const tag of decision.apply) {
        if (detail.imageTags?.includes(tag.name)) {
            tags.push(tag.name);
            continue;
        }
        try {
            const result = await putTag(ecr, repo, manifest, digest, tag.name);
            actions_core/* info */.pq(`Tagged ${tag.name}${result === 'already-there' ? ' (already there)' : ''}`);
            tags.push(tag.name);
        }
        catch (error) {
            if ((0,aws_errors/* errorName */.Is)(error) === 'ImageTagAlreadyExistsException') {
                const other = (await findTags(ecr, repo, [tag.name])).get(tag.name) ?? 'another image';
                throw new errors/* InputError */.dz(tag.source === 'explicit' ? contract/* Input */.pd.Tags : contract/* Input */.pd.Repository, `tag "${tag.name}" already exists in ${repo.uri} on ${other}, and the repository's tags are immutable, so it cannot move to ${digest}. ` +
                    'Use a new tag, or make the tag mutable with an exclusion filter.');
            }
            throw (0,aws_errors/* describeAwsError */.Pp)('PutImage', error, { permission: 'ecr:PutImage', subject: `tag ${tag.name}` });
        }
    }
    return { tags, sizeBytes: detail.imageSizeInBytes };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./image/reuse.ts


/** The label that records which build inputs produced an image; with the revision label it keys reuse. */
const BUILD_INPUTS_LABEL = 'ecr-deploy.build-inputs';
const REVISION_LABEL = 'org.opencontainers.image.revision';
/**
 * Pure: a hash of everything besides the commit that changes what gets built: the checked-out commit, the
 * Dockerfile's path and content, build arguments (names and values, in order), target and platforms. Secrets are left out on
 * purpose: a hash of a secret would be published in the image's labels.
 */
function buildInputsHash(build, dockerfileContent, workspace, checkedOut = '') {
    const canonical = JSON.stringify({
        v: 1,
        // The commit the workspace holds (GITHUB_SHA): a pull request builds its merge commit, which is not
        // the head commit the image is labelled with, so its image is reused only for the same merge.
        checkedOut,
        dockerfile: external_node_path_default().relative(workspace, build.dockerfile).split((external_node_path_default()).sep).join('/'),
        context: external_node_path_default().relative(workspace, build.context).split((external_node_path_default()).sep).join('/') || '.',
        content: dockerfileContent,
        buildArgs: build.buildArgs.map((a) => [a.name, a.value]),
        target: build.target ?? null,
        platforms: [...build.platforms].sort(),
    });
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(canonical).digest('hex')}`;
}
/** Pure: may the image carrying these labels stand in for a build of this commit with these inputs? */
function judgeReuse(labels, expected) {
    const revision = labels?.[REVISION_LABEL];
    const hash = labels?.[BUILD_INPUTS_LABEL];
    if (revision !== expected.revision) {
        return {
            reuse: false,
            reason: revision
                ? `the image under this commit's tag was built from ${revision}, not ${expected.revision}`
                : "the image under this commit's tag carries no revision label (not built by this action)",
        };
    }
    if (hash !== expected.hash) {
        return {
            reuse: false,
            reason: hash
                ? 'the build inputs changed since it was built (Dockerfile, build-args, target or platforms)'
                : 'the image for this commit carries no build-inputs label (not built by this action)',
        };
    }
    return { reuse: true };
}

;// CONCATENATED MODULE: ./registry/repository.ts





function toEcrRepository(repo, created) {
    const uri = repo.repositoryUri ?? '';
    const slash = uri.indexOf('/');
    if (!repo.repositoryName || !repo.registryId || slash <= 0) {
        throw new Error(`ECR returned a repository without a name, registry id or URI: ${JSON.stringify(repo)}`);
    }
    return {
        name: repo.repositoryName,
        registryId: repo.registryId,
        uri,
        host: uri.slice(0, slash),
        tagMutability: repo.imageTagMutability ?? 'MUTABLE',
        exclusionFilters: repo.imageTagMutabilityExclusionFilters ?? [],
        created,
    };
}
/** The repository if it exists (read only). */
async function findRepository(ecr, name, registryId) {
    try {
        const out = await ecr.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ repositoryNames: [name], registryId }));
        const repo = out.repositories?.[0];
        return repo ? toEcrRepository(repo, false) : undefined;
    }
    catch (error) {
        if ((0,aws_errors/* errorName */.Is)(error) === 'RepositoryNotFoundException')
            return undefined;
        throw (0,aws_errors/* describeAwsError */.Pp)('DescribeRepositories', error, {
            permission: 'ecr:DescribeRepositories',
            subject: `repository ${name}`,
        });
    }
}
function missingRepositoryError(name, registryId) {
    const where = registryId ? ` in account ${registryId}` : '';
    return new errors/* InputError */.dz(contract/* Input */.pd.Repository, `ECR repository "${name}" does not exist${where}. Create it, or set create-repository: true to have this step create it.`);
}
/** Creates the repository (scan on push, the given tag mutability); an existing one is returned as found. */
async function createRepository(ecr, options) {
    const where = options.registryId ? ` in account ${options.registryId}` : '';
    try {
        const out = await ecr.send(new dist_cjs/* CreateRepositoryCommand */.WTe({
            repositoryName: options.name,
            registryId: options.registryId,
            imageTagMutability: options.tagMutability,
            imageScanningConfiguration: { scanOnPush: true },
        }));
        if (!out.repository)
            throw new Error('CreateRepository returned no repository');
        actions_core/* info */.pq(`Created ECR repository ${options.name}${where} (${options.tagMutability}, scan on push).`);
        return toEcrRepository(out.repository, true);
    }
    catch (error) {
        // Another job may have created it between our two calls.
        if ((0,aws_errors/* errorName */.Is)(error) === 'RepositoryAlreadyExistsException') {
            const found = await findRepository(ecr, options.name, options.registryId);
            if (found)
                return found;
        }
        throw (0,aws_errors/* describeAwsError */.Pp)('CreateRepository', error, {
            permission: 'ecr:CreateRepository',
            subject: `repository ${options.name}`,
        });
    }
}
/** Finds the repository; creates it when asked to, else fails before anything is built. */
async function ensureRepository(ecr, options) {
    const found = await findRepository(ecr, options.name, options.registryId);
    if (found)
        return found;
    if (!options.create)
        throw missingRepositoryError(options.name, options.registryId);
    return createRepository(ecr, options);
}

;// CONCATENATED MODULE: ./registry/login.ts



/** Decodes an ECR authorization token; every secret form is masked before anything else sees it. */
function decodeAuthorizationToken(token, proxyEndpoint) {
    actions_core/* setSecret */.Pq(token);
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
        throw new Error('ECR returned an authorization token that is not base64("user:password")');
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    actions_core/* setSecret */.Pq(password);
    return { host: new URL(proxyEndpoint).host, username, password, auth: token };
}
/** A login for `registryId`'s registry, or the caller's own when undefined. */
async function getRegistryCredentials(ecr, registryId) {
    let out;
    try {
        out = await ecr.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6(registryId ? { registryIds: [registryId] } : {}));
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('GetAuthorizationToken', error, {
            permission: 'ecr:GetAuthorizationToken',
            subject: `registry ${registryId ?? '(own account)'}`,
        });
    }
    const data = out.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new Error(`GetAuthorizationToken returned no token for registry ${registryId ?? '(own account)'}`);
    }
    return {
        ...decodeAuthorizationToken(data.authorizationToken, data.proxyEndpoint),
        expiresAt: data.expiresAt,
    };
}

// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: ./aws/clients.ts
var clients = __webpack_require__(5918);
;// CONCATENATED MODULE: ./registry/registry-api.ts



const MAX_BODY = 8 * 1024 * 1024;
function get(url, headers, env) {
    const mod = url.protocol === 'http:' ? (external_node_http_default()) : (external_node_https_default());
    const agent = new mod.Agent({ ...(0,clients.agentOptions)(env), keepAlive: false });
    return new Promise((resolve, reject) => {
        const req = mod.request(url, { method: 'GET', headers, agent, timeout: 30_000 }, (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (c) => {
                size += c.length;
                if (size > MAX_BODY)
                    req.destroy(new Error(`${url.pathname}: answer larger than ${MAX_BODY} bytes`));
                else
                    chunks.push(c);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('timeout', () => req.destroy(new Error(`${url.host}: no answer within 30 s`)));
        req.on('error', reject);
        req.end();
    });
}
/** Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
function parseChallenge(header) {
    const space = header.indexOf(' ');
    const scheme = (space > 0 ? header.slice(0, space) : header).toLowerCase();
    const params = {};
    for (const [, key = '', value = ''] of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) {
        params[key.toLowerCase()] = value;
    }
    return { scheme, params };
}
/**
 * Reads a blob the way a registry client does: answers a Basic challenge (ECR) or fetches a bearer token
 * from the realm (token-auth registries), and follows redirects to storage without the registry's
 * credentials.
 */
async function readBlob(login, repository, digest, env) {
    const basic = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
    let url = new URL(`https://${login.host}/v2/${repository}/blobs/${digest}`);
    let authorization;
    for (let hop = 0; hop < 6; hop++) {
        const res = await get(url, authorization && url.host === login.host ? { authorization } : {}, env);
        if (res.status === 200)
            return res.body;
        if (res.status >= 300 && res.status < 400 && res.headers.location) {
            url = new URL(res.headers.location, url);
            continue;
        }
        if (res.status === 401 && !authorization) {
            const challenge = parseChallenge(String(res.headers['www-authenticate'] ?? ''));
            if (challenge.scheme === 'bearer' && challenge.params.realm) {
                const realm = new URL(challenge.params.realm);
                // The registry password goes to the token service only over HTTPS.
                if (realm.protocol !== 'https:')
                    throw new Error(`the registry's token service ${realm.origin} is not HTTPS`);
                if (challenge.params.service)
                    realm.searchParams.set('service', challenge.params.service);
                realm.searchParams.set('scope', `repository:${repository}:pull`);
                const token = await get(realm, { authorization: basic }, env);
                if (token.status !== 200)
                    throw new Error(`the registry's token service answered ${token.status}`);
                const parsed = JSON.parse(token.body.toString('utf8'));
                authorization = `Bearer ${parsed.token ?? parsed.access_token ?? ''}`;
            }
            else {
                authorization = basic;
            }
            continue;
        }
        throw new Error(`GET ${url.pathname} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
    }
    throw new Error(`GET /v2/${repository}/blobs/${digest}: too many redirects`);
}

;// CONCATENATED MODULE: ./registry/image-config.ts


/**
 * The labels in an image's config. For an index, the first entry that is an image for a real platform
 * (attestation entries are `unknown/unknown`); all entries of one build carry the same labels.
 */
async function readImageLabels(ecr, repo, login, digest, env) {
    let manifest = JSON.parse((await getManifest(ecr, repo, digest)).body);
    if (manifest.manifests) {
        const entry = manifest.manifests.find((m) => m.platform?.os !== 'unknown' && m.digest);
        if (!entry?.digest)
            return undefined;
        manifest = JSON.parse((await getManifest(ecr, repo, entry.digest)).body);
    }
    const configDigest = manifest.config?.digest;
    if (!configDigest)
        return undefined;
    const config = JSON.parse((await readBlob(login, repo.name, configDigest, env)).toString('utf8'));
    return config.config?.Labels ?? undefined;
}

// EXTERNAL MODULE: ./registry/docker-config.ts
var docker_config = __webpack_require__(2211);
;// CONCATENATED MODULE: ./image/pipeline.ts
// The image path in two phases: `locateImage` only reads (builder, repository, registry login, tag rules),
// so the deploy target can be checked before anything changes; `publishImage` then creates, builds, pushes
// and tags. Floating tags can be held back until the deploy is verified.



















async function group(name, fn) {
    actions_core/* startGroup */.Oh(name);
    try {
        return await fn();
    }
    finally {
        actions_core/* endGroup */.N4();
    }
}
/** The digest shown for an image a dry run does not build. */
const DRY_RUN_DIGEST = 'sha256:(digest of the image this step would build)';
/**
 * Read only: the builder (by probing), the repository (or where it would be created), the registry login
 * and its tag rules; for an existing image, its repository. Nothing is created, built or pushed.
 */
async function locateImage(context) {
    const { inputs, env, ecr } = context;
    if (inputs.source.kind === 'image') {
        const { reference } = inputs.source;
        return { kind: 'image', image: inputs.source, repositoryUri: `${reference.host}/${reference.path}` };
    }
    const build = inputs.source;
    const runner = context.runner ?? createCommandRunner({ env, signal: context.signal });
    const builder = await chooseBuilder(build.builder, build, runner);
    const hash = buildInputsHash(build, (0,external_node_fs_.readFileSync)(build.dockerfile, 'utf8'), env.GITHUB_WORKSPACE || process.cwd(), env.GITHUB_SHA ?? '');
    return group('Amazon ECR', async () => {
        const found = await findRepository(ecr, build.repository, inputs.registry);
        if (!found && !inputs.createRepository)
            throw missingRepositoryError(build.repository, inputs.registry);
        const credentials = await getRegistryCredentials(ecr, found?.registryId ?? inputs.registry);
        const rules = found ?? { tagMutability: inputs.tagMutability, exclusionFilters: [] };
        if (build.cache === 'registry' &&
            isTagImmutable('buildcache', rules.tagMutability, rules.exclusionFilters)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Cache, `the registry cache is rewritten on every build under the tag "buildcache", and ${build.repository}'s tags are immutable (${rules.tagMutability}). Add an exclusion filter for buildcache, or use cache: gha.`);
        }
        const repositoryUri = found?.uri ?? `${credentials.host}/${build.repository}`;
        const mismatch = (0,tag_rules/* tagReferenceMismatch */._S)(inputs.tagReferences ?? [], {
            host: found?.host ?? credentials.host,
            repository: build.repository,
        });
        if (mismatch)
            throw mismatch;
        return {
            kind: 'build',
            build,
            builder,
            runner,
            hash,
            found,
            credentials,
            repositoryUri,
            rules,
        };
    });
}
/**
 * Writes the registry login into a private DOCKER_CONFIG, exported to later steps; its path is saved first
 * so the post step removes it whatever happens next.
 */
function exportDockerLogin(credentials, hosts, env) {
    const dockerConfig = (0,docker_config/* writeTemporaryDockerConfig */.P7)({
        parent: env.RUNNER_TEMP || external_node_os_default().tmpdir(),
        source: (0,docker_config/* userDockerConfigDir */.Rx)(env),
        hosts: [...new Set([credentials.host, ...hosts])],
        auth: credentials.auth,
    });
    actions_core/* saveState */.LZ(contract/* State */.Uw.DockerConfig, dockerConfig);
    actions_core/* exportVariable */.dN('DOCKER_CONFIG', dockerConfig);
    const expiry = credentials.expiresAt ? ` until ${credentials.expiresAt.toISOString()}` : '';
    actions_core/* info */.pq(`Logged in to ${credentials.host}${expiry}; DOCKER_CONFIG is exported for later steps.`);
    return dockerConfig;
}
/** The image that `locateImage` found a place for: built (or reused) and tagged, or resolved by digest. */
async function publishImage(context, location, options) {
    const published = location.kind === 'build'
        ? await buildImage(context, location, options)
        : settled(await useExistingImage(context, location.image));
    if (context.inputs.deploy.dryRun)
        actions_core/* info */.pq(`Dry run: nothing was created, built, pushed or tagged.`);
    else {
        actions_core/* info */.pq(`Image ${published.report.repositoryUri}@${published.report.digest}${published.report.tags.length ? ` tagged ${published.report.tags.join(', ')}` : ''}`);
    }
    return published;
}
function settled(report) {
    return { report, held: [], moveHeldTags: async () => report };
}
/** The image for this commit under these build inputs, if the repository already holds it. */
async function findReusableImage(context, repo, credentials, hash) {
    const { ecr, plan, env } = context;
    const existing = (await findTags(ecr, repo, [plan.commitTag])).get(plan.commitTag);
    if (!existing) {
        actions_core/* info */.pq(`Building: no image for this commit yet (${plan.commitTag}).`);
        return undefined;
    }
    let labels;
    try {
        labels = await readImageLabels(ecr, repo, credentials, existing, env);
    }
    catch (error) {
        actions_core/* warning */.$e(`Building: could not read the labels of ${repo.uri}@${existing} (${error.message}).`);
        return undefined;
    }
    const verdict = judgeReuse(labels, { revision: context.github.sha, hash });
    if (!verdict.reuse) {
        actions_core/* info */.pq(`Building: ${verdict.reason}.`);
        return undefined;
    }
    actions_core/* info */.pq(`Reusing ${repo.uri}@${existing}: built for this commit from the same inputs; nothing to build.`);
    return { digest: existing, labels: labels ?? {} };
}
/** Pure: the tags to apply now, and the floating ones to hold until the deploy is verified. */
function splitHeldTags(decision, hold) {
    if (!hold)
        return { now: decision, held: [] };
    const held = decision.apply.filter((t) => t.floating && t.source !== 'explicit');
    return { now: { ...decision, apply: decision.apply.filter((t) => !held.includes(t)) }, held };
}
async function buildImage(context, location, options) {
    const { ecr, inputs, github, plan, env } = context;
    const { build, builder, found, credentials, repositoryUri: uri, rules } = location;
    const decision = decideTags(plan, rules);
    const extraLabels = [
        ...ociLabels({
            source: github.repository ? `${github.serverUrl}/${github.repository}` : github.serverUrl,
            revision: github.sha,
            created: new Date().toISOString(),
            runUrl: workflowRunUrl(env),
        }),
        { name: BUILD_INPUTS_LABEL, value: location.hash },
    ];
    const builtLabels = Object.fromEntries(mergeLabels(extraLabels, build.labels).map((l) => [l.name, l.value]));
    for (const s of decision.skipped)
        actions_core/* notice */.lm(`Tag ${s.tag} skipped: ${s.reason}.`);
    if (inputs.deploy.dryRun) {
        actions_core/* info */.pq(`Dry run: would ${found ? '' : `create ${uri} (${inputs.tagMutability}), `}build with ${builder}, push ${uri}:${plan.commitTag} and tag ${decision.apply.map((t) => t.name).join(', ')}.`);
        return settled({
            registry: credentials.host,
            repositoryUri: uri,
            ecr: undefined,
            digest: DRY_RUN_DIGEST,
            tags: decision.apply.map((t) => t.name),
            primary: decision.primary,
            skipped: decision.skipped,
            held: [],
            labels: builtLabels,
            sizeBytes: undefined,
            origin: 'built',
            builder,
        });
    }
    const { now, held } = splitHeldTags(decision, options.holdFloatingTags);
    const { repo, dockerConfig, reused } = await group('Amazon ECR', async () => {
        const repo = found ??
            (await createRepository(ecr, {
                name: build.repository,
                registryId: inputs.registry,
                create: true,
                tagMutability: inputs.tagMutability,
            }));
        actions_core/* info */.pq(`Repository ${repo.uri} (tags ${repo.tagMutability})`);
        const dockerConfig = exportDockerLogin(credentials, [repo.host], env);
        const reused = build.skipExisting
            ? await findReusableImage(context, repo, credentials, location.hash)
            : undefined;
        await checkImmutableTags(ecr, repo, decision, reused?.digest);
        return { repo, dockerConfig, reused };
    });
    const buildStarted = performance.now();
    const digest = reused?.digest ??
        (await group(`Build and push (${builder})`, () => buildAndPush({
            build,
            repo,
            commitTag: plan.commitTag,
            builder,
            runner: location.runner,
            signal: context.signal,
            dockerConfig,
            tempParent: env.RUNNER_TEMP || external_node_os_default().tmpdir(),
            extraLabels,
        })));
    const buildSeconds = reused ? undefined : (performance.now() - buildStarted) / 1000;
    if (!reused)
        actions_core/* info */.pq(`Pushed ${repo.uri}@${digest}`);
    const tagged = await group('Tags', () => applyTags(ecr, repo, now, { digest, commitTag: plan.commitTag }));
    if (held.length > 0) {
        actions_core/* info */.pq(`Held back until the deploy is verified: ${held.map((t) => t.name).join(', ')}`);
    }
    const report = (tags, stillHeld) => ({
        registry: repo.host,
        repositoryUri: repo.uri,
        ecr: { registryId: repo.registryId, repositoryName: repo.name, region: inputs.region },
        digest,
        tags,
        // The primary tag names the image only once it is on it.
        primary: tags.includes(decision.primary) ? decision.primary : plan.commitTag,
        skipped: decision.skipped,
        held: stillHeld.map((t) => t.name),
        labels: reused?.labels ?? builtLabels,
        sizeBytes: tagged.sizeBytes,
        origin: reused ? 'reused' : 'built',
        builder: reused ? undefined : builder,
        ...(buildSeconds !== undefined ? { buildSeconds } : {}),
    });
    return {
        report: report(tagged.tags, held),
        held,
        async moveHeldTags() {
            if (held.length === 0)
                return report(tagged.tags, []);
            const moved = await group('Tags', () => applyTags(ecr, repo, { ...decision, apply: held }, { digest, commitTag: undefined }));
            // In the decision's order (primary first), whatever was applied when.
            const all = new Set([...tagged.tags, ...moved.tags]);
            return report(decision.apply.map((t) => t.name).filter((t) => all.has(t)), []);
        },
    };
}
async function describeGivenImage(ecr, repo, image) {
    const { tag, digest } = image.reference;
    const shown = `${image.reference.host}/${image.reference.path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    try {
        const out = await ecr.send(new dist_cjs/* DescribeImagesCommand */.ji5({
            repositoryName: repo.name,
            registryId: repo.registryId,
            imageIds: [digest ? { imageDigest: digest } : { imageTag: tag }],
        }));
        const detail = out.imageDetails?.[0];
        if (!detail?.imageDigest)
            throw Object.assign(new Error('no image'), { name: 'ImageNotFoundException' });
        if (tag && digest && !detail.imageTags?.includes(tag)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Image, `"${shown}": the tag ${tag} is not on ${digest} in ${repo.uri}. Give the tag or the digest alone, or fix the one that is wrong.`);
        }
        return detail;
    }
    catch (error) {
        if (error instanceof errors/* InputError */.dz)
            throw error;
        if ((0,aws_errors/* errorName */.Is)(error) === 'ImageNotFoundException') {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Image, `"${shown}" is not in ECR: ${repo.uri} has no image ${digest ?? tag}. Check the tag or digest, or build and push it first.`);
        }
        throw (0,aws_errors/* describeAwsError */.Pp)('DescribeImages', error, {
            permission: 'ecr:DescribeImages',
            subject: `image ${shown}`,
        });
    }
}
async function useExistingImage(context, image) {
    const { ecr, inputs, env } = context;
    const { reference } = image;
    return group('Amazon ECR', async () => {
        const credentials = await getRegistryCredentials(ecr, inputs.registry);
        if (reference.host !== credentials.host) {
            // Not this account's ECR registry: nothing to verify it with, so only an immutable reference will do.
            if (!reference.digest) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.Image, `${reference.host} is not the ECR registry of this account (${credentials.host}${inputs.registry ? `, account ${inputs.registry}` : ''}), so the tag cannot be resolved and checked. Pin the image by digest (…@sha256:…), or set registry to the account that owns it.`);
            }
            if (inputs.tags.length > 0) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.Tags, `tags can only be added to an image in ECR; ${reference.host} is not.`);
            }
            actions_core/* info */.pq(`Using ${reference.host}/${reference.path}@${reference.digest} as given (not an ECR image).`);
            return {
                registry: reference.host,
                repositoryUri: `${reference.host}/${reference.path}`,
                ecr: undefined,
                digest: reference.digest,
                tags: reference.tag ? [reference.tag] : [],
                primary: reference.tag,
                skipped: [],
                held: [],
                labels: {},
                sizeBytes: undefined,
                origin: 'given',
                builder: undefined,
            };
        }
        let repo;
        try {
            repo = await ensureRepository(ecr, {
                name: reference.path,
                registryId: inputs.registry,
                create: false,
                tagMutability: inputs.tagMutability,
            });
        }
        catch (error) {
            if (!(error instanceof errors/* InputError */.dz))
                throw error;
            throw new errors/* InputError */.dz(contract/* Input */.pd.Image, `the repository ${reference.path} does not exist in ${credentials.host}. Check the image reference.`);
        }
        const mismatch = (0,tag_rules/* tagReferenceMismatch */._S)(inputs.tagReferences ?? [], {
            host: repo.host,
            repository: repo.name,
        });
        if (mismatch)
            throw mismatch;
        const detail = await describeGivenImage(ecr, repo, image);
        const digest = detail.imageDigest ?? '';
        actions_core/* info */.pq(`Using ${repo.uri}@${digest}${reference.tag ? ` (${reference.tag})` : ''}; nothing to build.`);
        if (!inputs.deploy.dryRun)
            exportDockerLogin(credentials, [repo.host], env);
        const explicit = inputs.tags.map((name) => ({ name, source: 'explicit', floating: false }));
        let tags = detail.imageTags ?? [];
        let skipped = [];
        const [first] = explicit;
        if (first && inputs.deploy.dryRun) {
            actions_core/* info */.pq(`Dry run: would tag ${digest} with ${inputs.tags.join(', ')}.`);
        }
        else if (first) {
            const decision = decideTags({ tags: explicit, primary: first.name, commitTag: first.name }, repo);
            skipped = decision.skipped;
            await checkImmutableTags(ecr, repo, decision, digest);
            const applied = await applyTags(ecr, repo, decision, { digest, commitTag: undefined });
            tags = [...new Set([...applied.tags, ...tags])];
        }
        const primary = first?.name ?? reference.tag;
        return {
            registry: repo.host,
            repositoryUri: repo.uri,
            ecr: { registryId: repo.registryId, repositoryName: repo.name, region: inputs.region },
            digest,
            tags: primary && tags.includes(primary) ? [primary, ...tags.filter((t) => t !== primary)] : tags,
            primary,
            skipped,
            held: [],
            labels: {},
            sizeBytes: detail.imageSizeInBytes,
            origin: 'given',
            builder: undefined,
        };
    });
}


/***/ }),

/***/ 2211:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P7: () => (/* binding */ writeTemporaryDockerConfig),
/* harmony export */   Rx: () => (/* binding */ userDockerConfigDir),
/* harmony export */   y7: () => (/* binding */ removeTemporaryDockerConfig)
/* harmony export */ });
/* unused harmony exports TEMP_PREFIX, mergeDockerConfig */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



const TEMP_PREFIX = 'ecr-deploy-docker-';
/**
 * Pure: the user's config with our registry login added. An empty credential helper for our host makes
 * Docker read the inline `auths` entry even when a global `credsStore` or an ECR credential helper is set
 * (Docker picks `credHelpers[host]` when the key exists, and an empty name means the file store).
 */
function mergeDockerConfig(existing, hosts, auth) {
    const auths = { ...existing.auths };
    const credHelpers = { ...existing.credHelpers };
    for (const host of hosts) {
        auths[host] = { auth };
        if (existing.credsStore || host in credHelpers)
            credHelpers[host] = '';
    }
    const merged = { ...existing, auths };
    if (Object.keys(credHelpers).length > 0)
        merged.credHelpers = credHelpers;
    return merged;
}
function userDockerConfigDir(env) {
    return env.DOCKER_CONFIG || node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_os__WEBPACK_IMPORTED_MODULE_1___default().homedir(), '.docker');
}
/**
 * Writes a private DOCKER_CONFIG folder holding the user's config plus our login. Folders other tools keep
 * there (buildx builders, CLI plugins, contexts) are linked, so a builder set up earlier still works.
 */
function writeTemporaryDockerConfig(options) {
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(options.parent, TEMP_PREFIX));
    const sourceConfig = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(options.source, 'config.json');
    let existing = {};
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(sourceConfig)) {
        try {
            existing = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(sourceConfig, 'utf8'));
        }
        catch (error) {
            throw new Error(`The Docker config ${sourceConfig} is not valid JSON (${error.message}). Fix or remove it.`);
        }
    }
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(options.source)) {
        for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(options.source)) {
            if (entry === 'config.json')
                continue;
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.symlinkSync)(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(options.source, entry), node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, entry));
        }
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, 'config.json'), JSON.stringify(mergeDockerConfig(existing, options.hosts, options.auth), null, 2), {
        mode: 0o600,
    });
    return dir;
}
/** Removes a folder written by writeTemporaryDockerConfig (links are removed, never followed). */
function removeTemporaryDockerConfig(dir) {
    if (!node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(dir).startsWith(TEMP_PREFIX)) {
        throw new Error(`Refusing to remove ${dir}: not a Docker config folder this action created.`);
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
}


/***/ })

};
