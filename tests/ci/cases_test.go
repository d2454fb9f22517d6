package ci

// githubCases are the workflows under testdata/act, run with act.
var githubCases = []ciCase{
	{
		name: "build-test-lint", tool: "act", exitOK: true,
		jobs: map[string]string{"lint": "success", "test": "success", "build": "success"},
		logs: []string{"RESULT lint-files=2", "RESULT lint=clean", "RESULT tests=2/2", "RESULT lines=4", "RESULT sha="},
	},
	{
		name: "version-stamp", tool: "act", exitOK: true,
		jobs: map[string]string{"version": "success", "stamp": "success"},
		logs: []string{"RESULT base=1.4.2 ref=refs/heads/main event=push", "RESULT stamp=ok", "RESULT version-lines=1", "RESULT channel=stable"},
	},
	{
		name: "matrix", tool: "act", exitOK: true,
		jobs: map[string]string{"gate": "success"},
		logs: []string{"RESULT built=app-linux-amd64", "RESULT built=app-linux-arm64", "RESULT built=app-darwin-arm64",
			"RESULT built=app-windows-amd64.exe", "RESULT gate=success"},
		noLogs: []string{"app-darwin-amd64"},
	},
	{
		name: "env-files", tool: "act", exitOK: true,
		jobs: map[string]string{"envs": "success"},
		logs: []string{"RESULT level=step wf=from-workflow job=from-job", "RESULT flavor=release level=job",
			"RESULT notes-lines=2", "RESULT tool=tool-on-path", "RESULT answer=42"},
	},
	{
		name: "conditions", tool: "act", exitOK: true,
		jobs:   map[string]string{"check": "success", "skipped": "absent"},
		logs:   []string{"RESULT push-step=ran", "RESULT flaky-outcome=failure conclusion=success", "RESULT always=ran"},
		noLogs: []string{"RESULT pr-step", "RESULT deploy=ran", "RESULT failure-step", "RESULT skipped-job"},
	},
	{
		name: "failure", tool: "act", exitOK: false,
		jobs:   map[string]string{"test": "failure", "deploy": "absent"},
		logs:   []string{"RESULT running-tests", "RESULT report=sent", "RESULT cleanup=done"},
		noLogs: []string{"RESULT unreachable", "RESULT deploy=ran"},
	},
	{
		name: "workdir", tool: "act", exitOK: true,
		jobs: map[string]string{"layout": "success", "jobdefaults": "success"},
		logs: []string{"RESULT wf-default=app file=top", "RESULT step-dir=sub file=nested", "RESULT job-default=sub bash-array=3"},
	},
	{
		name: "composite", tool: "act", exitOK: true,
		jobs: map[string]string{"bump": "success"},
		logs: []string{"RESULT composite-ran part=patch", "RESULT composite-ran part=minor", "RESULT patch=1.4.3 minor=1.5.0"},
	},
	{
		name: "timeout", tool: "act", exitOK: true,
		jobs: map[string]string{"quick": "success"},
		logs: []string{"RESULT slept=1", "RESULT after-sleep=ok"},
	},
	{
		name: "artifacts", tool: "act", exitOK: true, args: []string{"--bind"},
		jobs: map[string]string{"package": "success", "verify": "success"},
		logs: []string{"RESULT packaged=src/ src/lib.txt src/main.txt ", "RESULT verified=yes"},
		files: map[string]string{
			"dist/SHA256SUMS": "~^[0-9a-f]{64}  app.tar.gz\n$",
			"dist/VERIFIED":   "verified\n",
		},
	},
	{
		// A JavaScript action needs node in the job container: neither the
		// Debian reference image nor the sandbox has it. The job fails,
		// and sockerless must say why.
		name: "js-action", tool: "act", exitOK: false,
		jobs:           map[string]string{"js": "failure"},
		logs:           []string{"RESULT before-js=ok"},
		noLogs:         []string{"RESULT js-action=ran", "RESULT after-js=ran"},
		onlySockerless: []string{"node"},
	},
	{
		name: "changelog", tool: "act", exitOK: true,
		jobs:   map[string]string{"extract": "success", "publish": "success"},
		logs:   []string{"RESULT note: feat: matrix builds", "RESULT note: fix: version stamping", "RESULT note: fix: artifact paths", "RESULT fixes=2"},
		noLogs: []string{"first release"},
	},
	{
		name: "shells", tool: "act", exitOK: true,
		jobs: map[string]string{"shells": "success"},
		logs: []string{"RESULT default-shell=bash", "RESULT sh-pipeline=ok", "RESULT bash-pipefail-status=1",
			"RESULT strict-outcome=failure", "RESULT custom-shell=bash"},
		noLogs: []string{"RESULT not-reached"},
	},
}

// gitlabCases are the pipelines under testdata/gitlab, run with
// gitlab-ci-local in its default flow (default helper image included).
var gitlabCases = []ciCase{
	{
		name: "stages-artifacts", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"build": "success", "test": "success", "package": "success"},
		logs: []string{"RESULT built=a.txt b.txt", "RESULT test=pass", "RESULT tar=out/ out/a.txt out/b.txt"},
		files: map[string]string{
			".gitlab-ci-local/artifacts/build/out/a.txt":      "ALPHA\n",
			".gitlab-ci-local/artifacts/package/dist/ALL.txt": "ALPHA\nBETA\n",
		},
	},
	{
		name: "needs-dag", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"build-api": "success", "build-web": "success", "test-api": "success", "lint": "success", "deploy": "success"},
		logs: []string{"RESULT test-api sees=api ", "RESULT lint bin-present=no", "RESULT deploy sees=web "},
	},
	{
		name: "before-after", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"uses-defaults": "success", "overrides": "success", "fails": "warning"},
		logs: []string{"RESULT before=uses-defaults", "RESULT script prepared=yes", "RESULT after=uses-defaults status=success",
			"RESULT own-before", "RESULT script prepared=no", "RESULT after=fails status=failed"},
		noLogs: []string{"RESULT after=overrides", "RESULT before=overrides"},
	},
	{
		name: "variables", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"show": "success"},
		logs: []string{"RESULT app=shop-api level=job tag=shop-api-main empty=[]",
			"RESULT job=show stage=show project=variables branch=main", "RESULT project-dir-is-pwd=yes",
			"RESULT file-var-is-file=yes", "RESULT config= region=eu-west-1", "RESULT config= replicas=3",
			"RESULT plain-secret=not-a-real-token"},
	},
	{
		name: "cache", tool: "gitlab", exitOK: true,
		jobs:  map[string]string{"install": "success", "build": "success"},
		logs:  []string{"RESULT installed", "RESULT cached=libfoo 1.2.3"},
		files: map[string]string{".gitlab-ci-local/cache/deps-v1/vendor/lib/foo.txt": "libfoo 1.2.3\n"},
	},
	{
		name: "rules", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"on-main": "success", "on-tag": "absent", "never-on-main": "absent",
			// gitlab-ci-local 4.75.1 ignores only/except branch lists: both run.
			"rule-vars": "success", "only-main": "success", "except-main": "success"},
		logs: []string{"RESULT on-main=ran", "RESULT rule-vars target=staging", "RESULT only-main=ran"},
	},
	{
		name: "extends-include", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"unit": "success", "integration": "success"},
		logs: []string{"RESULT template-before job=unit", "RESULT test lang=shell suite=unit", "RESULT test lang=posix-sh suite=integration"},
	},
	{
		name: "parallel-matrix", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"build: [linux,amd64]": "success", "build: [darwin,arm64]": "success", "build: [windows,amd64]": "success"},
		logs: []string{"RESULT build linux/amd64", "RESULT build linux/arm64", "RESULT build darwin/amd64", "RESULT build darwin/arm64", "RESULT build windows/amd64"},
	},
	{
		name: "allow-failure", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"flaky": "warning", "soft-exit": "warning", "report": "success"},
		logs: []string{"RESULT flaky-ran", "RESULT report-ran"},
	},
	{
		name: "when", tool: "gitlab", exitOK: false,
		// gitlab-ci-local 4.75.1 stops the pipeline at the first failed
		// stage: later on_failure/always jobs do not run (GitLab would run them).
		jobs: map[string]string{"build": "failure", "deploy-prod": "absent", "deploy-next": "absent", "notify": "absent", "cleanup": "absent"},
		logs: []string{"RESULT build-broken"},
	},
	{
		name: "services", tool: "gitlab", exitOK: true,
		jobs: map[string]string{"test": "success"},
		logs: []string{"RESULT tests-ran db-password-set=yes"},
	},
	{
		name: "version-stamp", tool: "gitlab", exitOK: true,
		jobs:  map[string]string{"version": "success", "build": "success"},
		logs:  []string{"RESULT version-ok", "RESULT channel=stable"},
		files: map[string]string{".gitlab-ci-local/artifacts/build/dist/version.txt": "~^2\\.1\\.0-[0-9a-f]{8}\n$"},
	},
	{
		name: "failure", tool: "gitlab", exitOK: false,
		jobs:   map[string]string{"unit": "failure", "lint": "success", "deploy": "absent"},
		logs:   []string{"RESULT running-unit", "RESULT lint-ok"},
		noLogs: []string{"RESULT unreachable", "RESULT deploy=ran"},
	},
}
