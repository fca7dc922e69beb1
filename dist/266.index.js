export const id = 266;
export const ids = [266];
export const modules = {

/***/ 5039:
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

/***/ 6266:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/github-context.ts

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

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/action-defaults.ts
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
    "provenance": "false",
    "build-secrets": "",
    "cache": "",
    "skip-existing": "true",
    "builder": "auto",
    "ecs-cluster": "",
    "ecs-service": "",
    "task-definition": "",
    "containers": "",
    "environment": "",
    "force-new-deployment": "false",
    "desired-count": "",
    "pre-deploy-command": "",
    "wait": "true",
    "timeout": "15m",
    "fail-fast-after": "2",
    "rollback-on-failure": "true",
    "dry-run": "false",
    "eks-cluster": "",
    "namespace": "default",
    "deployment": "",
    "role-to-assume": "",
    "role-session-name": "",
    "role-duration": "1h",
};

// EXTERNAL MODULE: ./src/contract.ts
var contract = __webpack_require__(3665);
;// CONCATENATED MODULE: ./src/image/tags.ts
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function isValidDockerTag(tag) {
    return TAG.test(tag);
}
/** A ref name made into a valid tag: other characters become `-`, at most 128, no leading `.`/`-`. */
function sanitizeTag(name) {
    const tag = name
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .replace(/-{2,}/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, 128)
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
/** Tags for a git tag (tag push or release). */
function gitTagTags(name, markedPrerelease) {
    const v = parseSemVer(name);
    if (!v) {
        const tag = sanitizeTag(name);
        return tag ? [{ name: tag, source: 'git-tag', floating: false }] : [];
    }
    // `+` is not allowed in a tag; build metadata is kept after `_` so it stays distinct from a pre-release.
    const full = `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.build ? `_${v.build}` : ''}`;
    const tags = [{ name: full, source: 'version', floating: false }];
    if (v.prerelease || markedPrerelease)
        return tags;
    const floating = (name) => ({ name, source: 'version-floating', floating: true });
    tags.push(floating(`${v.major}.${v.minor}`));
    // 0.x makes no compatibility promise across minors, so there is no `0` tag.
    if (v.major !== '0')
        tags.push(floating(v.major));
    tags.push(floating('latest'));
    return tags;
}
function automaticTags(ctx) {
    if (ctx.pullRequestNumber !== undefined) {
        return [{ name: `pr-${ctx.pullRequestNumber}`, source: 'pull-request', floating: true }];
    }
    if (ctx.release)
        return gitTagTags(ctx.release.tagName, ctx.release.prerelease);
    if (ctx.ref.startsWith('refs/tags/'))
        return gitTagTags(ctx.ref.slice('refs/tags/'.length), false);
    if (ctx.ref.startsWith('refs/heads/')) {
        const tag = sanitizeTag(ctx.ref.slice('refs/heads/'.length));
        return tag ? [{ name: tag, source: 'branch', floating: true }] : [];
    }
    return [];
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
];
/** Pure: the tags an image built for this run carries. */
function planTags(ctx, explicit) {
    const commitTag = `sha-${ctx.sha.slice(0, 7)}`;
    const candidates = [
        ...explicit.map((name) => ({ name, source: 'explicit', floating: false })),
        ...automaticTags(ctx),
        { name: commitTag, source: 'commit', floating: false },
    ];
    const seen = new Set();
    const unique = candidates.filter((t) => (seen.has(t.name) ? false : (seen.add(t.name), true)));
    const rank = (t) => PRIORITY.indexOf(t.source);
    const primary = unique.reduce((best, t) => (rank(t) < rank(best) ? t : best));
    const tags = [primary, ...unique.filter((t) => t !== primary)];
    return { tags, primary: primary.name, commitTag };
}

// EXTERNAL MODULE: ./src/deploy/duration.ts
var duration = __webpack_require__(5039);
;// CONCATENATED MODULE: ./src/aws/role-inputs.ts
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

;// CONCATENATED MODULE: ./src/inputs.ts








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
function resolveBuildPaths(contextValue, dockerfileValue, cwd) {
    const context = external_node_path_default().resolve(cwd, contextValue || '.');
    if (!isDirectory(context)) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Context, `build context "${contextValue}" is not a directory (resolved to ${context}). Check out the repository first (actions/checkout) or fix the path.`);
    }
    const dockerfile = dockerfileValue ? external_node_path_default().resolve(cwd, dockerfileValue) : external_node_path_default().join(context, 'Dockerfile');
    if (!isFile(dockerfile)) {
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
function readBuild(env, cwd, c) {
    const paths = c.take(() => resolveBuildPaths(raw(env, contract/* Input */.pd.Context), raw(env, contract/* Input */.pd.Dockerfile), cwd));
    return {
        kind: 'build',
        repository: c.take(() => parseRepository(raw(env, contract/* Input */.pd.Repository))),
        context: paths?.context ?? '',
        dockerfile: paths?.dockerfile ?? '',
        buildArgs: c.take(() => parseKeyValues(contract/* Input */.pd.BuildArgs, raw(env, contract/* Input */.pd.BuildArgs))),
        target: raw(env, contract/* Input */.pd.Target) || undefined,
        platforms: c.take(() => parsePlatforms(raw(env, contract/* Input */.pd.Platforms))),
        labels: c.take(() => parseKeyValues(contract/* Input */.pd.Labels, raw(env, contract/* Input */.pd.Labels))),
        provenance: c.take(() => parseBoolean(contract/* Input */.pd.Provenance, raw(env, contract/* Input */.pd.Provenance))),
        builder: c.take(() => parseBuilder(raw(env, contract/* Input */.pd.Builder))),
        secrets: c.take(() => parseBuildSecrets(env[inputVariable(contract/* Input */.pd.BuildSecrets)] ?? '', env, cwd)),
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
function readEksTarget(env) {
    const cluster = raw(env, contract/* Input */.pd.EksCluster);
    const deployments = parseList(raw(env, contract/* Input */.pd.Deployment), { commas: false });
    if (!cluster && deployments.length === 0)
        return undefined;
    if (!cluster)
        throw new errors/* InputError */.dz(contract/* Input */.pd.EksCluster, 'is required with deployment. Set it to the EKS cluster name.');
    if (deployments.length === 0) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.Deployment, 'is required with eks-cluster. Give the Deployment name (several: one per line).');
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
    const ecsOnly = ECS_ONLY.filter((n) => raw(env, n) !== '' && !(n === contract/* Input */.pd.ForceNewDeployment && raw(env, n) === 'false'));
    if (ecsOnly.length > 0) {
        throw new errors/* InputError */.dz(ecsOnly[0] ?? contract/* Input */.pd.EksCluster, `applies to ECS deploys only; remove ${ecsOnly.join(', ')} for an EKS deploy.`);
    }
    return {
        kind: 'eks',
        cluster,
        namespace,
        deployments,
        containers: parseContainers(raw(env, contract/* Input */.pd.Containers)),
    };
}
function readTarget(env, cwd, c) {
    const ecsSet = raw(env, contract/* Input */.pd.EcsCluster) !== '' || raw(env, contract/* Input */.pd.EcsService) !== '';
    const eksSet = raw(env, contract/* Input */.pd.EksCluster) !== '' || raw(env, contract/* Input */.pd.Deployment) !== '';
    if (ecsSet && eksSet) {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EksCluster, 'one step deploys to ECS or to EKS, not both: remove the ecs-* inputs or the eks-cluster/deployment inputs (use two steps).');
    }
    return eksSet ? readEksTarget(env) : readEcsTarget(env, cwd, c);
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
    return parsed;
}
function readTaskDefinitionFiles(value, services, cwd) {
    const files = new Map();
    const lines = parseList(value, { commas: false });
    const resolveFile = (service, file) => {
        const full = external_node_path_default().resolve(cwd, file);
        if (!isFile(full)) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.TaskDefinition, `${file} does not exist (resolved to ${full}). Give the task definition file's path relative to the workspace.`);
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
function readEcsTarget(env, cwd, c) {
    const clusterValue = raw(env, contract/* Input */.pd.EcsCluster);
    const services = parseList(raw(env, contract/* Input */.pd.EcsService), { commas: false });
    if (!clusterValue && services.length === 0) {
        const stray = [
            contract/* Input */.pd.TaskDefinition,
            contract/* Input */.pd.Containers,
            contract/* Input */.pd.Environment,
            contract/* Input */.pd.DesiredCount,
            contract/* Input */.pd.PreDeployCommand,
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
    return {
        kind: 'ecs',
        cluster,
        services,
        taskDefinitionFiles: c.take(() => readTaskDefinitionFiles(raw(env, contract/* Input */.pd.TaskDefinition), services, cwd)),
        containers: c.take(() => parseContainers(raw(env, contract/* Input */.pd.Containers))),
        environment: c.take(() => parseKeyValues(contract/* Input */.pd.Environment, raw(env, contract/* Input */.pd.Environment))),
        forceNewDeployment: c.take(() => parseBoolean(contract/* Input */.pd.ForceNewDeployment, raw(env, contract/* Input */.pd.ForceNewDeployment))),
        desiredCount: desired
            ? c.take(() => parseNonNegativeInteger(contract/* Input */.pd.DesiredCount, desired, 'Give the number of tasks, or leave it empty to keep the current count (auto scaling owns it).'))
            : undefined,
        preDeployCommand: c.take(() => parsePreDeployCommand(raw(env, contract/* Input */.pd.PreDeployCommand))),
    };
}
function readDeployOptions(env, c) {
    return {
        wait: c.take(() => parseBoolean(contract/* Input */.pd.Wait, raw(env, contract/* Input */.pd.Wait))),
        timeoutMs: c.take(() => parseTimeout(raw(env, contract/* Input */.pd.Timeout))),
        failFastAfter: c.take(() => parseNonNegativeInteger(contract/* Input */.pd.FailFastAfter, raw(env, contract/* Input */.pd.FailFastAfter), 'Give how many definitive task failures end the wait early (0 never ends it early).')),
        rollbackOnFailure: c.take(() => parseBoolean(contract/* Input */.pd.RollbackOnFailure, raw(env, contract/* Input */.pd.RollbackOnFailure))),
        dryRun: c.take(() => parseBoolean(contract/* Input */.pd.DryRun, raw(env, contract/* Input */.pd.DryRun))),
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
    const inputs = {
        registry: c.take(() => parseRegistry(raw(env, contract/* Input */.pd.Registry), region)),
        region,
        createRepository: c.take(() => parseBoolean(contract/* Input */.pd.CreateRepository, raw(env, contract/* Input */.pd.CreateRepository))),
        tagMutability: c.take(() => parseTagMutability(raw(env, contract/* Input */.pd.TagMutability))),
        tags: c.take(() => parseTags(raw(env, contract/* Input */.pd.Tags))),
        source: image ? c.take(() => readExistingImage(env, image)) : readBuild(env, cwd, c),
        target: c.take(() => readTarget(env, cwd, c)),
        deploy: readDeployOptions(env, c),
        assumeRole: c.take(() => parseAssumeRole({
            roleToAssume: raw(env, contract/* Input */.pd.RoleToAssume),
            roleSessionName: raw(env, contract/* Input */.pd.RoleSessionName),
            roleDuration: raw(env, contract/* Input */.pd.RoleDuration),
        }, env)),
    };
    const [first, ...more] = c.errors;
    if (first)
        throw more.length > 0 ? new errors/* InputErrors */.G(c.errors) : first;
    return inputs;
}

;// CONCATENATED MODULE: ./src/deploy/types.ts
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

;// CONCATENATED MODULE: ./src/main.ts







function readEventPayload(env) {
    const file = env.GITHUB_EVENT_PATH;
    if (!file || !(0,external_node_fs_.existsSync)(file))
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch (error) {
        throw new errors/* EnvironmentError */.eG(`GITHUB_EVENT_PATH ${file} is not valid JSON: ${error.message}`);
    }
}
/**
 * The step, phase by phase. Everything that can be checked is checked before anything changes: the inputs
 * (before the AWS SDK is even loaded), the repository and the deploy target (read only); then the image is
 * published, deployed and waited for, and one report is written.
 */
async function main() {
    const env = process.env;
    for (const { given, closest } of unknownInputs(env)) {
        core/* warning */.$e(`"${given}" is not an input of this action and is ignored.${closest ? ` Did you mean "${closest}"?` : ''}`);
    }
    const inputs = readInputs({ env, cwd: process.cwd() });
    const github = readGithubContext(env, readEventPayload(env));
    const plan = planTags(github, inputs.tags);
    const [{ locateImage, publishImage }, { createEcrClient }, { writeReport }, { setUpStepCredentials }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(169)]).then(__webpack_require__.bind(__webpack_require__, 6169)),
        Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(201)]).then(__webpack_require__.bind(__webpack_require__, 201)),
        __webpack_require__.e(/* import() */ 946).then(__webpack_require__.bind(__webpack_require__, 1946)),
        Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(749)]).then(__webpack_require__.bind(__webpack_require__, 2749)),
    ]);
    const credentials = await setUpStepCredentials({ inputs, env });
    const context = { inputs, github, plan, env, ecr: createEcrClient({ region: inputs.region, env }) };
    const location = await locateImage(context);
    const deployTarget = inputs.target;
    const run = deployTarget ? await Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(757)]).then(__webpack_require__.bind(__webpack_require__, 757)) : undefined;
    const target = run && deployTarget
        ? await run.prepareDeploy({ ...inputs, target: deployTarget }, env, location.repositoryUri)
        : undefined;
    const { dryRun } = inputs.deploy;
    // With a deploy, `latest`, `1`, the branch … move only once it is verified.
    const published = await publishImage(context, location, { holdFloatingTags: Boolean(target) && !dryRun });
    if (!run || !target) {
        await writeReport({ image: dryRun ? undefined : published.report, results: undefined });
        return;
    }
    const image = published.report;
    const results = credentials.explain(await run.deploy(target, {
        imageRef: `${image.repositoryUri}@${image.digest}`,
        repositoryUri: image.repositoryUri,
    }));
    const failed = results.filter((r) => !SUCCESSFUL.has(r.status));
    let report = image;
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
            core/* warning */.$e(`Not moved to this image, because the deploy did not complete: ${published.held.map((t) => t.name).join(', ')}.`);
        }
    }
    await writeReport({ image: dryRun ? undefined : report, results });
    if (failed.length > 0)
        throw new RolloutFailedError(describeFailures(failed), results);
    if (tagError)
        throw new Error(`The deploy completed, but the tags could not be moved: ${tagError.message}`);
}
function describeFailures(results) {
    return results.map((r) => `${r.name}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`).join('\n');
}


/***/ })

};
