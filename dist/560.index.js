export const id = 560;
export const ids = [560];
export const modules = {

/***/ 4560:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  publishImage: () => (/* binding */ publishImage)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
// EXTERNAL MODULE: ./src/contract.ts
var contract = __webpack_require__(3665);
;// CONCATENATED MODULE: ./src/registry/tag-mutability.ts
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

;// CONCATENATED MODULE: ./src/image/tag-policy.ts

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

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 5 modules
var exec = __webpack_require__(2876);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/image/builder.ts



const TAIL = 64 * 1024;
function createCommandRunner() {
    return {
        async run(command, options = {}) {
            let output = '';
            const keep = (data) => {
                output = (output + data.toString('utf8')).slice(-TAIL);
            };
            const exitCode = await exec/* exec */.m(command.command, [...command.args], {
                ignoreReturnCode: true,
                env: { ...process.env, ...options.env },
                listeners: { stdout: keep, stderr: keep },
            });
            return { exitCode, output };
        },
        async probe(command, args) {
            try {
                const code = await exec/* exec */.m(command, [...args], { ignoreReturnCode: true, silent: true });
                return code === 0;
            }
            catch {
                return false; // not installed
            }
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
            throw new errors/* InputError */.d(contract/* Input */.pd.Builder, 'buildah was asked for but is not installed. Install buildah, or set builder: auto.');
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
        throw new errors/* InputError */.d(contract/* Input */.pd.Builder, choice === 'docker'
            ? 'no Docker engine answers (docker info failed). Start Docker, or set builder: buildah.'
            : 'no image builder found: neither docker (buildx or a running engine) nor buildah works here. Install one of them.');
    }
    if (kind !== 'buildx') {
        if (needs.platforms.length > 0) {
            throw new errors/* InputError */.d(contract/* Input */.pd.Platforms, `needs docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action before this step, or leave platforms empty.`);
        }
        if (needs.provenance) {
            throw new errors/* InputError */.d(contract/* Input */.pd.Provenance, `provenance attestations need docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action, or set provenance: false.`);
        }
    }
    return kind;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/aws/errors.ts
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

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
;// CONCATENATED MODULE: ./src/registry/images.ts


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
        if (errorName(error) !== 'ImageNotFoundException') {
            throw describeAwsError('DescribeImages', error, {
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
        if (errorName(error) !== 'ImageNotFoundException') {
            throw describeAwsError('DescribeImages', error, {
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
        throw describeAwsError('BatchGetImage', error, {
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
        if (errorName(error) === 'ImageAlreadyExistsException')
            return 'already-there';
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/image/build-command.ts
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
 * Pure: the commands that build `spec.image` and push it. The registry password never appears here: Docker
 * reads it from DOCKER_CONFIG, buildah from the auth file.
 */
function buildCommands(kind, spec) {
    switch (kind) {
        case 'buildx':
            return [
                {
                    command: 'docker',
                    args: [
                        'buildx',
                        'build',
                        ...common(spec),
                        ...(spec.platforms.length > 0 ? ['--platform', spec.platforms.join(',')] : []),
                        `--provenance=${spec.provenance ? 'mode=min' : 'false'}`,
                        '--push',
                        '--metadata-file',
                        spec.metadataFile,
                        spec.context,
                    ],
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
                { command: 'buildah', args: ['bud', '--format', 'docker', ...common(spec), spec.context] },
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
/** The standard OCI labels every image gets; user labels of the same name win. */
function imageLabels(user, oci) {
    const standard = [
        { name: 'org.opencontainers.image.source', value: oci.source },
        { name: 'org.opencontainers.image.revision', value: oci.revision },
        { name: 'org.opencontainers.image.created', value: oci.created },
    ];
    const userNames = new Set(user.map((l) => l.name));
    return [...standard.filter((l) => !userNames.has(l.name)), ...user];
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

;// CONCATENATED MODULE: ./src/image/publish.ts








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
async function checkImmutableTags(ecr, repo, decision) {
    const taken = await findTags(ecr, repo, decision.immutable);
    for (const [tag, digest] of taken) {
        const explicit = decision.apply.find((t) => t.name === tag)?.source === 'explicit';
        throw new errors/* InputError */.d(explicit ? contract/* Input */.pd.Tags : contract/* Input */.pd.Repository, `tag "${tag}" already exists in ${repo.uri} (${repo.tagMutability}) on ${digest}, and ECR will not move it to a new build. ` +
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
    const { inputs, repo, runner } = options;
    const work = (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(options.tempParent, 'ecr-deploy-build-'));
    try {
        const spec = {
            context: inputs.context,
            dockerfile: inputs.dockerfile,
            buildArgs: inputs.buildArgs,
            target: inputs.target,
            platforms: inputs.platforms,
            labels: imageLabels(inputs.labels, options.oci),
            provenance: inputs.provenance,
            image: `${repo.uri}:${options.commitTag}`,
            metadataFile: external_node_path_default().join(work, 'metadata.json'),
            digestFile: external_node_path_default().join(work, 'digest'),
            authFile: external_node_path_default().join(options.dockerConfig, 'config.json'),
        };
        let lastOutput = '';
        for (const command of buildCommands(options.builder, spec)) {
            const { exitCode, output } = await runner.run(command, {
                env: { DOCKER_CONFIG: options.dockerConfig },
            });
            lastOutput = output;
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
    if (!detail.imageTags?.includes(commitTag)) {
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
            core/* info */.pq(`Tagged ${tag.name}${result === 'already-there' ? ' (already there)' : ''}`);
            tags.push(tag.name);
        }
        catch (error) {
            if (errorName(error) === 'ImageTagAlreadyExistsException') {
                const other = (await findTags(ecr, repo, [tag.name])).get(tag.name) ?? 'another image';
                throw new errors/* InputError */.d(tag.source === 'explicit' ? contract/* Input */.pd.Tags : contract/* Input */.pd.Repository, `tag "${tag.name}" already exists in ${repo.uri} on ${other}, and the repository's tags are immutable, so it cannot move to ${digest}. ` +
                    'Use a new tag, or make the tag mutable with an exclusion filter.');
            }
            throw describeAwsError('PutImage', error, { permission: 'ecr:PutImage', subject: `tag ${tag.name}` });
        }
    }
    return {
        tags,
        sizeBytes: detail.imageSizeInBytes,
        mediaType: manifest.mediaType ?? detail.imageManifestMediaType,
    };
}

// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: ./node_modules/@smithy/node-http-handler/dist-cjs/index.js
var node_http_handler_dist_cjs = __webpack_require__(1279);
;// CONCATENATED MODULE: ./src/aws/clients.ts




const USER_AGENT = ['ecr-deploy', '1'];
/**
 * Shared client settings. Endpoints come from the SDK's standard configuration (AWS_ENDPOINT_URL_<SERVICE>,
 * profiles), credentials from its default chain. Retries are adaptive: throttling slows the client down
 * instead of failing the step.
 */
function clientConfig({ region, env }) {
    const proxied = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
    // Node 24 agents honour HTTPS_PROXY/HTTP_PROXY/NO_PROXY themselves when given `proxyEnv`.
    const agentOptions = { keepAlive: true, ...(proxied ? { proxyEnv: env } : {}) };
    return {
        region,
        retryMode: 'adaptive',
        maxAttempts: 5,
        customUserAgent: [[...USER_AGENT]],
        requestHandler: new node_http_handler_dist_cjs.NodeHttpHandler({
            httpsAgent: new (external_node_https_default()).Agent(agentOptions),
            httpAgent: new (external_node_http_default()).Agent(agentOptions),
            connectionTimeout: 10_000,
            requestTimeout: 60_000,
        }),
    };
}
function createEcrClient(options) {
    return new dist_cjs/* ECRClient */.S70(clientConfig(options));
}

;// CONCATENATED MODULE: ./src/registry/repository.ts





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
/** Finds the repository; creates it when asked to, else fails before anything is built. */
async function ensureRepository(ecr, options) {
    const subject = `repository ${options.name}`;
    try {
        const out = await ecr.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ repositoryNames: [options.name], registryId: options.registryId }));
        const repo = out.repositories?.[0];
        if (repo)
            return toEcrRepository(repo, false);
    }
    catch (error) {
        if (errorName(error) !== 'RepositoryNotFoundException') {
            throw describeAwsError('DescribeRepositories', error, {
                permission: 'ecr:DescribeRepositories',
                subject,
            });
        }
    }
    const where = options.registryId ? ` in account ${options.registryId}` : '';
    if (!options.create) {
        throw new errors/* InputError */.d(contract/* Input */.pd.Repository, `ECR repository "${options.name}" does not exist${where}. Create it, or set create-repository: true to have this step create it.`);
    }
    try {
        const out = await ecr.send(new dist_cjs/* CreateRepositoryCommand */.WTe({
            repositoryName: options.name,
            registryId: options.registryId,
            imageTagMutability: options.tagMutability,
            imageScanningConfiguration: { scanOnPush: true },
        }));
        if (!out.repository)
            throw new Error('CreateRepository returned no repository');
        core/* info */.pq(`Created ECR repository ${options.name}${where} (${options.tagMutability}, scan on push).`);
        return toEcrRepository(out.repository, true);
    }
    catch (error) {
        // Another job may have created it between our two calls.
        if (errorName(error) === 'RepositoryAlreadyExistsException') {
            return ensureRepository(ecr, { ...options, create: false });
        }
        throw describeAwsError('CreateRepository', error, { permission: 'ecr:CreateRepository', subject });
    }
}

;// CONCATENATED MODULE: ./src/registry/login.ts



/** Decodes an ECR authorization token; every secret form is masked before anything else sees it. */
function decodeAuthorizationToken(token, proxyEndpoint) {
    core/* setSecret */.Pq(token);
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
        throw new Error('ECR returned an authorization token that is not base64("user:password")');
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    core/* setSecret */.Pq(password);
    return { host: new URL(proxyEndpoint).host, username, password, auth: token };
}
async function getRegistryCredentials(ecr, registryId) {
    let out;
    try {
        out = await ecr.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6({ registryIds: [registryId] }));
    }
    catch (error) {
        throw describeAwsError('GetAuthorizationToken', error, {
            permission: 'ecr:GetAuthorizationToken',
            subject: `registry ${registryId}`,
        });
    }
    const data = out.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new Error(`GetAuthorizationToken returned no token for registry ${registryId}`);
    }
    return {
        ...decodeAuthorizationToken(data.authorizationToken, data.proxyEndpoint),
        expiresAt: data.expiresAt,
    };
}

// EXTERNAL MODULE: ./src/registry/docker-config.ts
var docker_config = __webpack_require__(26);
;// CONCATENATED MODULE: ./src/report/image-report.ts


/** Pure: the step's outputs for a published image. */
function imageOutputs(report) {
    return {
        [contract/* Output */.k7.Registry]: report.repo.host,
        [contract/* Output */.k7.RepositoryUri]: report.repo.uri,
        [contract/* Output */.k7.ImageUri]: `${report.repo.uri}:${report.primary}`,
        [contract/* Output */.k7.ImageDigest]: report.digest,
        [contract/* Output */.k7.ImageRef]: `${report.repo.uri}@${report.digest}`,
        [contract/* Output */.k7.Tags]: report.tags.join('\n'),
    };
}
function consoleLink(report) {
    const { region, repo, digest } = report;
    return `https://${region}.console.aws.amazon.com/ecr/repositories/private/${repo.registryId}/${repo.name}/_/image/${digest}/details?region=${region}`;
}
function formatSize(bytes) {
    if (bytes === undefined)
        return 'unknown';
    return bytes >= 1024 * 1024
        ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
        : `${(bytes / 1024).toFixed(1)} KiB`;
}
/** Pure: the job summary section for the image, as Markdown. */
function imageSummary(report) {
    const rows = [
        `| Image | \`${report.repo.uri}@${report.digest}\` |`,
        `| Tags | ${report.tags.map((t) => (t === report.primary ? `**${t}**` : t)).join(', ')} |`,
        `| Digest | \`${report.digest}\` |`,
        `| Size (compressed) | ${formatSize(report.sizeBytes)} |`,
        `| Built with | ${report.builder} |`,
        `| Console | [${report.repo.name} in ECR](${consoleLink(report)}) |`,
    ];
    const skipped = report.skipped.map((s) => `- \`${s.tag}\` not set: ${s.reason}`);
    return ['### Image', '', '| | |', '| --- | --- |', ...rows, '', ...skipped, ''].join('\n');
}
function writeImageOutputs(report) {
    for (const [name, value] of Object.entries(imageOutputs(report)))
        core/* setOutput */.uH(name, value);
}
/** The summary is a courtesy: failing to write it only warns. */
async function writeImageSummary(report) {
    try {
        await core/* summary */.z.addRaw(imageSummary(report)).write();
    }
    catch (error) {
        core/* warning */.$e(`Could not write the job summary: ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/image/pipeline.ts











async function group(name, fn) {
    core/* startGroup */.Oh(name);
    try {
        return await fn();
    }
    finally {
        core/* endGroup */.N4();
    }
}
/** ECR login → build → push once → tags → outputs and summary. */
async function publishImage({ inputs, github, plan, env }) {
    const runner = createCommandRunner();
    const builder = await chooseBuilder(inputs.builder, inputs, runner);
    const tempParent = env.RUNNER_TEMP || external_node_os_default().tmpdir();
    const ecr = createEcrClient({ region: inputs.region, env });
    const { repo, decision, dockerConfig } = await group('Amazon ECR', async () => {
        const repo = await ensureRepository(ecr, {
            name: inputs.repository,
            registryId: inputs.registry,
            create: inputs.createRepository,
            tagMutability: inputs.tagMutability,
        });
        core/* info */.pq(`Repository ${repo.uri} (tags ${repo.tagMutability})`);
        const decision = decideTags(plan, repo);
        for (const s of decision.skipped)
            core/* notice */.lm(`Tag ${s.tag} skipped: ${s.reason}.`);
        await checkImmutableTags(ecr, repo, decision);
        const credentials = await getRegistryCredentials(ecr, repo.registryId);
        const dockerConfig = (0,docker_config/* writeTemporaryDockerConfig */.P7)({
            parent: tempParent,
            source: (0,docker_config/* userDockerConfigDir */.Rx)(env),
            hosts: [...new Set([credentials.host, repo.host])],
            auth: credentials.auth,
        });
        // Saved before anything else can fail, so the post step removes the login whatever happens next.
        core/* saveState */.LZ(contract/* State */.Uw.DockerConfig, dockerConfig);
        core/* exportVariable */.dN('DOCKER_CONFIG', dockerConfig);
        const expiry = credentials.expiresAt ? ` until ${credentials.expiresAt.toISOString()}` : '';
        core/* info */.pq(`Logged in to ${credentials.host}${expiry}; DOCKER_CONFIG is exported for later steps.`);
        return { repo, decision, dockerConfig };
    });
    const digest = await group(`Build and push (${builder})`, () => buildAndPush({
        inputs,
        repo,
        commitTag: plan.commitTag,
        builder,
        runner,
        dockerConfig,
        tempParent,
        oci: {
            source: github.repository ? `${github.serverUrl}/${github.repository}` : github.serverUrl,
            revision: github.sha,
            created: new Date().toISOString(),
        },
    }));
    core/* info */.pq(`Pushed ${repo.uri}@${digest}`);
    const tagged = await group('Tags', () => applyTags(ecr, repo, decision, { digest, commitTag: plan.commitTag }));
    const report = {
        repo,
        region: inputs.region,
        digest,
        tags: tagged.tags,
        primary: decision.primary,
        skipped: decision.skipped,
        sizeBytes: tagged.sizeBytes,
        builder,
    };
    writeImageOutputs(report);
    await writeImageSummary(report);
    core/* info */.pq(`Image ${repo.uri}@${digest} tagged ${tagged.tags.join(', ')}`);
    return report;
}


/***/ }),

/***/ 26:
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
